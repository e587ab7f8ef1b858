#!/usr/bin/env python3
"""End-to-end: configuration edits reach the running telephony without a restart.

The hotline's telephony (HotlineTelephony, as `gosline serve` runs it) starts on
the demo configuration with a few changes (config A) and is told over stdin to
apply others (gosline_hotline_test_server; the administration's config editor
calls the same HotlineTelephony::Reconfigure). Callers speak SIP and RTP over
loopback (rtp_caller.py). Checked:
  * numbers: 122 is 404 before, answered after; +74957274747, removed, is 404;
  * block list: +79035550001 is answered, then 603 once blocked, answered again
    once the entry is removed;
  * IVR: a call in progress when the IVR changed finishes on the old one (its
    main menu, pressed after the change, plays the old prompt, which the new
    IVR no longer has); a new call hears the new greeting and menu (the call
    records' prompts say which);
  * refused changes leave everything as it was: a changed recordings_dir
    ("changes need a restart"), a prompt that cannot be made (missing WAV).
Every wait is bounded.
"""
import argparse
import copy
import os
import select
import sqlite3
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_serve import REPO, free_port, free_range  # noqa: E402
from rtp_caller import RtpCaller, rms  # noqa: E402

failures = []
BLOCKED = '79035550001'


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


class Driver:
    """gosline_hotline_test_server in its work directory, commands over stdin."""

    def __init__(self, binary, workdir, config):
        self.sip_port = free_port()
        rtp_min, rtp_max = free_range(40)
        self.db = os.path.join(workdir, 'calls.db')
        self.log_path = os.path.join(workdir, 'server.log')
        self.proc = subprocess.Popen(
            [binary, '--config', config, '--db', self.db, '--sip-port', str(self.sip_port),
             '--rtp-ports', '%d-%d' % (rtp_min, rtp_max)],
            cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(self.log_path, 'w'), text=True)

    def reply(self, timeout):
        """The next '@' line on stdout, or None when none came in time."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    return None  # exited
                if line.startswith('@'):
                    return line.strip()
            elif self.proc.poll() is not None:
                return None
        return None

    def reconfigure(self, path):
        self.proc.stdin.write('reconfigure %s\n' % path)
        self.proc.stdin.flush()
        return self.reply(120)  # new prompts are synthesised first

    def stop(self):
        try:
            self.proc.stdin.write('stop\n')
            self.proc.stdin.close()
            return self.proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()
            return None

    def records(self):
        conn = sqlite3.connect('file:%s?mode=ro' % self.db, uri=True, timeout=5)
        try:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute('SELECT * FROM call_records ORDER BY id')]
        finally:
            conn.close()


def configs(workdir):
    """Config files A (start), B (numbers, block list, IVR changed), C (block list
    emptied), D (a restart-only change), E (a prompt that cannot be made)."""
    with open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8') as f:
        demo = yaml.safe_load(f)
    a = copy.deepcopy(demo)
    a['service']['numbers'] = ['115', '+74957274747']
    a['security']['abuse']['block'] = []
    a['security']['abuse']['allow'] = ['+79161234567']
    a['ivr']['prompts']['greeting'] = {'ru': 'Старое приветствие.', 'en': 'Old greeting.'}
    greeting = next(n for n in a['ivr']['nodes'] if n['id'] == 'greeting')
    greeting['prompts'] = ['greeting']

    b = copy.deepcopy(a)
    b['service']['numbers'] = ['115', '122']
    b['security']['abuse']['block'] = ['+' + BLOCKED]
    prompts = b['ivr']['prompts']
    del prompts['greeting']
    prompts['welcome'] = {'ru': 'Новое приветствие.', 'en': 'New greeting.'}
    prompts['main_menu_v2'] = prompts.pop('main_menu')
    for node in b['ivr']['nodes']:
        if node['id'] == 'greeting':
            node['prompts'] = ['welcome']
        if node['id'] == 'main_menu':
            node['prompts'] = 'main_menu_v2'

    c = copy.deepcopy(b)
    c['security']['abuse']['block'] = []
    d = copy.deepcopy(c)
    d['telephony']['recordings_dir'] = 'var/other-recordings'
    e = copy.deepcopy(c)
    e['ivr']['prompts']['welcome'] = {'ru': {'wav': os.path.join(workdir, 'missing.wav')},
                                      'en': 'New greeting.'}
    paths = {}
    for name, cfg in (('a', a), ('b', b), ('c', c), ('d', d), ('e', e)):
        paths[name] = os.path.join(workdir, name + '.yaml')
        with open(paths[name], 'w', encoding='utf-8') as f:
            yaml.safe_dump(cfg, f, allow_unicode=True, sort_keys=False)
    return paths


def call(drv, number, caller='79161234567'):
    c = RtpCaller('127.0.0.1', drv.sip_port, caller=caller)
    status, _ = c.invite(number, telephone_event=101)
    return c, status


def short_call(drv, number, caller='79161234567'):
    """The final answer to an INVITE; an answered call is hung up at once."""
    c, status = call(drv, number, caller)
    if status == 200:
        c.listen(0.3)
        c.bye()
    return status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    args = ap.parse_args()
    workdir = os.path.abspath(args.workdir)
    os.makedirs(os.path.join(workdir, 'var'), exist_ok=True)
    os.makedirs(args.prompt_cache, exist_ok=True)
    for link, target in (('data', os.path.join(REPO, 'data')),
                         (os.path.join('var', 'prompts'), os.path.abspath(args.prompt_cache))):
        path = os.path.join(workdir, link)
        if os.path.islink(path) or os.path.exists(path):
            os.remove(path)
        os.symlink(target, path)
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(os.path.join(workdir, 'calls.db' + suffix)):
            os.remove(os.path.join(workdir, 'calls.db' + suffix))
    paths = configs(workdir)

    drv = Driver(os.path.abspath(args.server), workdir, paths['a'])
    if not check(drv.reply(300) == '@ready', 'telephony started on config A'):
        print(open(drv.log_path).read()[-3000:])
        drv.stop()
        return 1
    try:
        scenario(drv, paths)
    finally:
        check(drv.stop() == 0, 'stopped cleanly')
    records_checks(drv)
    if failures:
        print(open(drv.log_path).read()[-3000:])
        print('%d FAILED: %s' % (len(failures), failures))
        return 1
    print('all passed')
    return 0


calls = {}


def scenario(drv, paths):
    check(short_call(drv, '122') == 404, 'A: 122 is not served (404)')
    check(short_call(drv, '115', BLOCKED) == 200, 'A: +%s is answered' % BLOCKED)

    old, status = call(drv, '115')
    check(status == 200, 'A: a call to 115 is answered (it will keep IVR A)')
    old.listen(1.0)
    calls['old'] = old.call_id

    check(drv.reconfigure(paths['b']) == '@reconfigured', 'B applied live')
    old.send_dtmf_4733('1')   # greeting -> main menu, after the change
    old.packets = []
    old.listen(2.5)
    check(rms([p[6] for p in old.packets]) > 500, 'the call in progress hears its main menu')

    new, status = call(drv, '115')
    check(status == 200, 'B: a new call to 115 is answered')
    new.listen(1.0)
    new.send_dtmf_4733('1')
    new.packets = []
    new.listen(2.5)
    check(rms([p[6] for p in new.packets]) > 500, 'the new call hears its main menu')
    calls['new'] = new.call_id
    check(new.bye() == 200 and old.bye() == 200, 'both calls hung up (BYE 200)')

    check(short_call(drv, '122') == 200, 'B: 122, added, is answered')
    check(short_call(drv, '+74957274747') == 404, 'B: +74957274747, removed, is 404')
    check(short_call(drv, '115', BLOCKED) == 603, 'B: +%s, block-listed, gets 603' % BLOCKED)

    refused = drv.reconfigure(paths['d'])
    check(refused is not None and refused.startswith('@refused')
          and 'telephony.recordings_dir changes need a restart' in refused,
          'D refused: %s' % refused)
    refused = drv.reconfigure(paths['e'])
    check(refused is not None and refused.startswith('@refused') and 'welcome' in refused,
          'E refused (a prompt cannot be made): %s' % refused)
    check(short_call(drv, '115', BLOCKED) == 603, 'after the refusals B still holds: 603')
    after, status = call(drv, '115')
    check(status == 200, 'after the refusals a call is answered')
    after.listen(1.5)
    check(rms([p[6] for p in after.packets]) > 500, '... and hears the greeting of B')
    calls['after_refusals'] = after.call_id
    after.bye()

    check(drv.reconfigure(paths['c']) == '@reconfigured', 'C applied live')
    check(short_call(drv, '115', BLOCKED) == 200, 'C: +%s, removed from the block list, '
          'is answered' % BLOCKED)


def records_checks(drv):
    by_id = {r['call_id']: r for r in drv.records()}
    heard = {k: (by_id[v]['prompts'] or '').split() if v in by_id else None
             for k, v in calls.items()}
    print('      prompts heard:', heard)
    old, new, after = heard.get('old'), heard.get('new'), heard.get('after_refusals')
    check(old is not None and 'ru/greeting' in old and 'ru/main_menu' in old
          and 'ru/welcome' not in old and 'ru/main_menu_v2' not in old,
          'the call in progress finished on IVR A (old greeting and old main menu)')
    check(new is not None and 'ru/welcome' in new and 'ru/main_menu_v2' in new
          and 'ru/greeting' not in new and 'ru/main_menu' not in new,
          'the new call ran IVR B (new greeting and main menu)')
    check(after is not None and 'ru/welcome' in after, 'the call after the refusals ran IVR B')
    check(any(r['dialled'] == '122' and r['sip_status'] == 404 for r in by_id.values())
          and any(r['dialled'] == '122' and r['answered_at_ms'] for r in by_id.values()),
          'records: 122 refused (404), then answered')


if __name__ == '__main__':
    sys.exit(main())
