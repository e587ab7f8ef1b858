// Staff administration in headless Chromium against a real `gosline serve`
// (R19-R21): a security administrator signs in with password + TOTP,
// creates an operator and is shown a temporary password only (no QR code,
// no secret, no recovery codes); the new operator signs in with it, is held
// on the first-sign-in screen (the API refuses everything else) until they
// set their own password and enrol their own authenticator, then reaches
// the desktop; the operator is kept out of administration (no link, "not
// available" when typed in, 403 from the API); the administrator resets the
// operator's TOTP (the old secret stops working; the operator's password
// opens only a new enrolment), issues a new temporary password (useless
// without the operator's authenticator), changes the role and disables the
// account (its login then fails); the API refuses to let the administrator
// disable themself. Screenshots go to $GOSLINE_WEB_ARTEFACTS (admin-*.png).
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
  await admin.waitForSelector('[data-testid=one-time-secret][data-login=petrova] [data-testid=temporary-password]', WAIT);
  const password1 = (await admin.textContent('[data-testid=temporary-password]')).trim();
  check(password1.length >= 12, 'a temporary password is shown');
  const shownToAdmin = await admin.textContent('[data-testid=one-time-secret]');
  check((await admin.$('[data-testid=one-time-secret] .qr')) === null && !/otpauth|secret=/i.test(shownToAdmin),
    'no QR code or TOTP secret is shown to the administrator');
  check((await admin.$('[data-testid=recovery-codes]')) === null, 'no recovery codes are shown to the administrator');
  check((await admin.$('[data-testid=first-sign-in-note]')) !== null, 'the administrator is told the person sets up the rest');
  await shot(admin, 'admin-users-temporary-password');
  await admin.click('[data-testid=one-time-done]');
  await admin.waitForSelector('[data-testid=one-time-secret]', { state: 'detached', ...WAIT });
  check(true, 'the temporary password is hidden once handed over');
  await admin.waitForSelector(row('petrova') + '[data-role=operator][data-disabled=false]', WAIT);
  check(true, 'the new operator is in the list');
  const listed = await request('GET', '/api/v1/users/petrova', null, adminToken);
  check(listed.status === 200 && listed.json?.role === 'operator' && listed.json?.totp_enrolled === false,
    `the API has the new account, with no second factor yet (${JSON.stringify(listed.json)})`);

  // --- the new operator's first sign-in; administration is closed to them ----
  const OWN = 'petrova chooses her own passphrase';
  let operatorToken = '';
  let secret1 = '';
  {
    const page = await newPage();
    await page.goto(base + '/app');
    await page.fill('#login', 'petrova');
    await page.fill('#password', password1);
    await page.click('[data-testid=login-next]');
    await page.click('[data-testid=login-first]');
    await page.waitForSelector('[data-testid=first-sign-in][data-steps="password totp"]', WAIT);
    check(true, 'the temporary password leads to the first-sign-in screen: password, then authenticator');
    operatorToken = await page.evaluate(() => sessionStorage.getItem('gosline.token'));
    const limited = await request('GET', '/api/v1/cases', null, operatorToken);
    check(limited.status === 403 && /^first sign-in:/.test(limited.json?.error?.message ?? ''),
      `the first-sign-in session is refused anything else (${limited.status} ${JSON.stringify(limited.json)})`);
    check((await page.$('[data-testid=nav-desktop]')) === null, 'no screen is offered before the setup');
    await shot(page, 'admin-first-sign-in-password');
    await page.fill('#setup-current', password1);
    await page.fill('#setup-new', OWN);
    await page.fill('#setup-again', OWN);
    await page.click('[data-testid=setup-password-submit]');
    await page.click('[data-testid=setup-totp-begin]');
    await page.waitForSelector('[data-testid=setup-otpauth-uri]', WAIT);
    const uri = (await page.textContent('[data-testid=setup-otpauth-uri]')).trim();
    secret1 = new URL(uri).searchParams.get('secret');
    check(/^[A-Z2-7]{16,}$/.test(secret1) && (await page.$('[data-testid=setup-totp] .qr svg')) !== null,
      'the operator sees their own QR code and otpauth URI');
    await shot(page, 'admin-first-sign-in-totp');
    await page.fill('#setup-totp-code', totp(secret1, Date.now() - 30000));
    await page.click('[data-testid=setup-totp-confirm]');
    await page.waitForSelector('[data-testid=setup-recovery-codes] li', WAIT);
    check((await page.$$('[data-testid=setup-recovery-codes] li')).length === 10, 'the operator is shown their ten recovery codes');
    await page.click('[data-testid=setup-continue]');
    await page.waitForSelector('[data-testid=nav-desktop]', WAIT);
    check(new URL(page.url()).pathname === '/app/desktop', `after the setup the operator reaches the desktop (${page.url()})`);
    check(await apiLogin('petrova', password1, totp(secret1)) === 401, 'the temporary password no longer works');
    check(await apiLogin('petrova', OWN, totp(secret1)) === 200, 'the operator\'s own password and authenticator sign in');
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

  // --- TOTP reset: the old secret stops working; the operator enrols again ----
  await confirmed(admin, row('petrova') + ' [data-testid=user-totp-reset]');
  await admin.waitForSelector('[data-testid=one-time-secret][data-login=petrova] [data-testid=first-sign-in-note]', WAIT);
  check((await admin.$('[data-testid=one-time-secret] .qr')) === null &&
    !/otpauth|secret=/i.test(await admin.textContent('[data-testid=one-time-secret]')),
    'the TOTP reset shows the administrator no secret');
  await shot(admin, 'admin-users-totp-reset');
  await admin.click('[data-testid=one-time-done]');
  check((await request('GET', '/api/v1/auth/me', null, operatorToken)).status === 401, 'the reset ended the operator\'s session');
  const again = await request('POST', '/api/v1/auth/login', { login: 'petrova', password: OWN, totp: totp(secret1, Date.now() + 30000) });
  check(again.status === 200 && JSON.stringify(again.json?.user?.setup_required) === '["totp"]',
    `after the reset the operator's password opens only a new enrolment (${JSON.stringify(again.json?.user)})`);
  const enrol = await request('POST', '/api/v1/auth/totp/enrol', null, again.json?.token);
  const secret2 = new URL(enrol.json?.otpauth_uri ?? 'x:').searchParams.get('secret') ?? '';
  const confirmedTotp = await request('POST', '/api/v1/auth/totp/confirm', { totp: totp(secret2, Date.now() - 30000) }, again.json?.token);
  check(confirmedTotp.status === 200 && secret2 !== secret1, `the operator enrols a new authenticator (${confirmedTotp.status})`);
  check(await apiLogin('petrova', OWN, totp(secret2)) === 200, 'a code from the new secret works');

  // --- new password, new role, disabled ---------------------------------------
  await confirmed(admin, row('petrova') + ' [data-testid=user-password-reset]');
  await admin.waitForSelector('[data-testid=one-time-secret] [data-testid=temporary-password]', WAIT);
  const password2 = (await admin.textContent('[data-testid=temporary-password]')).trim();
  check(password2.length >= 12 && password2 !== password1, 'a password reset shows a new temporary password');
  await admin.click('[data-testid=one-time-done]');
  check((await request('POST', '/api/v1/auth/login', { login: 'petrova', password: password2 })).status === 401,
    'the temporary password alone does not sign in: the operator\'s authenticator is still needed');

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
