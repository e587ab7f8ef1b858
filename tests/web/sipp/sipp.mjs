// sipp for the browser test (tests/web): free loopback ports, sipp processes
// with bounded lifetimes that the test can always kill, and the cue that makes
// the caller scenario (caller_to_queue.xml) hang up.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const HOST = '127.0.0.1';

export function findSipp() {
  if (process.env.GOSLINE_SIPP) return existsSync(process.env.GOSLINE_SIPP) ? process.env.GOSLINE_SIPP : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'sipp'))) return join(dir, 'sipp');
  }
  return null;
}

function udpFree(port) {
  return new Promise((ok) => {
    const s = createSocket('udp4');
    s.once('error', () => { try { s.close(); } catch { /* never bound */ } ok(false); });
    s.bind(port, HOST, () => s.close(() => ok(true)));
  });
}

function tcpFree(port) {
  return new Promise((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(port, HOST, () => s.close(() => ok(true)));
  });
}

const randomPort = () => 20000 + Math.floor(Math.random() * 40000);

// A port free for UDP (and TCP when asked: SIP listens on both).
export async function freePort({ tcp = false, even = false } = {}) {
  for (let i = 0; i < 200; i++) {
    const port = even ? randomPort() & ~1 : randomPort();
    if (await udpFree(port) && (!tcp || await tcpFree(port))) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

// `size` ports whose even ones are free for UDP: the server's RTP range.
export async function freeRtpRange(size) {
  for (let i = 0; i < 100; i++) {
    const base = randomPort() & ~1;
    if (base + size > 60000) continue;
    let ok = true;
    for (let p = base; p < base + size && ok; p += 2) ok = await udpFree(p);
    if (ok) return [base, base + size - 1];
  }
  throw new Error('no free RTP range on 127.0.0.1');
}

// One sipp run: one call (-m 1), UDP on 127.0.0.1, a global timeout, its log
// and errors in `workdir`. `done` resolves to the exit code (null: killed).
export class Sipp {
  constructor(binary, workdir, name, scenario, target, args) {
    const log = openSync(join(workdir, `sipp-${name}.log`), 'a');
    this.name = name;
    this.proc = spawn(binary, ['-sf', scenario, target, '-m', '1', '-t', 'u1', '-i', HOST, '-nostdin',
      '-timeout', '150s', '-timeout_error', '-trace_err',
      '-error_file', join(workdir, `sipp-${name}.errors.log`), ...args],
    { cwd: workdir, stdio: ['ignore', log, log] });
    this.done = new Promise((ok) => {
      this.proc.once('exit', (code) => ok(code));
      this.proc.once('error', () => ok(null));
    });
  }

  // The exit code, or 'timeout' after `ms` (the process is then killed).
  async finished(ms) {
    let timer;
    const late = new Promise((ok) => { timer = setTimeout(() => ok('timeout'), ms); });
    const code = await Promise.race([this.done, late]);
    clearTimeout(timer);
    if (code === 'timeout') this.kill();
    return code;
  }

  kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

// Tells caller_to_queue.xml to hang up: an INFO in its dialog (sipp matches
// messages to its call by Call-ID alone), sent once to its SIP port. sipp
// does not answer it; the scenario goes on to its BYE.
export function cueHangup(port, callId) {
  const msg = [
    `INFO sip:caller@${HOST}:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${HOST}:9;branch=z9hG4bK-web-hangup`,
    `From: <sip:test@${HOST}>;tag=web-test`,
    `To: <sip:caller@${HOST}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INFO',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '', ''].join('\r\n');
  return new Promise((ok, fail) => {
    const s = createSocket('udp4');
    s.send(msg, port, HOST, (err) => { s.close(); if (err) fail(err); else ok(); });
  });
}

// Receives (and drops) the RTP the server sends to the operator's phone.
export function rtpSink() {
  return new Promise((ok, fail) => {
    const s = createSocket('udp4');
    s.once('error', fail);
    s.on('message', () => {});
    s.bind(0, HOST, () => ok(s));
  });
}
