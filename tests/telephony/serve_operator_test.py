#!/usr/bin/env python3
"""End-to-end: a caller reaches a real operator through the
real `gosline serve` (ctest labels "sip;e2e").

serve runs on config/gosline.yaml (free loopback ports, its own SQLite file).
  * the operator ivanova (routing id and staff login) registers her phone
    (sipp, digest auth with the password serve wrote to its passwords file),
    signs in with password + TOTP and goes ready over REST;
  * a caller (rtp_caller.py) dials 115 and walks the demo IVR: greeting ->
    main menu 1 (registration) -> 0 (an operator): queue federal-registration,
    a topic ivanova has;
  * her phone rings with X-Gosline-Case (a ten-digit case number) and answers;
    the caller sends 440 Hz, the phone 1000 Hz, each must hear the other;
  * the caller hangs up after ~2 s of conversation;
  * the call record has operator_id, wait_ms, talk_ms, outcome 'answered' and
    a recording that is a stereo WAV with audio in both channels; the case
    (GET /api/v1/cases/{number}) has the topic and a history line naming the
    operator with the wait and talk times.
A second caller, with no operator ready, abandons while waiting: outcome
'abandoned' with wait_ms.
Overflow (R11): the test's copy of config/gosline.yaml adds the rule
federal-registration -> after 2 s -> federal-taxes. With ivanova not ready and
smirnova (taxes, no registration) ready, a third caller queued for registration
is offered to federal-taxes: smirnova's phone rings and answers, media flows
both ways, and the record has operator_id smirnova, outcome 'answered'.
Every wait is bounded; nothing asserts on timing.
"""
import argparse
import http.client
import io
import json
import sqlite3
import math
import os
import subprocess
import sys
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'e2e'))
from gosline_serve import HOST, REPO, GoslineServe, free_port  # noqa: E402
from rtp_caller import RtpCaller  # noqa: E402
from b2bua_test import OperatorRtp, decode, finished, tone_alaw, tone_blocks  # noqa: E402
from auth_test import PASSWORD, secret_of, totp  # noqa: E402

failures = []
OPERATOR = 'ivanova'
OVERFLOW_OPERATOR = 'smirnova'  # skills taxes/certificates, not registration
OVERFLOW_RULE = ('    - queue: federal-registration\n'
                 '      rules:\n'
                 '        - {after_seconds: 2, to_queue: federal-taxes}\n')


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def wait_for(fn, timeout=10.0, step=0.2):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value or time.time() >= deadline:
            return value
        time.sleep(step)


def staff_request(srv, method, path, body=None, headers=None):
    """A request with the given headers only (no API key): staff sessions."""
    conn = http.client.HTTPConnection(HOST, srv.http_port, timeout=10)
    try:
        h = {'Content-Type': 'application/json'}
        h.update(headers or {})
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=h)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw
    finally:
        conn.close()


