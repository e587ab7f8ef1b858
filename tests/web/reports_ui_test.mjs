// The reports screen (R13, R18) in headless Chromium against a real
// `gosline serve`: call records of two days are written into the line's
// database as telephony and the contact centre write them (the database's
// triggers mark their intervals), the server rolls them up when the report
// is asked for, and a supervisor and a compliance controller read the
// figures on the screen: the tables, the SVG charts, and the CSV files the
// download buttons save (header row, the same numbers). An operator is
// refused. Screenshots go to $GOSLINE_WEB_ARTEFACTS.
//
// Usage: node reports_ui_test.mjs PATH/TO/gosline
// Env: GOSLINE_WEB_MODULES (node_modules with playwright-core; the build sets it),
//      GOSLINE_CHROMIUM (default /usr/bin/chromium), GOSLINE_WEB_ARTEFACTS.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM, PASSWORD, REPO, WAIT, check, die, finish, loadChromium, makeCli, secretOf, step, totp } from './harness.mjs';

const BINARY = resolve(process.argv[2] ?? '');
const ARTEFACTS = resolve(process.env.GOSLINE_WEB_ARTEFACTS || join(tmpdir(), 'gosline-web-artefacts'));
const CONFIG = join(REPO, 'config', 'gosline.yaml');

if (!existsSync(BINARY)) die(`usage: node reports_ui_test.mjs PATH/TO/gosline (got ${BINARY})`);
const chromium = loadChromium();

const workdir = mkdtempSync(join(tmpdir(), 'gosline-reports-web-'));
const db = join(workdir, 'gosline.db');
const cli = makeCli(BINARY, CONFIG, db, workdir);

// 10 and 11 November 2026, Moscow time (UTC+3).
const at = (iso) => Date.parse(iso);
const CALLS = [
  // id, started (UTC), caller, topic, queue, outcome, wait, talk, operator, ivr end
  ['c1', '2026-11-10T06:05:00Z', '+79000000001', 'taxes', 'q_tax', 'answered', 10000, 240000, 'ivanova', 'queued'],
  ['c2', '2026-11-10T06:20:00Z', '+79000000002', 'taxes', 'q_tax', 'answered', 45000, 300000, 'petrov', 'queued'],
  ['c3', '2026-11-10T07:10:00Z', '+79000000003', 'taxes', 'q_tax', 'abandoned', 60000, null, '', 'queued'],
  ['c4', '2026-11-10T07:15:00Z', '+79000000004', 'pensions', 'q_pen', 'abandoned', 2000, null, '', 'queued'],
  ['c5', '2026-11-10T08:00:00Z', '+79000000005', 'hours', '', '', null, null, '', 'completed'],
  // The first caller again, the next day, about the same topic: a repeat contact.
  ['c6', '2026-11-11T06:30:00Z', '+79000000001', 'taxes', 'q_tax', 'answered', 5000, 180000, 'ivanova', 'queued'],
];

