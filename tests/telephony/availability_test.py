#!/usr/bin/env python3
"""R4 availability: a node probes the line with SIP OPTIONS (here: itself, as
a one-node line without a front), stores each result, and
GET /api/v1/reports/availability gives the month's figure per node and for
the line; a target nobody answers shows as down."""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

from gosline_serve import GoslineServe, REPO

failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def closed_udp_port():
    """A UDP port nothing listens on (bound, then released)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(args, name, target_of):
    workdir = os.path.join(args.workdir, name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    serve = GoslineServe(args.gosline, workdir, args.prompt_cache)
    demo = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
    assert '\ncluster:' not in demo, 'the demo configuration has a cluster section: update this test'
    serve.config = os.path.join(workdir, 'gosline-probe.yaml')
    with open(serve.config, 'w', encoding='utf-8') as f:
        f.write(demo + '\ncluster:\n  node_name: %s\n  probe_target: %s\n'
                '  probe_interval_seconds: 5\n' % (name, target_of(serve)))
    serve.api_key = subprocess.run(
        [serve.binary, 'apikey', 'create', '--scopes', 'reports:read', '--config', serve.config,
         '--db', serve.db], cwd=workdir, check=True, capture_output=True, text=True,
        timeout=60).stdout.strip()
    if not serve.start():
        check(False, '%s: server started:\n%s' % (name, serve.log()[-3000:]))
        return None
    try:
        # The first probe a second after the start, then every 5 s: wait for two.
        report = None
        deadline = time.time() + 30
        while time.time() < deadline:
            status, report = serve.request('GET', '/api/v1/reports/availability')
            if status == 200 and report['nodes'] and report['nodes'][0]['probes'] >= 2:
                break
            time.sleep(0.5)
        return report
    finally:
        rc = serve.stop()
        check(rc == 0, '%s: server stops cleanly (rc=%s)' % (name, rc))
        if failures:
            print(serve.log()[-3000:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--gosline', required=True)
    p.add_argument('--prompt-cache', required=True)
    p.add_argument('--workdir', required=True)
    args = p.parse_args()

    up = run(args, 'node-up', lambda serve: 'sip:115@127.0.0.1:%d' % serve.sip_port)
    check(up is not None and up['line']['availability'] == 1.0 and up['line']['meets_target'],
          'a line that answers OPTIONS is available: %s' % (up and up['line']))
    check(up is not None and up['nodes'][0]['node'] == 'node-up'
          and up['nodes'][0]['failed_probes'] == 0 and up['target'] == 0.99,
          'per node: the probing node, no failed probe (%s)' % (up and up['nodes']))

    port = closed_udp_port()
    down = run(args, 'node-down', lambda serve: 'sip:115@127.0.0.1:%d' % port)
    check(down is not None and down['line']['availability'] == 0.0
          and down['line']['meets_target'] is False and down['nodes'][0]['failed_probes'] >= 2,
          'a line that does not answer is down: %s %s' % (down and down['line'], down and down['nodes']))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
