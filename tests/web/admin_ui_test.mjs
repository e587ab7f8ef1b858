// Staff administration in headless Chromium against a real `gosline serve`
// (R19-R21): a security administrator signs in with password + TOTP,
// creates an operator and sees the one-time enrolment (QR code, secret,
// temporary password); the new operator signs in with them; the operator is
// kept out of administration (no link, "not available" when typed in, 403
// from the API); the administrator resets the operator's TOTP (the old
// secret stops working, the new one works), issues a new password, changes
// the role and disables the account (its login then fails); the API refuses
// to let the administrator disable themself. Screenshots go to
// $GOSLINE_WEB_ARTEFACTS (admin-*.png).
//
// Usage: node admin_ui_test.mjs PATH/TO/gosline
// Env: GOSLINE_WEB_MODULES (node_modules with playwright-core; the build sets it),
//      GOSLINE_CHROMIUM (default /usr/bin/chromium), GOSLINE_WEB_ARTEFACTS.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CHROMIUM, MODULES, PASSWORD, REPO, WAIT, check, die, failures, finish, loadChromium, makeCli, secretOf, step, totp } from './harness.mjs';

const BINARY = resolve(process.argv[2] ?? '');
const ARTEFACTS = resolve(process.env.GOSLINE_WEB_ARTEFACTS || join(tmpdir(), 'gosline-admin-web-artefacts'));
const CONFIG = join(REPO, 'config', 'gosline.yaml');


if (!existsSync(BINARY)) die(`usage: node admin_ui_test.mjs PATH/TO/gosline (got ${BINARY})`);
const chromium = loadChromium();

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

const workdir = mkdtempSync(join(tmpdir(), 'gosline-admin-web-'));
const db = join(workdir, 'gosline.db');
const cli = makeCli(BINARY, CONFIG, db, workdir);
function addUser(login, role) {
  const out = cli(['user', 'add', login, '--role', role, '--name', `${login} (${role})`, '--password-stdin'], PASSWORD + '\n');
  return secretOf(out);
}

