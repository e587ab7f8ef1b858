#!/usr/bin/env python3
"""End-to-end tests of connecting callers to operators (ctest label "sip").

The telephony test server runs with its minimal contact centre (key 0 queues
the caller; the queued call is offered to the --operator phones in turn).
sipp plays the operators' phones (REGISTER with digest auth, ring, answer,
no answer, hang up); the caller is the Python RTP caller. Media is checked
by frequency: the caller sends 440 Hz, the operator's RTP endpoint 1000 Hz,
and each must hear the other's tone; the recording must be stereo with the
caller's tone left and the operator's right. Every wait is bounded.
"""
import argparse
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtp_caller import ALAW_TABLE, RtpCaller, linear_to_alaw  # noqa: E402
from run_sip_tests import free_port, free_range, read_jsonl, wait_for  # noqa: E402

HOST = '127.0.0.1'
failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def tone_alaw(freq, seconds, amplitude=8000):
    n = int(8000 * seconds)
    return bytes(linear_to_alaw(int(amplitude * math.sin(2 * math.pi * freq * i / 8000))) for i in range(n))


def tone_share(samples, freq):
    """Share of the signal's power at `freq` (Goertzel): ~1 for a pure tone, ~0 for others."""
    if not samples:
        return 0.0
    k = 2 * math.cos(2 * math.pi * freq / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - k * s1 * s2
    total = sum(x * x for x in samples)
    return 2 * power / (len(samples) * total) if total else 0.0


def tone_blocks(samples, freq, block=400):
    """Share of the audible 50 ms blocks whose power is mostly at `freq`. Per
    block, so a frame dropped or repeated when the test caller is late (a
    busy machine) breaks one block, not the whole measure."""
    loud = hits = 0
    for i in range(0, len(samples) - block + 1, block):
        b = samples[i:i + block]
        if math.sqrt(sum(x * x for x in b) / block) < 300:
            continue
        loud += 1
        hits += tone_share(b, freq) > 0.5
    return hits / loud if loud else 0.0


def decode(payloads):
    return [ALAW_TABLE[b] for p in payloads for b in p]


class OperatorRtp(threading.Thread):
    """The operator phone's audio: answers the server's RTP with a 1000 Hz tone
    (symmetric RTP: to where the server's packets come from) and keeps what it hears."""

    def __init__(self, seconds=60):
        super().__init__(daemon=True)
        self.seconds = seconds  # it stops sending after this long, as a bound
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((HOST, 0))
        self.sock.settimeout(0.02)
        self.port = self.sock.getsockname()[1]
        self.heard = []
        self.stop = False
        self.tone = tone_alaw(1000, 0.02 * 50)
        self.silent = False  # a phone that died: it stops sending

    def run(self):
        peer, seq, ts, frame = None, 1, 0, 0
        deadline = time.time() + self.seconds
        next_send = time.monotonic()
        while not self.stop and time.time() < deadline:
            try:
                data, addr = self.sock.recvfrom(2048)
                if len(data) > 12:
                    self.heard.append(data[12:])
                    peer = addr
            except socket.timeout:
                pass
            if peer and not self.silent and time.monotonic() >= next_send:
                off = (frame % 50) * 160
                hdr = bytes([0x80, 8]) + seq.to_bytes(2, 'big') + ts.to_bytes(4, 'big') + (0x1234).to_bytes(4, 'big')
                self.sock.sendto(hdr + self.tone[off:off + 160], peer)
                seq, ts, frame = (seq + 1) & 0xFFFF, (ts + 160) & 0xFFFFFFFF, frame + 1
                next_send += 0.02


class Server:
    def __init__(self, args, name, operators, extra=()):
        self.args = args
        self.dir = os.path.join(args.workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.events = os.path.join(self.dir, 'centre.jsonl')
        if os.path.exists(self.events):
            os.remove(self.events)
        self.recordings = os.path.join(self.dir, 'recordings')
        self.passwords = os.path.join(self.dir, 'operator-sip-passwords')
        with open(self.passwords, 'w') as f:
            f.write('op1:right-password\n')
        self.sip_port = free_port()
        rtp_min, rtp_max = free_range(100)
        cmd = [args.server, '--sip-port', str(self.sip_port), '--rtp-min', str(rtp_min),
               '--rtp-max', str(rtp_max), '--records', os.path.join(self.dir, 'records.jsonl'),
               '--prompt-cache', args.prompt_cache, '--centre-events', self.events,
               '--operator-passwords', self.passwords, '--recordings', self.recordings,
               '--operator-no-response-ms', '1500']
        for op in operators:
            cmd += ['--operator', op]
        cmd += list(extra)
        self.log = open(os.path.join(self.dir, 'server.log'), 'w')
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 180  # the first start synthesises the prompts
        self.ready = False
        while time.time() < deadline and self.proc.poll() is None:
            if self.proc.stdout.readline().strip() == 'READY':
                self.ready = True
                break
        # The server logs to stdout: keep reading it so it never blocks on a full pipe.
        threading.Thread(target=self._drain_stdout, daemon=True).start()

    def _drain_stdout(self):
        with open(os.path.join(self.dir, 'server.out'), 'w') as out:
            for line in self.proc.stdout:
                out.write(line)

    def events_of(self, kind):
        return [e for e in read_jsonl(self.events) if e['event'] == kind]

    def wait_event(self, kind, count=1, timeout=15):
        return wait_for(lambda: len(self.events_of(kind)) >= count, timeout)

    def sipp(self, scenario, service='op1', local_port=None, extra=(), background=False):
        cmd = [self.args.sipp, '-sf', os.path.join(self.args.scenarios, scenario), '-s', service,
               '%s:%d' % (HOST, self.sip_port), '-m', '1', '-t', 'u1', '-i', HOST,
               '-p', str(local_port or free_port()), '-nostdin', '-timeout', '40s', '-timeout_error',
               '-trace_err', '-error_file', os.path.join(self.dir, scenario + '.errors.log')] + list(extra)
        if background:
            return subprocess.Popen(cmd, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return subprocess.run(cmd, cwd=self.dir, capture_output=True, timeout=45).returncode
        except subprocess.TimeoutExpired:
            return -1

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def answering_phone(server, scenario, local_port, rtp, hold_ms=None):
    extra = ['-key', 'rtp_port', str(rtp.port)]
    if hold_ms is not None:
        extra += ['-key', 'hold_ms', str(hold_ms)]
    return server.sipp(scenario, local_port=local_port, extra=extra, background=True)


def finished(proc, timeout=20):
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return None


def queued_caller(server):
    """A caller that is answered by the IVR and presses 0 (SIP INFO) to queue."""
    c = RtpCaller(HOST, server.sip_port)
    status, _ = c.invite('115')
    if not check(status == 200, 'caller answered by the IVR (%d)' % status):
        return None
    check(c.info('Signal=0\r\nDuration=100\r\n') == 200, 'caller presses 0 (INFO) -> 200')
    return c


def poll_bye(c, timeout=10):
    """Waits for the server's BYE (answered with 200)."""
    c.got_bye = False
    deadline = time.time() + timeout
    c.sip.settimeout(0.1)
    while time.time() < deadline and not c.got_bye:
        try:
            data, _ = c.sip.recvfrom(65535)
            c._answer_request(data.decode(errors='replace'))
        except socket.timeout:
            c._drain_rtp()
    return c.got_bye


def check_recording(server, left_freq, right_freq):
    rec = server.wait_event('recording') and server.events_of('recording')[-1]
    if not check(bool(rec), 'RecordingSaved reported'):
        return
    path = rec['path']
    check(os.path.exists(path) and os.path.basename(path).startswith('T-'),
          'recording exists, named by case and call id: %s' % path)
    if not os.path.exists(path):
        return
    with wave.open(path) as w:
        ok = w.getnchannels() == 2 and w.getframerate() == 8000 and w.getsampwidth() == 2
        check(ok, 'recording is stereo 8 kHz 16-bit')
        raw = w.readframes(w.getnframes())
    samples = [int.from_bytes(raw[i:i + 2], 'little', signed=True) for i in range(0, len(raw), 2)]
    left, right = samples[0::2], samples[1::2]
    check(len(left) >= 8000, 'recording is %.1f s long' % (len(left) / 8000))
    rms_l = math.sqrt(sum(x * x for x in left) / max(len(left), 1))
    rms_r = math.sqrt(sum(x * x for x in right) / max(len(right), 1))
    check(rms_l > 500 and rms_r > 500, 'audio in both channels (RMS left %.0f, right %.0f)' % (rms_l, rms_r))
    share_l, share_r = tone_blocks(left, left_freq), tone_blocks(right, right_freq)
    check(share_l > 0.6, 'left channel is the caller (%d Hz in %.0f%% of blocks)' % (left_freq, 100 * share_l))
    check(share_r > 0.6, 'right channel is the operator (%d Hz in %.0f%% of blocks)' % (right_freq, 100 * share_r))


def talk(c, rtp, seconds=3.0):
    """Both sides send their tone; afterwards each must hear the other's."""
    c.packets = []
    rtp.heard = []
    c.listen(seconds, send_audio=tone_alaw(440, seconds + 1))
    caller_heard = decode([p[6] for p in c.packets[-50:]])
    operator_heard = decode(rtp.heard[-50:])
    share_c, share_o = tone_blocks(caller_heard, 1000), tone_blocks(operator_heard, 440)
    check(share_c > 0.6, 'caller hears the operator (1000 Hz in %.0f%% of blocks)' % (100 * share_c))
    check(share_o > 0.6, 'operator hears the caller (440 Hz in %.0f%% of blocks)' % (100 * share_o))


def test_register_and_bridge(args):
    s = Server(args, 'registered', ['op1='])
    if not check(s.ready, 'server with the test centre starts'):
        return
    try:
        check(s.sipp('op_register_bad.xml', extra=['-au', 'op1', '-ap', 'wrong-password']) == 0, 'REGISTER with a wrong password -> 401 then 403')
        check(s.sipp('op_register.xml', service='stranger') != 0, 'REGISTER of a non-operator is refused')
        phone_port = free_port()
        check(s.sipp('op_register.xml', local_port=phone_port,
                    extra=['-au', 'op1', '-ap', 'right-password']) == 0,
              'REGISTER op1 with digest auth -> 401 then 200 with the binding')

        # 1. The caller hangs up a connected call.
        rtp = OperatorRtp()
        rtp.start()
        phone = answering_phone(s, 'op_answer.xml', phone_port, rtp)
        time.sleep(0.3)  # sipp binds its port
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('enqueued')), 'CallEnqueued reported')
            check(bool(s.wait_event('answered')), 'registered operator rings (X-Gosline-Case) and answers')
            talk(c, rtp)
            check(c.bye() == 200, 'caller hangs up -> 200')
            check(finished(phone) == 0, 'operator phone got BYE (sipp scenario passed)')
            check(bool(s.wait_event('caller_hung_up')), 'CallerHungUp reported')
            check(not s.events_of('operator_hung_up'), 'no OperatorHungUp for it')
            check_recording(s, 440, 1000)
        rtp.stop = True

        # 2. The operator hangs up: the caller gets BYE.
        rtp = OperatorRtp()
        rtp.start()
        phone = answering_phone(s, 'op_answer_bye.xml', phone_port, rtp, hold_ms=2500)
        time.sleep(0.3)
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('answered', 2)), 'second call answered')
            talk(c, rtp, 1.5)
            check(poll_bye(c), 'operator hangs up -> the caller gets BYE')
            check(finished(phone) == 0, 'operator phone scenario passed')
            check(bool(s.wait_event('operator_hung_up')), 'OperatorHungUp reported')
            check(len(s.events_of('caller_hung_up')) == 1, 'no CallerHungUp for it')
            check(bool(s.wait_event('recording', 2)), 'second recording saved')
        rtp.stop = True
    finally:
        check(s.stop() == 0, 'server stops cleanly')