def sipp(args, srv, scenario, local_port, extra=(), background=False, operator=OPERATOR):
    cmd = [args.sipp, '-sf', os.path.join(args.scenarios, scenario), '-s', operator,
           '%s:%d' % (HOST, srv.sip_port), '-m', '1', '-t', 'u1', '-i', HOST, '-p', str(local_port),
           '-nostdin', '-timeout', '60s', '-timeout_error', '-trace_err',
           '-error_file', os.path.join(srv.workdir, '%s.%s.errors.log' % (operator, scenario))] + list(extra)
    if background:
        return subprocess.Popen(cmd, cwd=srv.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return subprocess.run(cmd, cwd=srv.workdir, capture_output=True, timeout=70).returncode
    except subprocess.TimeoutExpired:
        return -1


def key(caller, digit, settle=1.0):
    caller.send_dtmf_4733(digit)
    caller.listen(settle)


def queued_caller(srv):
    """Dials 115: greeting (1 leaves it), main menu 1 (registration), 0 (an operator)."""
    c = RtpCaller(HOST, srv.sip_port)
    status, _ = c.invite('115', telephone_event=101)
    if not check(status == 200, 'INVITE 115 answered by the IVR (%d)' % status):
        return None
    c.listen(1.0)
    key(c, '1')  # leaves the greeting in Russian
    key(c, '1')  # main menu: registration
    key(c, '0')  # registration menu: an operator
    return c


def outcome_row(srv, call_id, outcome, timeout=15, recorded=False):
    """The call record once it has its outcome (and, when asked, its recording: the
    recording is sealed on its own thread and named on the record after the outcome)."""
    def row():
        r = srv.record_for(call_id, timeout=0.2)
        if not r or r.get('outcome') != outcome:
            return None
        return r if not recorded or r.get('recording_path') else None
    return wait_for(row, timeout) or srv.record_for(call_id, timeout=0.2)


def check_sealed_recording(srv, path):
    """R22: the recording at rest is sealed under the data key: no clear WAV on disk."""
    if not check(bool(path), 'call record names the recording (%r)' % path):
        return
    full = path if os.path.isabs(path) else os.path.join(srv.workdir, path)
    if not check(os.path.exists(full), 'recording file exists: %s' % full):
        return
    with open(full, 'rb') as f:
        head = f.read(64)
    check(full.endswith('.wav.sealed') and b'RIFF' not in head and not os.path.exists(full[:-7]),
          'the recording is sealed at rest, no clear WAV left (%s)' % os.path.basename(full))


def check_recording(wav_bytes):
    with wave.open(io.BytesIO(wav_bytes)) as w:
        check(w.getnchannels() == 2 and w.getframerate() == 8000 and w.getsampwidth() == 2,
              'recording is stereo 8 kHz 16-bit (%d ch, %d Hz, %d bytes)'
              % (w.getnchannels(), w.getframerate(), w.getsampwidth()))
        raw = w.readframes(w.getnframes())
        channels = w.getnchannels()
    if channels != 2:
        return
    samples = [int.from_bytes(raw[i:i + 2], 'little', signed=True) for i in range(0, len(raw), 2)]
    left, right = samples[0::2], samples[1::2]
    check(len(left) >= 8000, 'recording is %.1f s long' % (len(left) / 8000))
    rms_l = math.sqrt(sum(x * x for x in left) / max(len(left), 1))
    rms_r = math.sqrt(sum(x * x for x in right) / max(len(right), 1))
    check(rms_l > 500 and rms_r > 500, 'audio in both channels (RMS left %.0f, right %.0f)' % (rms_l, rms_r))
    share_l, share_r = tone_blocks(left, 440), tone_blocks(right, 1000)
    check(share_l > 0.6, 'left channel is the caller (440 Hz in %.0f%% of blocks)' % (100 * share_l))
    check(share_r > 0.6, 'right channel is the operator (1000 Hz in %.0f%% of blocks)' % (100 * share_r))


def register_phone(args, srv, operator):
    """The operator's phone registers with the password serve made on first start; its port."""
    passwords = os.path.join(srv.workdir, 'var', 'operator-sip-passwords')
    password = None
    if os.path.exists(passwords):
        for line in open(passwords, encoding='utf-8'):
            if line.startswith(operator + ':'):
                password = line.strip().split(':', 1)[1]
    if not check(bool(password), 'serve wrote a SIP password for %s to %s' % (operator, passwords)):
        return None
    phone_port = free_port()
    check(sipp(args, srv, 'op_register.xml', phone_port, ['-au', operator, '-ap', password],
               operator=operator) == 0,
          'REGISTER %s with digest auth -> 401 then 200' % operator)
    return phone_port


def test_answered(args, srv, ivanova):
    phone_port = register_phone(args, srv, OPERATOR)
    if phone_port is None:
        return

    st, body = staff_request(srv, 'POST', '/api/v1/operators/%s/state' % OPERATOR, {'state': 'ready'}, ivanova)
    check(st == 200 and body and body.get('state') == 'ready', 'operator goes ready (%s %s)' % (st, body))

    rtp = OperatorRtp()
    rtp.start()
    phone = sipp(args, srv, 'op_answer_case.xml', phone_port, ['-key', 'rtp_port', str(rtp.port)],
                 background=True)
    try:
        time.sleep(0.3)  # sipp binds its port
        c = queued_caller(srv)
        if not c:
            return
        # Bounded: the queue message plays, then the call is offered and answered.
        tone = tone_alaw(440, 1.0)
        deadline = time.time() + 40
        while time.time() < deadline and not rtp.heard:
            c.listen(0.5, send_audio=tone)
        if not check(bool(rtp.heard), "the operator's phone rang, answered, and hears the caller"):
            return
        c.packets = []
        rtp.heard = []
        c.listen(2.5, send_audio=tone_alaw(440, 3.5))
        share_c = tone_blocks(decode([p[6] for p in c.packets[-50:]]), 1000)
        share_o = tone_blocks(decode(rtp.heard[-50:]), 440)
        check(share_c > 0.6, 'caller hears the operator (1000 Hz in %.0f%% of blocks)' % (100 * share_c))
        check(share_o > 0.6, 'operator hears the caller (440 Hz in %.0f%% of blocks)' % (100 * share_o))
        check(c.bye() == 200, 'caller hangs up -> 200')
        check(finished(phone, 20) == 0, 'operator phone got INVITE with X-Gosline-Case, then BYE (sipp passed)')
        phone = None
    finally:
        rtp.stop = True
        if phone is not None and phone.poll() is None:
            phone.kill()
            phone.wait()

    rec = outcome_row(srv, c.call_id, 'answered', recorded=True)
    if not check(rec is not None, 'call record in SQLite'):
        return
    print('      record:', {k: rec.get(k) for k in ('topic', 'queue', 'linked_case', 'operator_id', 'wait_ms',
                                                   'talk_ms', 'wrap_up_ms', 'outcome', 'recording_path')})
    check(rec.get('outcome') == 'answered', "outcome 'answered' (%r)" % rec.get('outcome'))
    check(rec.get('operator_id') == OPERATOR, 'operator_id %r' % rec.get('operator_id'))
    check(rec.get('queue') == 'federal-registration' and rec.get('topic') == 'registration',
          'queue/topic %r/%r' % (rec.get('queue'), rec.get('topic')))
    check(rec.get('wait_ms') is not None and rec['wait_ms'] >= 0, 'wait_ms %r' % rec.get('wait_ms'))
    check(rec.get('talk_ms') is not None and rec['talk_ms'] > 0, 'talk_ms %r' % rec.get('talk_ms'))
    check_sealed_recording(srv, rec.get('recording_path'))

    number = rec.get('linked_case') or ''
    if not check(len(number) == 10, 'the call is linked to a case (%r)' % number):
        return
    # Ready again ends her wrap-up, which closes the call for the centre: the case gets its line.
    st, _ = staff_request(srv, 'POST', '/api/v1/operators/%s/state' % OPERATOR, {'state': 'ready'}, ivanova)
    check(st == 200, 'operator ready again after the call (%s)' % st)

    def history():
        st, case = srv.request('GET', '/api/v1/cases/%s' % number)
        if st != 200 or not isinstance(case, dict):
            return None
        text = json.dumps(case.get('history', []), ensure_ascii=False)
        return case if ('operator ' + OPERATOR) in text and 'talked' in text else None
    case = wait_for(history, 15)
    if not case:
        st, case = srv.request('GET', '/api/v1/cases/%s' % number)
        check(False, 'case %s history names the operator with wait and talk: %s %s' % (number, st, case))
        return
    check(case.get('topic') == 'registration', 'case topic %r' % case.get('topic'))
    lines = [json.dumps(h, ensure_ascii=False) for h in case['history']]
    line = next((h for h in lines if ('operator ' + OPERATOR) in h), '')
    print('      history:', line)
    check('waited' in line and 'talked' in line and 'answered' in line,
          'case history: answered by %s, waited, talked' % OPERATOR)

    # R30/R21: the recording plays through the API (unsealed), and the playback is audited.
    st, body = srv.request('GET', '/api/v1/cases/%s/recordings/1' % number)
    playable = st == 200 and isinstance(body, (bytes, bytearray)) and body[:4] == b'RIFF'
    check(playable, 'GET /api/v1/cases/%s/recordings/1 plays the recording (%s, %d bytes)'
          % (number, st, len(body) if isinstance(body, (bytes, bytearray)) else -1))
    if playable:
        check_recording(bytes(body))
    audit = sqlite3.connect('file:%s.audit?mode=ro' % srv.db, uri=True, timeout=5)
    try:
        plays = audit.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'recording.play' "
                              "AND object = ?", ('case:' + number,)).fetchone()[0]
    finally:
        audit.close()
    check(plays >= 1, 'the playback is in the audit log (%d record(s) recording.play)' % plays)


