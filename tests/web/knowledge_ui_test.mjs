// The knowledge-base panel of the operator desktop in headless Chromium
// against a real `gosline serve`: an operator signs in, types
// "пароль", sees the password-recovery article with the word highlighted,
// opens it and reads it rendered from Markdown (headings, lists, bold; no
// markup left over). Also the API beside it: 401 without sign-in, a lone '"'
// answered, a bad limit refused. Screenshots go to $GOSLINE_WEB_ARTEFACTS.
//
// Usage: node knowledge_ui_test.mjs PATH/TO/gosline
// Env: GOSLINE_WEB_MODULES (node_modules with playwright-core; the build sets it),
//      GOSLINE_CHROMIUM (default /usr/bin/chromium), GOSLINE_WEB_ARTEFACTS.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CHROMIUM, MODULES, PASSWORD, REPO, WAIT, check, die, failures, finish, loadChromium, makeCli, secretOf, step, totp } from './harness.mjs';

const BINARY = resolve(process.argv[2] ?? '');
const ARTEFACTS = resolve(process.env.GOSLINE_WEB_ARTEFACTS || join(tmpdir(), 'gosline-web-artefacts'));
const CONFIG = join(REPO, 'config', 'gosline.yaml');


if (!existsSync(BINARY)) die(`usage: node knowledge_ui_test.mjs PATH/TO/gosline (got ${BINARY})`);
const chromium = loadChromium();

const workdir = mkdtempSync(join(tmpdir(), 'gosline-kb-web-'));
const db = join(workdir, 'gosline.db');
const cli = makeCli(BINARY, CONFIG, db, workdir);

let server = null;
let browser = null;
async function main() {
  mkdirSync(ARTEFACTS, { recursive: true });
  const out = cli(['user', 'add', 'ivanova', '--role', 'operator', '--name', 'Иванова', '--password-stdin'], PASSWORD + '\n');
  const secret = secretOf(out);

  // The configuration's knowledge.dir (data/knowledge) is relative to the
  // working directory: link the repository's data/ there.
  symlinkSync(join(REPO, 'data'), join(workdir, 'data'));
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
  check(/knowledge base: \d+ articles from data\/knowledge/.test(serverLog()), 'serve indexed the knowledge base at start');
  check(!/knowledge base: .*:\d+:/.test(serverLog()), 'no article was refused');

  const get = async (path, token) => {
    const res = await fetch(base + path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json };
  };
  check((await get('/api/v1/knowledge?q=' + encodeURIComponent('пароль'))).status === 401, 'the search needs a sign-in');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  await page.goto(base + '/app');
  await page.fill('#login', 'ivanova');
  await page.fill('#password', PASSWORD);
  await page.click('[data-testid=login-next]');
  await page.fill('#totp', totp(secret));
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=whoami]', WAIT);
  const token = await page.evaluate(() => sessionStorage.getItem('gosline.token'));

  // The API as the operator.
  const found = await get('/api/v1/knowledge?q=' + encodeURIComponent('восстановить пароль'), token);
  check(found.status === 200 && found.json?.items?.[0]?.id === 'password-recovery',
    `the API finds password recovery for "восстановить пароль" (${found.status} ${found.json?.items?.[0]?.id})`);
  const quote = await get('/api/v1/knowledge?q=' + encodeURIComponent('"'), token);
  check(quote.status === 200 && Array.isArray(quote.json?.items), `a lone '"' is answered (${quote.status})`);
  const bad = await get('/api/v1/knowledge?limit=0', token);
  check(bad.status === 400 && bad.json?.error?.field === 'limit', `limit=0 is refused with the field (${bad.status})`);

  // The panel on the desktop.
  await page.waitForSelector('[data-testid=kb-panel] [data-testid=kb-query]', WAIT);
  await page.fill('[data-testid=kb-query]', 'пароль');
  // The panel lists articles before anything is typed: wait for the answer to "пароль".
  const hit = '[data-testid=kb-results][data-query="пароль"] [data-testid=kb-result][data-id=password-recovery]';
  await page.waitForSelector(hit, WAIT);
  const first = await page.getAttribute('[data-testid=kb-results][data-query="пароль"] [data-testid=kb-result] >> nth=0', 'data-id');
  check(first === 'password-recovery', `"пароль": the password recovery article comes first (${first})`);
  const marked = await page.$$eval(`${hit} mark`, (ms) => ms.map((m) => m.textContent.toLowerCase()));
  check(marked.some((m) => m.startsWith('парол')), `the snippet highlights the word (${marked.join(', ')})`);
  const snippet = await page.textContent(`${hit} .note:last-child`);
  check(!/[<>]|&lt;|&amp;/.test(snippet), 'the snippet shows text, not markup');
  await page.screenshot({ path: join(ARTEFACTS, 'knowledge-search.png'), fullPage: true });

  await page.click(`${hit} a`);
  await page.waitForSelector('[data-testid=kb-article][data-id=password-recovery]', WAIT);
  const title = (await page.textContent('[data-testid=kb-article-title]')).trim();
  check(title === 'Восстановление пароля от Госуслуг', `the article opens (${title})`);
  const article = await page.textContent('[data-testid=kb-article] .markdown');
  check(article.includes('Не помню пароль'), 'the article text is shown');
  check(!article.includes('**') && !article.includes('##'), 'no Markdown marks are left in the text');
  const shape = await page.$eval('[data-testid=kb-article] .markdown', (el) => ({
    headings: el.querySelectorAll('h4').length, items: el.querySelectorAll('li').length,
    ordered: el.querySelectorAll('ol').length, bold: el.querySelectorAll('strong').length,
  }));
  check(shape.headings >= 3 && shape.items >= 5 && shape.ordered >= 1 && shape.bold >= 1,
    `headings, lists and bold are rendered (${JSON.stringify(shape)})`);
  await page.screenshot({ path: join(ARTEFACTS, 'knowledge-article.png'), fullPage: true });

  await page.click('[data-testid=kb-back]');
  await page.waitForSelector(hit, WAIT);
  check(true, 'back to the results');

  // A topic filter that excludes the article.
  await page.selectOption('[data-testid=kb-topic]', 'taxes');
  const gone = '[data-testid=kb-result][data-id=password-recovery]';
  await page.waitForFunction((sel) => !document.querySelector(sel), gone, WAIT);
  const topics = await page.$$eval('[data-testid=kb-result]', (rs) => rs.map((r) => r.dataset.id));
  const taxes = (await get('/api/v1/knowledge?topic=taxes&limit=50', token)).json?.items?.map((x) => x.id) ?? [];
  check(topics.every((id) => taxes.includes(id)), `filtered to taxes, only tax articles remain (${topics.join(', ') || 'none'})`);

  check(pageErrors.length === 0, 'no JavaScript errors in the page' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
}

await finish('web.knowledge', main, () => ({ browser, server }), { workdir, artefacts: ARTEFACTS });