def test_no_answer_goes_to_next(args):
    a_port, b_port = free_port(), free_port()
    s = Server(args, 'no_answer', ['opA=sip:opA@127.0.0.1:%d' % a_port, 'opB=sip:opB@127.0.0.1:%d' % b_port],
               ['--ring-timeout-ms', '1500'])
    if not check(s.ready, 'server starts'):
        return
    try:
        rtp = OperatorRtp()
        rtp.start()
        silent = s.sipp('op_noanswer.xml', local_port=a_port, background=True)
        phone = answering_phone(s, 'op_answer.xml', b_port, rtp)
        time.sleep(0.3)
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('answered')), 'call answered by the second operator')
            kinds = [(e['event'], e.get('operator')) for e in read_jsonl(s.events)
                     if e['event'] in ('ring', 'no_answer', 'answered', 'ring_failed')]
            check(kinds == [('ring', 'opA'), ('no_answer', None), ('ring', 'opB'), ('answered', None)],
                  'no answer -> CANCEL, offered again: %s' % kinds)
            check(finished(silent) == 0, 'first phone was CANCELled (200 + 487)')
            talk(c, rtp, 1.5)
            check(c.bye() == 200, 'caller hangs up')
            check(finished(phone) == 0, 'second phone got BYE')

        # The caller abandons while an operator's phone rings: CANCEL, CallerHungUp.
        silent = s.sipp('op_noanswer.xml', local_port=a_port, background=True)
        time.sleep(0.3)
        before = len(s.events_of('caller_hung_up'))
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('ring', 4)), 'ringing the first operator')
            time.sleep(0.3)
            check(c.bye() == 200, 'caller abandons while the operator rings')
            check(bool(s.wait_event('caller_hung_up', before + 1)), 'CallerHungUp (abandoned) reported')
            check(finished(silent) == 0, 'the ringing phone was CANCELled')
        rtp.stop = True
    finally:
        check(s.stop() == 0, 'server stops cleanly')


