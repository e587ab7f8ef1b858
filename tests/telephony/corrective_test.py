#!/usr/bin/env python3
"""End-to-end (R13): a corrective action fires on the real `gosline serve`.

serve runs on a copy of config/gosline.yaml whose corrective_actions rule is
switched on with small thresholds: more than one caller waiting for
federal-registration for 2 s -> high-load announcement, callback offer and a
page to the supervisors; back to none waiting for 2 s -> undone.
  * two callers (rtp_caller.py) walk the IVR to federal-registration and wait:
    no operator is logged in;
  * /metrics shows gosline_corrective_action_active{rule="registration-backlog"} 1
    (the gauge is read from the same snapshot the wallboard gets) and the audit
    log has corrective.activate with the reason;
  * a third caller entering now is announced the high_load prompt and the
    callback offer (the server logs the prompts a caller hears on entry);
  * the callers hang up: the gauge goes back to 0, corrective.deactivate is audited.
Every wait is bounded; nothing asserts on timing.
"""
import argparse
import os
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'e2e'))
from gosline_serve import REPO, GoslineServe  # noqa: E402
from serve_operator_test import check, failures, queued_caller, wait_for  # noqa: E402

RULE = 'registration-backlog'
RULES = ('corrective_actions:\n'
         '  - name: %s\n'
         '    when: {figure: queue_length, queue: federal-registration, above: 1, for_seconds: 2}\n'
         '    recover: {threshold: 0, for_seconds: 2}\n'
         '    actions:\n'
         '      - high_load_announcement: {prompt: high_load}\n'
         '      - offer_callback\n'
         '      - page_supervisors\n' % RULE)
ENTRY = r'corrective prompts on entry: high_load, gosline\.queue\.callback_offer'


def corrective_config(workdir):
    with open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8') as f:
        text = f.read()
    at = text.find('\ncorrective_actions:\n')
    if at < 0:
        raise RuntimeError('corrective_actions not found in config/gosline.yaml')
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, 'corrective.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text[:at + 1] + RULES)
    return path


def gauge(srv):
    st, body = srv.request('GET', '/metrics')
    if st != 200 or not isinstance(body, (bytes, str)):
        return None
    text = body.decode() if isinstance(body, bytes) else body
    m = re.search(r'^gosline_corrective_action_active\{rule="%s"\} (\S+)$' % RULE, text, re.M)
    return m.group(1) if m else None


def audited(srv, action):
    conn = sqlite3.connect(srv.db + '.audit', timeout=5)
    try:
        return conn.execute('SELECT detail FROM audit_log WHERE action=? AND object=?',
                            (action, RULE)).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    args = ap.parse_args()
    srv = GoslineServe(args.gosline, args.workdir, args.prompt_cache,
                       config=corrective_config(args.workdir))
    srv.api_key = subprocess.run(
        [srv.binary, 'apikey', 'create', '--scopes', 'cases:read cases:write metrics:read',
         '--config', srv.config, '--db', srv.db], cwd=srv.workdir, check=True,
        capture_output=True, text=True, timeout=60).stdout.strip()
    if not srv.start():
        print('gosline serve did not start:\n' + srv.log()[-4000:])
        return 1
    callers = []
    try:
        check(gauge(srv) == '0', 'the rule is listed in /metrics, not active (%r)' % gauge(srv))
        for _ in range(2):
            c = queued_caller(srv)
            if c:
                callers.append(c)
        check(len(callers) == 2, 'two callers wait for federal-registration')
        check(wait_for(lambda: gauge(srv) == '1', timeout=30),
              'gosline_corrective_action_active{rule="%s"} 1 once the queue held' % RULE)
        rows = wait_for(lambda: audited(srv, 'corrective.activate'), timeout=15)
        check(bool(rows) and 'queue_length of federal-registration' in rows[0][0],
              'corrective.activate audited with its reason (%r)' % (rows,))
        check(not srv.log_matches(ENTRY), 'nobody heard the high-load prompts before the rule fired')
        c3 = queued_caller(srv)
        if c3:
            callers.append(c3)
        check(bool(wait_for(lambda: srv.log_matches(ENTRY), timeout=15)),
              'a caller entering while it acts hears the high-load announcement and the callback offer')
        for c in callers:
            c.bye()
        callers = []
        check(wait_for(lambda: gauge(srv) == '0', timeout=30), 'the action ends once the queue drained')
        rows = wait_for(lambda: audited(srv, 'corrective.deactivate'), timeout=15)
        check(bool(rows) and rows[0][0].startswith('recovered'),
              'corrective.deactivate audited as recovered (%r)' % (rows,))
    except Exception as e:  # a crash is a failure, not a hang
        check(False, 'raised %r' % e)
    finally:
        for c in callers:
            try:
                c.bye()
            except Exception:
                pass
        rc = srv.stop()
    check(rc == 0, 'gosline stops cleanly on SIGTERM (exit %s)' % rc)
    print('%d failure(s)' % len(failures))
    if failures:
        print('--- server log (tail)\n' + srv.log()[-4000:])
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
