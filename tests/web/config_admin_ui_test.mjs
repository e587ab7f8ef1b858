// The line's configuration in headless Chromium against a real `gosline serve`
// (administration): an administrator signs in with password + TOTP,
// sees the areas as tables, adds a blocked number with the form (Check, then
// Save: applied without a restart, in the file), changes an operator's skill
// level, has a broken IVR refused with
// its line in the text, and is told to reload when someone else saved first.
// An operator gets 403 from the configuration API. Screenshots go to
// $GOSLINE_WEB_ARTEFACTS (config-*.png).
//
// Usage: node config_admin_ui_test.mjs PATH/TO/gosline
// Env: GOSLINE_WEB_MODULES (node_modules with playwright-core; the build sets it),
//      GOSLINE_CHROMIUM (default /usr/bin/chromium), GOSLINE_WEB_ARTEFACTS.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CHROMIUM, MODULES, PASSWORD, REPO, WAIT, check, die, failures, finish, loadChromium, makeCli, secretOf, step, totp } from './harness.mjs';

const BINARY = resolve(process.argv[2] ?? '');
const ARTEFACTS = resolve(process.env.GOSLINE_WEB_ARTEFACTS || join(tmpdir(), 'gosline-config-web-artefacts'));
// Edits write the file: the test works on its own copy.
const DEMO_CONFIG = join(REPO, 'config', 'gosline.yaml');


if (!existsSync(BINARY)) die(`usage: node config_admin_ui_test.mjs PATH/TO/gosline (got ${BINARY})`);
const chromium = loadChromium();

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

const workdir = mkdtempSync(join(tmpdir(), 'gosline-config-web-'));
const db = join(workdir, 'gosline.db');
const CONFIG = join(workdir, 'gosline.yaml');
copyFileSync(DEMO_CONFIG, CONFIG);
const cli = makeCli(BINARY, CONFIG, db, workdir);
function addUser(login, role) {
  const out = cli(['user', 'add', login, '--role', role, '--name', `${login} (${role})`, '--password-stdin'], PASSWORD + '\n');
  return secretOf(out);
}