def test_transfer(args):
    """ReleaseOperator (R12): the first operator's leg ends, the caller stays,
    the next operator answers; one recording per operator."""
    a_port, b_port = free_port(), free_port()
    s = Server(args, 'transfer', ['opA=sip:opA@127.0.0.1:%d' % a_port, 'opB=sip:opB@127.0.0.1:%d' % b_port],
               ['--release-after-ms', '1500'])
    if not check(s.ready, 'server starts'):
        return
    try:
        rtp_a, rtp_b = OperatorRtp(), OperatorRtp()
        rtp_a.start()
        rtp_b.start()
        first = answering_phone(s, 'op_answer.xml', a_port, rtp_a)
        second = answering_phone(s, 'op_answer.xml', b_port, rtp_b)
        time.sleep(0.3)
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('answered', 2)), 'transferred: the second operator answers')
            check(finished(first) == 0, 'the first operator got BYE at the transfer')
            talk(c, rtp_b, 1.5)
            check(c.bye() == 200, 'caller hangs up')
            check(finished(second) == 0, 'second operator got BYE')
            kinds = [e['event'] for e in read_jsonl(s.events)
                     if e['event'] in ('answered', 'transfer', 'operator_hung_up', 'caller_hung_up')]
            check(kinds == ['answered', 'transfer', 'answered', 'caller_hung_up'],
                  'no hang-up reported for the transfer: %s' % kinds)
            check(bool(s.wait_event('recording', 2)), 'two recordings saved')
            paths = {e['path'] for e in s.events_of('recording')}
            check(len(paths) == 2 and all(os.path.exists(p) for p in paths), 'two recording files: %s' % paths)
        rtp_a.stop = rtp_b.stop = True
    finally:
        check(s.stop() == 0, 'server stops cleanly')