function sql(v) {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return "'" + String(v).replace(/'/g, "''") + "'";
}

function writeCallRecords() {
  const rows = CALLS.map(([id, started, caller, topic, queue, outcome, wait, talk, op, ivrEnd]) => {
    const s = at(started);
    return `(${[id, caller, caller, '115', '77', s, s + 1000, s + 600000, 'caller_hangup', 200, 'ru', 'greeting main',
      topic, queue, '', '', '', ivrEnd, caller, op, wait, talk, outcome].map(sql).join(', ')})`;
  });
  const text = 'INSERT INTO call_records (call_id, from_number, caller_e164, dialled, region, started_at_ms, ' +
    'answered_at_ms, ended_at_ms, end_reason, sip_status, language, ivr_path, topic, queue, case_number, ' +
    'digits, prompts, ivr_end, caller_hmac, operator_id, wait_ms, talk_ms, outcome) VALUES\n' + rows.join(',\n') + ';\n';
  const r = spawnSync('sqlite3', [db], { input: text, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) die(`sqlite3 could not write the call records (${r.status}): ${r.stderr}`);
}

let server = null;
let browser = null;
async function main() {
  mkdirSync(ARTEFACTS, { recursive: true });
  const secrets = {};
  for (const [login, role] of [['petrova', 'supervisor'], ['sidorova', 'compliance_controller'], ['ivanova', 'operator']]) {
    secrets[login] = secretOf(cli(['user', 'add', login, '--role', role, '--name', login, '--password-stdin'], PASSWORD + '\n'));
  }
  writeCallRecords();

  const log = openSync(join(workdir, 'server.log'), 'a');
  server = spawn(BINARY, ['serve', '--config', CONFIG, '--listen', '127.0.0.1', '--port', '0', '--db', db,
    '--no-telephony'], { cwd: workdir, stdio: ['ignore', log, log] });
  const serverLog = () => readFileSync(join(workdir, 'server.log'), 'utf8');
  let base = null;
  let ready = false;
  for (let i = 0; i < 1200 && !ready && server.exitCode === null; i++) {
    const port = base ? null : serverLog().match(/HTTP on http:\/\/[0-9.]+:(\d+)/)?.[1];
    if (port) base = `http://127.0.0.1:${port}`;
    if (base) {
      try { ready = (await fetch(base + '/readyz')).status === 200; } catch { /* not listening yet */ }
    }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) die('gosline serve did not become ready:\n' + serverLog().slice(-4000));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pageErrors = [];
  const signIn = async (login) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(base + '/app');
    await page.fill('#login', login);
    await page.fill('#password', PASSWORD);
    await page.click('[data-testid=login-next]');
    await page.fill('#totp', totp(secrets[login]));
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=whoami]', WAIT);
    return page;
  };
  const showReport = async (page, by, dimension) => {
    await page.fill('[data-testid=report-from]', '2026-11-10');
    await page.fill('[data-testid=report-to]', '2026-11-11');
    await page.selectOption('[data-testid=report-by]', by);
    await page.selectOption('[data-testid=report-dimension]', dimension);
    await page.click('[data-testid=report-show]');
    await page.waitForSelector(`[data-testid=report-over-time][data-by=${by}][data-dimension=${dimension}]`, WAIT);
  };
  const cell = async (page, row, col) => (await page.textContent(`${row} [data-col=${col}]`)).trim();
  const saved = async (page, button) => {
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click(button)]);
    const path = join(workdir, download.suggestedFilename());
    await download.saveAs(path);
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
  };

  const supervisor = await signIn('petrova');
  await step('the supervisor reads the days by queue', async () => {
    await supervisor.click('[data-testid=nav-reports]');
    await supervisor.waitForSelector('[data-testid=report-form]', WAIT);
    await showReport(supervisor, 'day', 'queue');
    const days = await supervisor.$$eval('[data-testid=time-row]', (rs) => rs.map((r) => r.dataset.start));
    check(JSON.stringify(days) === JSON.stringify(['2026-11-10T00:00+03:00', '2026-11-11T00:00+03:00']),
      `one row per day in Moscow time (${days.join(', ')})`);
    const first = '[data-testid=time-row][data-start="2026-11-10T00:00+03:00"]';
    check(await cell(supervisor, first, 'offered') === '4', '10 November: 4 calls offered to the queues');
    check(await cell(supervisor, first, 'answered') === '2', '10 November: 2 answered');
    check(await cell(supervisor, first, 'abandoned') === '1', '10 November: 1 abandoned');
    check(await cell(supervisor, first, 'short_abandoned') === '1', '10 November: the 2-second hang-up is a short abandon');
    check(await cell(supervisor, first, 'service_level_answered') === '50.0%', '10 November: SL of answered 50.0%');
    check(await cell(supervisor, first, 'service_level_offered') === '33.3%', '10 November: SL of offered 33.3%');
    check(await cell(supervisor, first, 'ivr_contained') === '1', '10 November: one call served by the IVR alone');
    const total = '[data-testid=total-row]';
    check(await cell(supervisor, total, 'offered') === '5', 'total: 5 offered');
    check((await cell(supervisor, total, 'repeat')).startsWith('1 '), 'total: one repeat contact');
    check(await cell(supervisor, total, 'fcr') === '66.7%', 'total: first-contact resolution 2 of 3');
    const tax = '[data-testid=key-row][data-key=q_tax]';
    check(await cell(supervisor, tax, 'offered') === '4', 'q_tax: 4 offered over the two days');
    check(await cell(supervisor, tax, 'answered') === '3', 'q_tax: 3 answered');
    const bars = await supervisor.$$eval('[data-testid=chart-time] [data-testid=chart-time-bar]', (bs) => bs.map((b) => b.dataset.value));
    check(JSON.stringify(bars) === JSON.stringify(['4', '1']), `the line chart has a bar per day with the offered calls (${bars})`);
    const keyBar = await supervisor.getAttribute('[data-testid=chart-keys] [data-testid=chart-key-bar][data-key=q_tax]', 'data-value');
    check(keyBar === '4', `the bar chart shows q_tax at 4 (${keyBar})`);
    await supervisor.screenshot({ path: join(ARTEFACTS, 'reports-by-day.png'), fullPage: true });
  });

  await step('the CSV files hold the same figures', async () => {
    const byKey = await saved(supervisor, '[data-testid=csv-by_key]');
    check(byKey.name === 'gosline-report-by_key-queue-day-2026-11-10-2026-11-12.csv', `the file is named after the report (${byKey.name})`);
    const lines = byKey.text.split('\r\n');
    check(lines[0].startsWith('queue,calls,offered,answered,abandoned,short_abandoned,answered_within_threshold,service_level_answered,service_level_offered,'),
      `a header row (${lines[0].slice(0, 60)}…)`);
    check(lines.includes('q_tax,4,4,3,1,0,2,0.6667,0.5000,0.2500,20.0000,240.0000,240.0000,,0,0,0,1,0.2500,0.6667,3,2'),
      `q_tax's row (${lines.find((l) => l.startsWith('q_tax')) ?? 'missing'})`);
    const overTime = await saved(supervisor, '[data-testid=csv-over_time]');
    check(overTime.text.split('\r\n').some((l) => l.startsWith('2026-11-10T00:00+03:00,,5,4,2,1,1,1,0.5000,0.3333,')),
      'the over-time CSV has 10 November');
    const rows = await saved(supervisor, '[data-testid=csv-rows]');
    check(rows.text.startsWith('period_start,queue,calls,'), 'the detail CSV has its header row');
  });

  await step('by hour, one bar per hour that had calls', async () => {
    await showReport(supervisor, 'hour', 'operator');
    const hours = await supervisor.$$eval('[data-testid=time-row]', (rs) => rs.map((r) => r.dataset.start));
    check(hours.length === 4 && hours[0] === '2026-11-10T09:00+03:00', `hours in Moscow time (${hours.join(', ')})`);
    const ivanova = '[data-testid=key-row][data-key=ivanova]';
    check(await cell(supervisor, ivanova, 'answered') === '2', 'ivanova answered 2 calls');
  });

  await step('a range backwards is refused with the reason', async () => {
    await supervisor.fill('[data-testid=report-from]', '2026-11-12');
    await supervisor.fill('[data-testid=report-to]', '2026-11-10');
    await supervisor.click('[data-testid=report-show]');
    await supervisor.waitForSelector('[data-testid=report-error]', WAIT);
    check(/before/.test(await supervisor.textContent('[data-testid=report-error]')), 'the error says from must be before to');
  });

  await step('the compliance controller reads the same report', async () => {
    const compliance = await signIn('sidorova');
    await compliance.click('[data-testid=nav-reports]');
    await compliance.waitForSelector('[data-testid=report-form]', WAIT);
    await showReport(compliance, 'week', 'topic');
    const taxes = '[data-testid=key-row][data-key=taxes]';
    check(await cell(compliance, taxes, 'offered') === '4', 'taxes: 4 offered in the week');
    await compliance.screenshot({ path: join(ARTEFACTS, 'reports-compliance.png'), fullPage: true });
  });

  await step('an operator sees no reports', async () => {
    const operator = await signIn('ivanova');
    check(await operator.$('[data-testid=nav-reports]') === null, 'no reports link for an operator');
    const token = await operator.evaluate(() => sessionStorage.getItem('gosline.token'));
    const res = await fetch(base + '/api/v1/reports/intervals?from=2026-11-10&to=2026-11-11', { headers: { Authorization: 'Bearer ' + token } });
    check(res.status === 403, `the API refuses an operator (${res.status})`);
  });

  check(pageErrors.length === 0, 'no JavaScript errors in the page' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
}

await finish('web.reports', main, () => ({ browser, server }), { workdir, artefacts: ARTEFACTS });