def test_abandoned(srv, ivanova):
    st, _ = staff_request(srv, 'POST', '/api/v1/operators/%s/state' % OPERATOR,
                 {'state': 'not_ready', 'reason': 'lunch'}, ivanova)
    check(st == 200, 'operator not ready (%s): no one can answer' % st)
    c = queued_caller(srv)
    if not c:
        return
    c.listen(5.0)  # the queue message, then waiting
    check(c.bye() == 200, 'caller abandons while waiting -> 200')
    rec = outcome_row(srv, c.call_id, 'abandoned')
    if not check(rec is not None, 'call record in SQLite'):
        return
    print('      record:', {k: rec.get(k) for k in ('queue', 'operator_id', 'wait_ms', 'talk_ms', 'outcome')})
    check(rec.get('outcome') == 'abandoned', "outcome 'abandoned' (%r)" % rec.get('outcome'))
    check(rec.get('wait_ms') is not None and rec['wait_ms'] >= 0, 'wait_ms %r' % rec.get('wait_ms'))
    check(not rec.get('operator_id') and not rec.get('talk_ms'),
          'no operator, no talk time (%r, %r)' % (rec.get('operator_id'), rec.get('talk_ms')))


def test_overflow(args, srv, ivanova, smirnova):
    st, _ = staff_request(srv, 'POST', '/api/v1/operators/%s/state' % OPERATOR,
                          {'state': 'not_ready', 'reason': 'lunch'}, ivanova)
    check(st == 200, '%s not ready (%s): registration has nobody ready' % (OPERATOR, st))
    phone_port = register_phone(args, srv, OVERFLOW_OPERATOR)
    if phone_port is None:
        return
    st, body = staff_request(srv, 'POST', '/api/v1/operators/%s/state' % OVERFLOW_OPERATOR,
                             {'state': 'ready'}, smirnova)
    check(st == 200 and body and body.get('state') == 'ready',
          '%s goes ready (%s %s)' % (OVERFLOW_OPERATOR, st, body))

    rtp = OperatorRtp()
    rtp.start()
    phone = sipp(args, srv, 'op_answer_case.xml', phone_port, ['-key', 'rtp_port', str(rtp.port)],
                 background=True, operator=OVERFLOW_OPERATOR)
    c = None
    try:
        time.sleep(0.3)  # sipp binds its port
        c = queued_caller(srv)
        if not c:
            return
        # Bounded: queue message, the overflow time, then the offer to federal-taxes.
        tone = tone_alaw(440, 1.0)
        deadline = time.time() + 45
        while time.time() < deadline and not rtp.heard:
            c.listen(0.5, send_audio=tone)
        if not check(bool(rtp.heard), "after the overflow %s's phone rang, answered, and hears the caller"
                     % OVERFLOW_OPERATOR):
            c.bye()
            return
        c.packets = []
        rtp.heard = []
        c.listen(2.5, send_audio=tone_alaw(440, 3.5))
        share_c = tone_blocks(decode([p[6] for p in c.packets[-50:]]), 1000)
        share_o = tone_blocks(decode(rtp.heard[-50:]), 440)
        check(share_c > 0.6, 'caller hears %s (1000 Hz in %.0f%% of blocks)' % (OVERFLOW_OPERATOR, 100 * share_c))
        check(share_o > 0.6, '%s hears the caller (440 Hz in %.0f%% of blocks)' % (OVERFLOW_OPERATOR, 100 * share_o))
        check(c.bye() == 200, 'caller hangs up -> 200')
        check(finished(phone, 20) == 0, '%s phone got INVITE with X-Gosline-Case, then BYE (sipp passed)'
              % OVERFLOW_OPERATOR)
        phone = None
    finally:
        rtp.stop = True
        if phone is not None and phone.poll() is None:
            phone.kill()
            phone.wait()

    rec = outcome_row(srv, c.call_id, 'answered')
    if not check(rec is not None, 'call record in SQLite'):
        return
    print('      record:', {k: rec.get(k) for k in ('topic', 'queue', 'operator_id', 'wait_ms', 'talk_ms',
                                                   'outcome')})
    check(rec.get('outcome') == 'answered', "outcome 'answered' (%r)" % rec.get('outcome'))
    check(rec.get('operator_id') == OVERFLOW_OPERATOR, 'operator_id %r (overflowed to %s)'
          % (rec.get('operator_id'), OVERFLOW_OPERATOR))
    check(rec.get('queue') == 'federal-taxes' and rec.get('topic') == 'registration',
          'answered from the overflow queue, topic kept: queue/topic %r/%r' % (rec.get('queue'), rec.get('topic')))
    check(rec.get('talk_ms') is not None and rec['talk_ms'] > 0, 'talk_ms %r' % rec.get('talk_ms'))


