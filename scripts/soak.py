#!/usr/bin/env python3
"""Soak test: `gosline serve` under a steady mixed load for MINUTES minutes.

Load, all on 127.0.0.1, each stream bounded in count and time:
  * IVR callers (rtp_caller.py, RFC 4733 keys): 115, greeting, main menu,
    hang up;
  * queued callers answered by an operator: the operator's phone is sipp
    (digest REGISTER, then op_answer_bye.xml: ring, answer, talk, hang up);
    the operator goes ready over REST before each call;
  * HTTP clients: /readyz, the public status, a page of cases (API key).
Every 10 s the server's RSS, open file descriptors and threads (from /proc)
and the failed calls so far go to a CSV row. At the end every call made must
have its call record (none lost).

Fails (exit 1) on any failed call or lost record, on memory growth beyond 5%
after the warm-up (the first third of the run, at least 30 s), or on file
descriptors or threads that grow after it.

Usage: scripts/soak.py MINUTES [--gosline build/release/gosline] [--csv soak.csv]
(scripts/soak.sh builds the Release binary first and runs this.)
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests', 'telephony'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'e2e'))
from gosline_serve import HOST, GoslineServe, free_port  # noqa: E402
from rtp_caller import RtpCaller  # noqa: E402
from auth_test import PASSWORD, secret_of, totp  # noqa: E402

OPERATOR = 'ivanova'  # skills of the demo configuration: registration
SAMPLE_S = 10


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []      # call ids made
        self.failed = []     # (what, why)
        self.http = 0

    def call(self, call_id):
        with self.lock:
            self.calls.append(call_id)

    def fail(self, what, why):
        with self.lock:
            self.failed.append((what, why))
        print('FAIL  %s: %s' % (what, why), flush=True)


def proc_figures(pid):
    rss_kb = threads = 0
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                rss_kb = int(line.split()[1])
            elif line.startswith('Threads:'):
                threads = int(line.split()[1])
    fds = len(os.listdir('/proc/%d/fd' % pid))
    return rss_kb, fds, threads


def key(caller, digit, settle=0.8):
    caller.send_dtmf_4733(digit)
    caller.listen(settle)


def ivr_caller(srv, tally, stop):
    """A caller walks the menus and hangs up; again and again."""
    for _ in range(100000):
        if stop.is_set():
            return
        c = RtpCaller(HOST, srv.sip_port)
        try:
            status, _ = c.invite('115', telephone_event=101)
            tally.call(c.call_id)
            if status != 200:
                tally.fail('ivr call', 'INVITE answered %s' % status)
                continue
            c.listen(1.0)
            key(c, '1')  # leaves the greeting
            key(c, '1')  # main menu: registration
            c.listen(1.0)
            if c.bye() != 200:
                tally.fail('ivr call', 'BYE not answered 200')
        except Exception as e:  # a stuck or broken call is a failed call
            tally.fail('ivr call', repr(e))
        finally:
            c.sip.close()
            c.rtp.close()


def staff_login(srv, secret):
    import http.client
    import json
    conn = http.client.HTTPConnection(HOST, srv.http_port, timeout=10)
    body = {'login': OPERATOR, 'password': PASSWORD, 'totp': totp(secret)}
    conn.request('POST', '/api/v1/auth/login', body=json.dumps(body).encode(),
                 headers={'Content-Type': 'application/json'})
    resp = conn.getresponse()
    payload = json.loads(resp.read() or b'null')
    conn.close()
    return payload['token'] if resp.status == 200 else None


def staff_post(srv, token, path, body):
    import http.client
    import json
    conn = http.client.HTTPConnection(HOST, srv.http_port, timeout=10)
    conn.request('POST', path, body=json.dumps(body).encode(),
                 headers={'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


def operator_calls(srv, args, tally, stop, token):
    """A queued caller answered by the operator's sipp phone, who hangs up."""
    scenarios = os.path.join(REPO, 'tests', 'telephony')
    passwords = os.path.join(srv.workdir, 'var', 'operator-sip-passwords')
    password = None
    for line in open(passwords, encoding='utf-8'):
        if line.startswith(OPERATOR + ':'):
            password = line.strip().split(':', 1)[1]
    phone_port = free_port()
    base = [args.sipp, '%s:%d' % (HOST, srv.sip_port), '-s', OPERATOR, '-m', '1', '-t', 'u1',
            '-i', HOST, '-p', str(phone_port), '-nostdin', '-timeout', '60s', '-timeout_error']
    reg = subprocess.run(base + ['-sf', os.path.join(scenarios, 'op_register.xml'),
                                 '-au', OPERATOR, '-ap', password or ''],
                         cwd=srv.workdir, capture_output=True, timeout=70)
    if reg.returncode != 0:
        tally.fail('operator', 'REGISTER failed (sipp %d)' % reg.returncode)
        return
    media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # the phone's RTP lands here
    media.bind((HOST, 0))
    for _ in range(100000):
        if stop.is_set():
            break
        if staff_post(srv, token, '/api/v1/operators/%s/state' % OPERATOR, {'state': 'ready'}) != 200:
            tally.fail('operator', 'cannot go ready')
            time.sleep(1)
            continue
        phone = subprocess.Popen(base + ['-sf', os.path.join(scenarios, 'op_answer_bye.xml'),
                                         '-key', 'rtp_port', str(media.getsockname()[1])],
                                 cwd=srv.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)  # sipp binds its port
        c = RtpCaller(HOST, srv.sip_port)
        try:
            status, _ = c.invite('115', telephone_event=101)
            tally.call(c.call_id)
            if status != 200:
                tally.fail('queued call', 'INVITE answered %s' % status)
            else:
                c.listen(1.0)
                key(c, '1')
                key(c, '1')
                key(c, '0')  # an operator
                try:
                    rc = phone.wait(timeout=60)  # rings, answers, talks, hangs up
                except subprocess.TimeoutExpired:
                    rc = -1
                if rc != 0:
                    tally.fail('queued call', 'the operator phone did not answer and hang up (sipp %s)' % rc)
                c.listen(0.5)
        except Exception as e:
            tally.fail('queued call', repr(e))
        finally:
            c.sip.close()
            c.rtp.close()
            if phone.poll() is None:
                phone.kill()
                phone.wait()
        # Wrap-up ends when the operator goes ready again (next round).
    media.close()


