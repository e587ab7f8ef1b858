#!/usr/bin/env python3
"""Graceful drain of a node on SIGTERM (R4), against the real `gosline serve`.

Two calls are up when the node gets SIGTERM: one the caller hangs up a few
seconds later, one that would go on for longer than the node's drain time.
While the node drains: the front's health probe (OPTIONS) and a new INVITE
get 503 with Retry-After and a Reason; the first call goes on and ends
normally (BYE 200) with its call record; at the end of the drain time the
node ends the second call itself (BYE) and writes its record; then the
process exits 0 by itself. Every wait is bounded.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_serve import HOST, REPO, GoslineServe, free_port, free_range  # noqa: E402

DRAIN_SECONDS = 20
failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def wait_for(pred, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    return pred()


class Sipp:
    """One sipp run against the node; start() leaves it running."""

    def __init__(self, args, port, scenario, name, extra=()):
        self.trace = os.path.join(args.workdir, name + '.messages.log')
        if os.path.exists(self.trace):
            os.remove(self.trace)
        self.cmd = [args.sipp, '-sf', os.path.join(args.scenarios, scenario), '-s', '115',
                    '%s:%d' % (HOST, port), '-m', '1', '-t', 'u1',
                    '-p', str(free_port()), '-mp', str(free_range(4)[0]), '-nostdin',
                    '-timeout', '60s', '-timeout_error', '-trace_err', '-trace_msg',
                    '-message_file', self.trace,
                    '-error_file', os.path.join(args.workdir, name + '.errors.log')] + list(extra)
        self.cwd = args.workdir
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        return self

    def run(self, timeout=70):
        self.start()
        return self.wait(timeout)

    def wait(self, timeout=70):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -1

    def messages(self):
        if not os.path.exists(self.trace):
            return ''
        with open(self.trace, encoding='utf-8', errors='replace') as f:
            return f.read()

    def answered(self):
        return 'SIP/2.0 200 OK' in self.messages() and 'CSeq: 1 INVITE' in self.messages()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--sipp', required=True)
    ap.add_argument('--scenarios', required=True)
    ap.add_argument('--prompt-cache', required=True)
    ap.add_argument('--workdir', required=True)
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    args.scenarios = os.path.abspath(args.scenarios)
    args.prompt_cache = os.path.abspath(args.prompt_cache)
    os.makedirs(args.workdir, exist_ok=True)

    demo = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
    assert '\ncluster:' not in demo, 'the demo configuration has a cluster section: update this test'
    config = os.path.join(args.workdir, 'gosline-drain.yaml')
    with open(config, 'w', encoding='utf-8') as f:
        f.write(demo + '\ncluster:\n  node_name: drain-test\n  drain_seconds: %d\n' % DRAIN_SECONDS)
    serve = GoslineServe(args.gosline, args.workdir, args.prompt_cache, config=config)
    if not check(serve.start(), 'gosline serve started'):
        print(serve.log()[-4000:])
        return 1
    port = serve.sip_port
    short = long = None
    try:
        check(Sipp(args, port, 'options.xml', 'options_before').run() == 0,
              'before the drain: OPTIONS -> 200')
        # The caller hangs up 6 s after the answer, well inside the drain time.
        short = Sipp(args, port, 'uac_hold.xml', 'short', ['-d', '6000']).start()
        long = Sipp(args, port, 'uac_hold_until_bye.xml', 'long').start()
        check(wait_for(lambda: short.answered() and long.answered(), 30),
              'two calls answered before SIGTERM')

        serve.proc.send_signal(signal.SIGTERM)
        check(wait_for(lambda: 'sip: draining' in serve.log(), 10), 'the node drains on SIGTERM')
        check(Sipp(args, port, 'options_draining.xml', 'options_draining').run() == 0,
              'draining: OPTIONS -> 503 with Retry-After and Reason')
        check(Sipp(args, port, 'uac_draining.xml', 'invite_draining').run() == 0,
              'draining: a new INVITE -> 503 with Retry-After and Reason')
        status, body = serve.request('GET', '/readyz')
        check(status == 503 and body['error']['code'] == 'draining',
              'draining: /readyz -> 503 for HTTP load balancers (%s %s)' % (status, body))
        status, _ = serve.request('GET', '/healthz')
        check(status == 200, 'draining: /healthz still 200 (the process is alive)')

        check(short.wait() == 0, 'the call in progress went on and ended normally (BYE 200)')
        check(serve.alive(), 'the node waits for the longer call')
        check(long.wait() == 0, 'at the end of the drain time the node ended the last call (BYE)')
        try:
            rc = serve.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, 'the node exited by itself after the drain (rc %s)' % rc)

        records = serve.records()
        by_reason = {r['end_reason']: r for r in records}
        check(len(records) == 2, 'two call records, the refused INVITE none: %s'
              % [(r['call_id'], r['end_reason'], r['sip_status']) for r in records])
        rec = by_reason.get('caller_hangup')
        check(rec is not None and rec['sip_status'] == 200 and rec['answered_at_ms'],
              'the drained call has its record (caller hung up, 200)')
        rec = by_reason.get('shutdown')
        check(rec is not None and rec['answered_at_ms'],
              'the call ended by the drain time has its record (shutdown)')
    finally:
        for s in (short, long):
            if s is not None and s.proc is not None and s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        serve.stop()
    if failures:
        print('%d failure(s); server log tail:\n%s' % (len(failures), serve.log()[-4000:]))
        return 1
    print('all drain checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
