// What every browser test of the web application shares (tests/web/*_test.mjs):
// the pass/fail log, the TOTP an authenticator app computes, Chromium driven
// by playwright-core, the CLI, and the end of a run. Each test starts its own server.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.GOSLINE_CHROMIUM || '/usr/bin/chromium';
export const MODULES = process.env.GOSLINE_WEB_MODULES || join(REPO, 'web', 'node_modules');
export const PASSWORD = 'correct horse battery staple';
export const WAIT = { timeout: 30000 };  // an upper bound for a page to react, not a speed assertion

export const failures = [];
export function check(cond, what) {
  console.log((cond ? 'ok   ' : 'FAIL ') + what);
  if (!cond) failures.push(what);
  return cond;
}
// Runs one part of a test; an exception fails that part and the rest still runs.
export async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(false, `${name}: ${(e?.message ?? String(e)).split('\n').slice(0, 3).join(' ')}`);
  }
}
export function die(message) {
  console.error('FAIL ' + message);
  process.exit(1);
}

// playwright-core's chromium, or the test stops saying what is missing.
export function loadChromium() {
  if (!existsSync(CHROMIUM)) {
    die(`Chromium is not installed at ${CHROMIUM}: the web tests need it ` +
        '(scripts/install-deps.sh installs the Debian package "chromium"; or set GOSLINE_CHROMIUM)');
  }
  try {
    return createRequire(join(MODULES, 'noop.js'))('playwright-core').chromium;
  } catch (e) {
    return die(`playwright-core not found under ${MODULES} (the CMake build runs npm ci there): ${e.message}`);
  }
}

// RFC 6238 TOTP with HMAC-SHA-1, as an authenticator app computes it.
export function totp(secretB32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// `gosline ARGS --config CONFIG --db DB` in `workdir`; its stdout, or the test stops.
export function makeCli(binary, config, db, workdir) {
  return (args, input) => {
    const r = spawnSync(binary, [...args, '--config', config, '--db', db],
      { cwd: workdir, input, encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0) die(`gosline ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
}

// The TOTP secret in the output of `gosline user add`.
export function secretOf(out) {
  const line = out.split('\n').find((l) => l.startsWith('or enter this URI: '));
  if (!line) die('no otpauth URI in the output of user add:\n' + out);
  return new URL(line.slice('or enter this URI: '.length)).searchParams.get('secret');
}

// Runs the test's main(), then closes the browser and stops serve (SIGTERM,
// SIGKILL after 30 s; `onStopped` sees the exit code while it is known), prints
// the verdict and exits. `parts()` gives the browser and server as they are then.
export async function finish(name, main, parts, { workdir, artefacts, onStopped } = {}) {
  let code = 0;
  try {
    await main();
  } catch (e) {
    console.error('FAIL ' + (e?.stack ?? e));
    code = 1;
  } finally {
    const { browser, server } = parts();
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      for (let i = 0; i < 300 && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      if (onStopped) onStopped(server.exitCode);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }
  if (failures.length) code = 1;
  console.log(code ? `${name}: FAILED (${failures.length} check(s))` : `${name}: all checks passed`);
  if (artefacts) console.log(`screenshots: ${artefacts}`);
  if (workdir) {
    if (code === 0) rmSync(workdir, { recursive: true, force: true });
    else console.log(`server files kept in ${workdir}`);
  }
  process.exit(code);
}