let server = null;
let browser = null;
async function main() {
  mkdirSync(ARTEFACTS, { recursive: true });
  const secrets = { chief: addUser('chief', 'administrator'), ivanova: addUser('ivanova', 'operator') };

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = openSync(join(workdir, 'server.log'), 'a');
  server = spawn(BINARY, ['serve', '--config', CONFIG, '--listen', '127.0.0.1', '--port', String(port),
    '--db', db, '--no-telephony'], { cwd: workdir, stdio: ['ignore', log, log] });
  const serverLog = () => readFileSync(join(workdir, 'server.log'), 'utf8').slice(-4000);
  let ready = false;
  for (let i = 0; i < 600 && !ready && server.exitCode === null; i++) {
    try { ready = (await fetch(base + '/readyz')).status === 200; } catch { /* not listening yet */ }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) die('gosline serve did not become ready:\n' + serverLog());

  const request = async (method, path, body, tok) => {
    const res = await fetch(base + path, {
      method, headers: { ...(tok ? { Authorization: 'Bearer ' + tok } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, json };
  };

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pageErrors = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const shot = (name) => page.screenshot({ path: join(ARTEFACTS, name + '.png'), fullPage: true });

  await page.goto(base + '/app');
  await page.fill('#login', 'chief');
  await page.fill('#password', PASSWORD);
  await page.click('[data-testid=login-next]');
  await page.fill('#totp', totp(secrets.chief));
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=whoami]', WAIT);
  const token = await page.evaluate(() => sessionStorage.getItem('gosline.token'));
  await page.goto(base + '/app/admin');
  await page.waitForSelector('[data-testid=cfg-area-numbers]', WAIT);
  check((await page.textContent('[data-testid=cfg-view-numbers]')).includes('88001007010'), 'the numbers are shown as a table');
  await shot('config-numbers');

  await step('block list', async () => {
    await page.click('[data-testid=cfg-tab-block_list]');
    await page.waitForSelector('[data-testid=cfg-area-block_list]', WAIT);
    await page.click('[data-testid=cfg-edit]');
    await page.fill('[data-testid=cfg-edit-block-input]', '+79001234567');
    await page.click('[data-testid=cfg-edit-block-add]');
    await page.click('[data-testid=cfg-check]');
    await page.waitForSelector('[data-testid=cfg-note]', WAIT);
    check((await page.textContent('[data-testid=cfg-note]')).length > 0, 'Check says the change is valid');
    await page.click('[data-testid=cfg-save]');
    await page.waitForSelector('[data-testid=cfg-saved]', WAIT);
    await page.waitForFunction(() => document.querySelector('[data-testid=cfg-view-block]')?.textContent.includes('+79001234567'), null, WAIT);
    check(true, 'the saved number is shown');
    check(readFileSync(CONFIG, 'utf8').includes('      - "+79001234567"'), 'and written to the file');
    await shot('config-block-list');
  });

  await step('skills', async () => {
    await page.click('[data-testid=cfg-tab-skills]');
    await page.waitForSelector('[data-testid=cfg-view-skills]', WAIT);
    await page.click('[data-testid=cfg-edit]');
    await page.fill('[data-testid=cfg-skill-ivanova-registration]', '8');
    await shot('config-skills-edit');
    await page.click('[data-testid=cfg-save]');
    await page.waitForSelector('[data-testid=cfg-saved]', WAIT);
    await page.waitForFunction(() => document.querySelector('[data-testid=cfg-view-skills]')?.textContent.includes('registration 8'), null, WAIT);
    check(true, 'the new skill level is shown');
    const row = readFileSync(CONFIG, 'utf8').split('\n').find((l) => l.includes('{id: ivanova,')) ?? '';
    check(row.includes('registration: 8'), `and written to the operator's row (${row.trim()})`);
  });

  await step('broken IVR', async () => {
    await page.click('[data-testid=cfg-tab-ivr]');
    await page.waitForSelector('[data-testid=cfg-view-yaml]', WAIT);
    await page.click('[data-testid=cfg-edit-yaml]');
    const text = await page.inputValue('[data-testid=cfg-yaml]');
    const wrong = 'on_fail: hours_other          # no choice: an operator helps';
    const line = text.slice(0, text.indexOf(wrong)).split('\n').length;
    await page.fill('[data-testid=cfg-yaml]', text.replace(wrong, 'on_fail: no_such_node'));
    await page.click('[data-testid=cfg-save]');
    await page.waitForSelector('[data-testid=cfg-errors]', WAIT);
    const lines = await page.$$eval('[data-testid=cfg-errors] li', (els) => els.filter((e) => e.textContent.includes('no_such_node')).map((e) => Number(e.dataset.line)));
    check(lines.length === 1 && lines[0] === line, `the broken IVR is refused at line ${line} of the text (${lines})`);
    await shot('config-ivr-error');
    await page.click('[data-testid=cfg-cancel]');
  });

  await step('conflict', async () => {
    await page.click('[data-testid=cfg-tab-holidays]');
    await page.waitForSelector('[data-testid=cfg-area-holidays]', WAIT);
    await page.click('[data-testid=cfg-edit]');
    // Someone else saves meanwhile.
    const now = await request('GET', '/api/v1/admin/config/numbers', null, token);
    const other = await request('PUT', '/api/v1/admin/config/numbers', { value: [...now.json.value, '122'], version: now.json.version }, token);
    check(other.status === 200, `another administrator's change (${other.status})`);
    await page.fill('[data-testid=cfg-edit-dates-input]', '2027-12-31');
    await page.click('[data-testid=cfg-edit-dates-add]');
    await page.click('[data-testid=cfg-save]');
    await page.waitForSelector('[data-testid=cfg-conflict]', WAIT);
    check(true, 'a stale save is shown as changed by someone else');
    await shot('config-conflict');
  });

  const op = await request('POST', '/api/v1/auth/login', { login: 'ivanova', password: PASSWORD, totp: totp(secrets.ivanova) });
  const denied = await request('GET', '/api/v1/admin/config', null, op.json?.token);
  check(op.status === 200 && denied.status === 403, `an operator gets 403 from the configuration API (${denied.status})`);
  check(pageErrors.length === 0, 'no JavaScript errors in the page' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
}

await finish('web.config_admin', main, () => ({ browser, server }), { workdir, artefacts: ARTEFACTS });