let server = null;
let browser = null;
async function main() {
  mkdirSync(ARTEFACTS, { recursive: true });
  const secrets = { orlova: addUser('orlova', 'security_administrator') };

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
  // A login over the API: the status alone (200, or 401 for any wrong input).
  const apiLogin = async (login, password, code) =>
    (await request('POST', '/api/v1/auth/login', { login, password, totp: code })).status;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pageErrors = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    return page;
  };
  const shot = (page, name) => page.screenshot({ path: join(ARTEFACTS, name + '.png'), fullPage: true });
  const fillLogin = async (page, login, password, code) => {
    await page.goto(base + '/app');
    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.click('[data-testid=login-next]');
    await page.fill('#totp', code);
    await page.click('[data-testid=login-submit]');
  };
  const row = (login) => `[data-testid=user-row][data-login="${login}"]`;
  // Clicks a row's action and answers "yes" to its confirmation.
  const confirmed = async (page, selector) => {
    await page.click(selector);
    await page.waitForSelector('[data-testid=confirm]', WAIT);
    await page.click('[data-testid=confirm-yes]');
  };

  // --- the security administrator creates an operator ------------------------
  const admin = await newPage();
  await fillLogin(admin, 'orlova', PASSWORD, totp(secrets.orlova));
  await admin.waitForSelector('[data-testid=whoami]', WAIT);
  check(new URL(admin.url()).pathname === '/app/admin', `the security administrator lands on administration (${admin.url()})`);
  await admin.waitForSelector(row('orlova'), WAIT);
  check((await admin.$('[data-testid=route-list]')) !== null, 'the route list is still there');
  check((await admin.$('[data-testid=nav-cases]')) === null, 'the security administrator is not offered citizens\' cases');
  const adminToken = await admin.evaluate(() => sessionStorage.getItem('gosline.token'));

  await admin.fill('#nu-login', 'petrova');
  await admin.fill('#nu-name', 'Петрова Мария');
  await admin.selectOption('#nu-role', 'operator');
  await admin.click('[data-testid=user-create-submit]');
  await admin.waitForSelector('[data-testid=enrolment][data-login=petrova]', WAIT);
  const secret1 = (await admin.textContent('[data-testid=enrolment-secret]')).trim();
  const uri = (await admin.textContent('[data-testid=enrolment-uri]')).trim();
  const password1 = (await admin.textContent('[data-testid=temporary-password]')).trim();
  check(/^[A-Z2-7]{16,}$/.test(secret1) && new URL(uri).searchParams.get('secret') === secret1,
    'the enrolment shows the secret and the otpauth URI that carries it');
  check((await admin.$('[data-testid=one-time-secret] .qr svg')) !== null, 'the enrolment shows the QR code');
  check((await admin.$$('[data-testid=recovery-codes] li')).length === 10, 'the enrolment shows ten recovery codes');
  check(password1.length >= 12, 'a temporary password is shown');
  await shot(admin, 'admin-users-enrolment');
  await admin.click('[data-testid=one-time-done]');
  await admin.waitForSelector('[data-testid=one-time-secret]', { state: 'detached', ...WAIT });
  check(true, 'the one-time secrets are hidden once handed over');
  await admin.waitForSelector(row('petrova') + '[data-role=operator][data-disabled=false]', WAIT);
  check(true, 'the new operator is in the list');
  const listed = await request('GET', '/api/v1/users/petrova', null, adminToken);
  check(listed.status === 200 && listed.json?.role === 'operator' && listed.json?.totp_enrolled === true,
    `the API has the new account (${JSON.stringify(listed.json)})`);

  // --- the new operator signs in; administration is closed to them -----------
  let operatorToken = '';
  {
    const page = await newPage();
    await fillLogin(page, 'petrova', password1, totp(secret1));
    await page.waitForSelector('[data-testid=whoami]', WAIT);
    check(new URL(page.url()).pathname === '/app/desktop', `the new operator signs in with the temporary password and the TOTP secret (${page.url()})`);
    operatorToken = await page.evaluate(() => sessionStorage.getItem('gosline.token'));
    check((await page.$('[data-testid=nav-admin]')) === null, 'the operator has no administration link');
    await page.goto(base + '/app/admin');
    await page.waitForSelector('[data-testid=forbidden]', WAIT);
    check((await page.$('[data-testid=users-admin]')) === null, 'the operator typing /app/admin gets "not available", no user list');
    await shot(page, 'admin-operator-refused');
    for (const [method, path, body] of [['GET', '/api/v1/users'], ['GET', '/api/v1/users/orlova'],
      ['POST', '/api/v1/users', { login: 'mallory', role: 'security_administrator' }],
      ['POST', '/api/v1/users/orlova/totp-reset']]) {
      const r = await request(method, path, body, operatorToken);
      check(r.status === 403 && r.json?.error, `operator ${method} ${path}: 403 with a JSON error (${r.status})`);
    }
    await page.close();
  }

  // --- TOTP reset: the old secret stops working, the new one works -----------
  await confirmed(admin, row('petrova') + ' [data-testid=user-totp-reset]');
  await admin.waitForSelector('[data-testid=enrolment][data-login=petrova]', WAIT);
  const secret2 = (await admin.textContent('[data-testid=enrolment-secret]')).trim();
  check(secret2 !== secret1 && secret2.length >= 16, 'the TOTP reset shows a new secret');
  await shot(admin, 'admin-users-totp-reset');
  await admin.click('[data-testid=one-time-done]');
  check((await request('GET', '/api/v1/auth/me', null, operatorToken)).status === 401, 'the reset ended the operator\'s session');
  // Codes for steps not used before (replay protection is not what refuses them).
  check(await apiLogin('petrova', password1, totp(secret1, Date.now() + 30000)) === 401, 'a code from the old secret no longer works');
  check(await apiLogin('petrova', password1, totp(secret2, Date.now() - 30000)) === 200, 'a code from the new secret works');

  // --- new password, new role, disabled ---------------------------------------
  await confirmed(admin, row('petrova') + ' [data-testid=user-password-reset]');
  await admin.waitForSelector('[data-testid=one-time-secret] [data-testid=temporary-password]', WAIT);
  const password2 = (await admin.textContent('[data-testid=temporary-password]')).trim();
  check(password2.length >= 12 && password2 !== password1, 'a password reset shows a new temporary password');
  await admin.click('[data-testid=one-time-done]');

  await admin.selectOption(row('petrova') + ' [data-testid=user-role]', 'supervisor');
  await admin.waitForSelector('[data-testid=confirm]', WAIT);
  await admin.click('[data-testid=confirm-yes]');
  await admin.waitForSelector(row('petrova') + '[data-role=supervisor]', WAIT);
  check(true, 'the role change is confirmed and shown');

  await confirmed(admin, row('petrova') + ' [data-testid=user-disable]');
  await admin.waitForSelector(row('petrova') + '[data-disabled=true]', WAIT);
  check(true, 'the account shows as disabled');
  await shot(admin, 'admin-users');
  {
    // Right password, a fresh code of the current secret: only "disabled" can refuse it.
    const page = await newPage();
    await fillLogin(page, 'petrova', password2, totp(secret2, Date.now() + 30000));
    await page.waitForSelector('[data-testid=login-error]', WAIT);
    check((await page.$('[data-testid=whoami]')) === null, 'the disabled operator cannot sign in');
    await page.close();
  }

  // --- guard rails ---------------------------------------------------------------
  check(await admin.isDisabled(row('orlova') + ' [data-testid=user-disable]'), 'the administrator\'s own disable button is off');
  const self = await request('PATCH', '/api/v1/users/orlova', { disabled: true }, adminToken);
  check(self.status === 409 && /own account/.test(self.json?.error?.message ?? ''), `disabling oneself: 409 with a reason (${self.status})`);
  const last = await request('PATCH', '/api/v1/users/orlova', { role: 'operator' }, adminToken);
  check(last.status === 409 && /last security administrator/.test(last.json?.error?.message ?? ''), `demoting the last security administrator: 409 (${last.status})`);
  await admin.selectOption(row('orlova') + ' [data-testid=user-role]', 'operator');
  await admin.click('[data-testid=confirm-yes]');
  await admin.waitForSelector('[data-testid=users-error]', WAIT);
  check((await admin.textContent('[data-testid=users-error]')).includes('last security administrator'), 'the screen shows the refusal');
  await shot(admin, 'admin-users-refusal');
  await admin.close();

  check(pageErrors.length === 0, 'no JavaScript errors in the pages' + (pageErrors.length ? ': ' + pageErrors.join('; ') : ''));
}

await finish('web.admin', main, () => ({ browser, server }), { workdir, artefacts: ARTEFACTS });