def overflow_config(workdir):
    """config/gosline.yaml with one more overflow rule: registration -> taxes after 2 s."""
    with open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8') as f:
        text = f.read()
    anchor = '\n  overflow:\n'
    if text.count(anchor) != 1:
        raise RuntimeError('routing.overflow not found once in config/gosline.yaml')
    text = text.replace(anchor, anchor + OVERFLOW_RULE)
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(os.path.abspath(workdir), 'gosline-overflow.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def enrol_operator(srv, login):
    enrol = subprocess.run([srv.binary, 'user', 'add', login, '--role', 'operator', '--password-stdin',
                            '--config', srv.config, '--db', srv.db], cwd=srv.workdir, input=PASSWORD + '\n',
                           capture_output=True, text=True, timeout=60)
    if not check(enrol.returncode == 0, 'staff account %s created' % login):
        print(enrol.stdout + enrol.stderr)
        return None
    return secret_of(enrol.stdout)


def login(srv, name, secret):
    st, body = staff_request(srv, 'POST', '/api/v1/auth/login',
                             {'login': name, 'password': PASSWORD, 'totp': totp(secret)})
    if check(st == 200, '%s signs in with password + TOTP (%s)' % (name, st)):
        return {'Authorization': 'Bearer ' + body['token']}
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    ap.add_argument('--sipp', default='sipp')
    ap.add_argument('--scenarios', default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    args.scenarios = os.path.abspath(args.scenarios)
    srv = GoslineServe(args.gosline, args.workdir, args.prompt_cache, config=overflow_config(args.workdir))
    passwords = os.path.join(srv.workdir, 'var', 'operator-sip-passwords')
    if os.path.exists(passwords):
        os.remove(passwords)  # serve makes it on first start
    secret = enrol_operator(srv, OPERATOR)
    secret2 = enrol_operator(srv, OVERFLOW_OPERATOR)
    if secret is None or secret2 is None:
        return 1
    if not srv.start():
        print('gosline serve did not start:\n' + srv.log()[-4000:])
        return 1
    print('gosline serve ready (SIP %d, HTTP %d)' % (srv.sip_port, srv.http_port), flush=True)
    try:
        ivanova = login(srv, OPERATOR, secret)
        smirnova = login(srv, OVERFLOW_OPERATOR, secret2)
        if ivanova and smirnova:
            for name, test in (('answered', lambda: test_answered(args, srv, ivanova)),
                               ('abandoned', lambda: test_abandoned(srv, ivanova)),
                               ('overflow', lambda: test_overflow(args, srv, ivanova, smirnova))):
                print('--', name, flush=True)
                try:
                    test()
                except Exception as e:  # a crash is a failure, not a hang
                    check(False, '%s raised %r' % (name, e))
    finally:
        rc = srv.stop()
    check(rc == 0, 'gosline stops cleanly on SIGTERM (exit %s)' % rc)
    check(bool(srv.log_matches(r'telephony stopped: \d+ call records written, 0 lost')),
          'every call record written on stop')
    print('%d failure(s)' % len(failures))
    if failures:
        print('--- server log (tail)\n' + srv.log()[-4000:])
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