def test_unreachable_and_callback(args):
    dead = free_port()  # nothing listens: ICMP port unreachable
    s = Server(args, 'unreachable', ['dead=sip:dead@127.0.0.1:%d' % dead])
    if not check(s.ready, 'server starts'):
        return
    try:
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('ring_failed', 3, timeout=20)), 'unreachable operator -> OperatorRingFailed x3')
            reasons = {e['reason'] for e in s.events_of('ring_failed')}
            check(reasons <= {'unreachable', 'no_response'}, 'reasons: %s' % reasons)
            # The centre announced position 1 and ~2 minutes on entry: spoken
            # with the digit prompts, then the waiting message resumes.
            c.listen(7.0)
            call_id = c.call_id
            check(c.bye() == 200, 'caller abandons while waiting')
            rec = wait_for(lambda: next((r for r in read_jsonl(os.path.join(s.dir, 'records.jsonl'))
                                         if r['call_id'] == call_id), None))
            heard = rec['prompts'] if rec else ''
            check('gosline.queue.position gosline.digit.1 gosline.queue.wait gosline.digit.2 waiting' in heard,
                  'announcement of position and wait, then waiting prompts: %r' % heard)
            check(bool(s.wait_event('caller_hung_up')), 'CallerHungUp reported')
        c = queued_caller(s)
        if c:
            check(bool(s.wait_event('enqueued', 2)), 'second caller queued')
            check(c.info('Signal=5\r\nDuration=100\r\n') == 200, 'caller presses 5 (callback key)')
            check(bool(s.wait_event('callback')), 'CallbackRequested reported')
            check(poll_bye(c, 20), 'confirmation played, then the server hangs up')
    finally:
        check(s.stop() == 0, 'server stops cleanly')