def http_clients(srv, tally, stop):
    for _ in range(10000000):
        if stop.is_set():
            return
        for path in ('/readyz', '/api/v1/public/status', '/api/v1/cases?limit=5'):
            try:
                status, _ = srv.request('GET', path)
                if status >= 500 or (path == '/readyz' and status != 200):
                    tally.fail('http', '%s answered %s' % (path, status))
                with tally.lock:
                    tally.http += 1
            except OSError as e:
                tally.fail('http', '%s: %r' % (path, e))
        time.sleep(0.05)


def verdict(samples, tally, srv):
    problems = []
    if tally.failed:
        problems.append('%d failed calls or requests' % len(tally.failed))
    made = set(tally.calls)
    recorded = {r['call_id'] for r in srv.records()}
    lost = made - recorded
    if lost:
        problems.append('%d of %d calls have no call record' % (len(lost), len(made)))
    warm = max(3, len(samples) // 3)
    if len(samples) <= warm:
        problems.append('too short to judge: %d samples, warm-up %d' % (len(samples), warm))
        return problems
    base, rest = samples[warm], samples[warm:]
    rss_max = max(s['rss_kb'] for s in rest)
    if rss_max > base['rss_kb'] * 1.05:
        problems.append('memory grew %.1f%% after the warm-up (%d -> %d kB)' % (
            100.0 * (rss_max - base['rss_kb']) / base['rss_kb'], base['rss_kb'], rss_max))
    # Descriptors and threads may move with the calls in flight at the sample;
    # what is judged is the end against the largest seen just after warm-up.
    for field in ('fds', 'threads'):
        ceiling = max(s[field] for s in samples[warm:warm + 3])
        if samples[-1][field] > ceiling:
            problems.append('%s grew: %d after the warm-up, %d at the end' % (
                field, ceiling, samples[-1][field]))
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('minutes', type=float)
    ap.add_argument('--gosline', default=os.path.join(REPO, 'build', 'release', 'gosline'))
    ap.add_argument('--sipp', default='sipp')
    ap.add_argument('--workdir', default=os.path.join(REPO, 'build', 'soak'))
    ap.add_argument('--prompt-cache', default=os.path.join(REPO, 'build', 'soak-prompts'))
    ap.add_argument('--csv', default=None)
    ap.add_argument('--ivr-callers', type=int, default=2)
    ap.add_argument('--http-clients', type=int, default=2)
    args = ap.parse_args()
    csv_path = args.csv or os.path.join(args.workdir, 'soak.csv')
    srv = GoslineServe(args.gosline, args.workdir, args.prompt_cache)
    passwords = os.path.join(srv.workdir, 'var', 'operator-sip-passwords')
    if os.path.exists(passwords):
        os.remove(passwords)
    enrol = subprocess.run([srv.binary, 'user', 'add', OPERATOR, '--role', 'operator', '--password-stdin',
                            '--config', srv.config, '--db', srv.db], cwd=srv.workdir,
                           input=PASSWORD + '\n', capture_output=True, text=True, timeout=60)
    if enrol.returncode != 0:
        print(enrol.stdout + enrol.stderr)
        return 1
    secret = secret_of(enrol.stdout)
    if not srv.start():
        print('gosline serve did not start:\n' + srv.log()[-4000:])
        return 1
    pid = srv.proc.pid
    token = staff_login(srv, secret)
    if not token:
        print('the operator cannot sign in')
        srv.stop()
        return 1
    tally = Tally()
    stop = threading.Event()
    workers = [threading.Thread(target=ivr_caller, args=(srv, tally, stop), daemon=True)
               for _ in range(args.ivr_callers)]
    workers.append(threading.Thread(target=operator_calls, args=(srv, args, tally, stop, token), daemon=True))
    workers += [threading.Thread(target=http_clients, args=(srv, tally, stop), daemon=True)
                for _ in range(args.http_clients)]
    for w in workers:
        w.start()
    samples = []
    started = time.time()
    end = started + args.minutes * 60
    with open(csv_path, 'w') as csv:
        csv.write('seconds,rss_kb,fds,threads,calls,failed,http_requests\n')
        for _ in range(int(args.minutes * 60 / SAMPLE_S) + 2):
            if time.time() >= end or not srv.alive():
                break
            time.sleep(max(0.0, min(SAMPLE_S, end - time.time())))
            rss_kb, fds, threads = proc_figures(pid)
            with tally.lock:
                row = {'seconds': int(time.time() - started), 'rss_kb': rss_kb, 'fds': fds,
                       'threads': threads, 'calls': len(tally.calls), 'failed': len(tally.failed),
                       'http': tally.http}
            samples.append(row)
            csv.write('%(seconds)d,%(rss_kb)d,%(fds)d,%(threads)d,%(calls)d,%(failed)d,%(http)d\n' % row)
            csv.flush()
            print('soak: %(seconds)4ds rss %(rss_kb)d kB, %(fds)d fds, %(threads)d threads, '
                  '%(calls)d calls, %(failed)d failed, %(http)d HTTP' % row, flush=True)
    stop.set()
    for w in workers:
        w.join(timeout=90)
    alive = srv.alive()
    rc = srv.stop()
    problems = verdict(samples, tally, srv)
    if not alive:
        problems.append('gosline serve died during the run')
    if rc != 0:
        problems.append('gosline serve did not stop cleanly (exit %s)' % rc)
    print('soak: %d calls, %d HTTP requests, samples in %s' % (len(tally.calls), tally.http, csv_path))
    for p in problems:
        print('FAIL  ' + p)
    if problems:
        print('--- server log (tail)\n' + srv.log()[-3000:])
    print('soak: ' + ('FAILED' if problems else 'passed'))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