def caller_keeps_talking(c, until, timeout=10):
    """The caller sends its tone (so its own leg never times out) until
    `until()` holds; the server's BYE is answered meanwhile."""
    deadline = time.time() + timeout
    tone = tone_alaw(440, 0.6)
    while time.time() < deadline:
        c.listen(0.5, send_audio=tone)
        if until():
            return True
    return False


def test_operator_reinvite_and_media_timeout(args):
    """The operator's phone holds, unholds and refreshes the
    session (re-INVITEs answered 200 with our SDP, not 481); a phone that goes
    silent ends the bridge after the media timeout (BYE on both legs)."""
    s = Server(args, 'operator_leg', ['op1='], ['--media-timeout-s', '3'])
    if not check(s.ready, 'server starts (media timeout 3 s)'):
        return
    try:
        phone_port = free_port()
        check(s.sipp('op_register.xml', local_port=phone_port,
                    extra=['-au', 'op1', '-ap', 'right-password']) == 0, 'REGISTER op1')

        # 1. Hold, unhold, refresh: each re-INVITE gets 200 with our SDP.
        rtp = OperatorRtp()
        rtp.start()
        phone = answering_phone(s, 'op_answer_reinvite.xml', phone_port, rtp)
        time.sleep(0.3)
        c = queued_caller(s)
        if c:
            check(caller_keeps_talking(c, lambda: bool(s.events_of('answered'))),
                  'operator answers')
            talk(c, rtp, 3.0)  # hold and unhold happen in the first 1.5 s
            check(c.bye() == 200, 'caller hangs up -> 200')
            check(finished(phone) == 0, 'hold (200 recvonly), unhold (200 sendrecv) and a '
                  'refresh without SDP (200 with ours) all answered; BYE received')
            check(not s.events_of('operator_hung_up'), 'the re-INVITEs did not end the call')
        rtp.stop = True

        # 2. The operator's phone dies silently: both legs get BYE after 3 s.
        rtp = OperatorRtp()
        rtp.start()
        phone = answering_phone(s, 'op_answer.xml', phone_port, rtp)
        time.sleep(0.3)
        c = queued_caller(s)
        if c:
            check(caller_keeps_talking(c, lambda: len(s.events_of('answered')) >= 2),
                  'operator answers the second call')
            talk(c, rtp, 1.0)
            rtp.silent = True
            c.got_bye = False
            check(caller_keeps_talking(c, lambda: c.got_bye or poll_bye(c, 0.1), timeout=12),
                  'silent operator phone: the caller gets BYE')
            check(finished(phone) == 0, 'the operator phone gets BYE too')
            check(bool(s.wait_event('operator_hung_up')), 'OperatorHungUp reported')
            records = os.path.join(s.dir, 'records.jsonl')
            wait_for(lambda: any(r['call_id'] == c.call_id for r in read_jsonl(records)), 10)
            rec = [r for r in read_jsonl(records) if r['call_id'] == c.call_id]
            check(bool(rec) and rec[-1]['end_reason'] == 'media_timeout',
                  'the call record says media_timeout (%s)' % (rec and rec[-1]['end_reason']))
        rtp.stop = True
    finally:
        check(s.stop() == 0, 'server stops cleanly')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True, help='gosline_sipd_test_server')
    ap.add_argument('--sipp', default='sipp')
    ap.add_argument('--scenarios', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache')
    ap.add_argument('--only', help='run one test function')
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    args.scenarios = os.path.abspath(args.scenarios)
    args.workdir = os.path.abspath(args.workdir)
    args.prompt_cache = os.path.abspath(args.prompt_cache or os.path.join(args.workdir, 'prompts'))
    tests = (test_register_and_bridge, test_no_answer_goes_to_next, test_transfer,
             test_unreachable_and_callback, test_operator_reinvite_and_media_timeout)
    for t in tests:
        if args.only and t.__name__ != args.only:
            continue
        print('--', t.__name__, flush=True)
        try:
            t(args)
        except Exception as e:  # a test's crash is a failure, not a hang
            check(False, '%s raised %r' % (t.__name__, e))
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
