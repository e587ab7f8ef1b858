#!/usr/bin/env python3
"""End-to-end (R22, R30): a five-minute bridged call is recorded without any
clear audio reaching the disk, and plays back whole (ctest labels "sip;e2e").

The real `gosline serve` on config/gosline.yaml (its data key made on first
start), as in serve_operator_test.py:
  * the operator ivanova registers her phone (sipp) and goes ready;
  * a caller (rtp_caller.py) walks the IVR to her queue; her phone (sipp,
    op_answer_case.xml) answers and sends a 1000 Hz tone;
  * the caller talks for 300 s: a 440 Hz A-law tone whose decoded PCM (what
    the recorder writes for the left channel) is known sample by sample;
  * while the call goes on, at its middle, and after it: no file under var/
    (symlinks, such as the prompt cache, not followed) and no database file
    holds a RIFF/WAVE header, a run of the caller's PCM (mono or as the left
    channel of stereo) or of its A-law bytes;
  * the recording file is mode 0600;
  * GET /api/v1/cases/{case}/recordings/1 returns a WAV of about 300 s, not
    marked truncated, with the caller on the left.
Every wait is bounded.
"""
import argparse
import io
import os
import re
import stat
import subprocess
import sys
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'e2e'))
import serve_operator_test as sot  # noqa: E402
from gosline_serve import HOST, GoslineServe  # noqa: E402
from b2bua_test import OperatorRtp, decode, tone_alaw, tone_blocks  # noqa: E402

CALL_SECONDS = 300
check = sot.check

# One second of the caller's tone: 440 Hz at 8 kHz repeats every 200 samples.
CALLER_ALAW = tone_alaw(440, 1.0)
CALLER_PCM = decode([CALLER_ALAW])


def le16(samples):
    return b''.join(int(s).to_bytes(2, 'little', signed=True) for s in samples)


# Windows of 24 samples at a few phases: a clear recording holds each
# thousands of times, ciphertext none (2^-384 per place).
WINDOWS = [CALLER_PCM[p:p + 24] for p in (0, 37, 101, 163)]
MONO = [le16(w) for w in WINDOWS]
ALAW = [CALLER_ALAW[p:p + 24] for p in (0, 37, 101, 163)]
RIFF = re.compile(rb'RIFF.{4}WAVE', re.DOTALL)


def left_channel(data, offset):
    """The 16-bit samples at byte offsets offset, offset+4, ... (stereo's left) as bytes."""
    n = (len(data) - offset) // 4
    out = bytearray(2 * n)
    out[0::2] = data[offset:offset + 4 * n:4]
    out[1::2] = data[offset + 1:offset + 4 * n:4]
    return bytes(out)


def clear_audio_in(path):
    """Why the file at `path` holds clear audio, or None."""
    with open(path, 'rb') as f:
        return clear_audio_in_bytes(f.read())


def clear_audio_in_bytes(data):
    if RIFF.search(data):
        return 'a RIFF/WAVE header'
    for w in ALAW:
        if w in data:
            return "the caller's A-law bytes"
    for w in MONO:
        if w in data:
            return "the caller's PCM (mono)"
    for offset in range(4):
        left = left_channel(data, offset)
        for w in MONO:
            if w in left:
                return "the caller's PCM (left channel of stereo)"
    return None


def files_at_rest(srv):
    """Every regular file under var/ (not following symlinks) and the database's files."""
    out = []
    for root, dirs, files in os.walk(os.path.join(srv.workdir, 'var')):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        for name in files:
            p = os.path.join(root, name)
            if os.path.isfile(p) and not os.path.islink(p):
                out.append(p)
    for suffix in ('', '-wal', '.audit', '.audit-wal'):
        if os.path.isfile(srv.db + suffix):
            out.append(srv.db + suffix)
    return out


def check_nothing_clear(srv, when):
    found = []
    for p in files_at_rest(srv):
        why = clear_audio_in(p)
        if why:
            found.append('%s: %s' % (os.path.relpath(p, srv.workdir), why))
    check(not found, 'no clear audio at rest %s (%s)' % (when, '; '.join(found) or
                                                          '%d files scanned' % len(files_at_rest(srv))))


def recordings(srv):
    folder = os.path.join(srv.workdir, 'var', 'recordings')
    if not os.path.isdir(folder):
        return []
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))]


def test_five_minute_call(args, srv, ivanova):
    phone_port = sot.register_phone(args, srv, sot.OPERATOR)
    if phone_port is None:
        return
    st, body = sot.staff_request(srv, 'POST', '/api/v1/operators/%s/state' % sot.OPERATOR,
                                 {'state': 'ready'}, ivanova)
    check(st == 200, 'operator goes ready (%s %s)' % (st, body))
    rtp = OperatorRtp(seconds=CALL_SECONDS + 120)
    rtp.start()
    # The operator's phone waits for the BYE past the call's five minutes.
    phone = subprocess.Popen(
        [args.sipp, '-sf', os.path.join(args.scenarios, 'op_answer_case.xml'), '-s', sot.OPERATOR,
         '%s:%d' % (HOST, srv.sip_port), '-m', '1', '-t', 'u1', '-i', HOST, '-p', str(phone_port),
         '-nostdin', '-timeout', '%ds' % (CALL_SECONDS + 120), '-timeout_error', '-trace_err',
         '-error_file', os.path.join(srv.workdir, 'long_call.errors.log'),
         '-key', 'rtp_port', str(rtp.port)],
        cwd=srv.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = None
    try:
        time.sleep(0.3)  # sipp binds its port
        c = sot.queued_caller(srv)
        if not c:
            return
        deadline = time.time() + 40
        while time.time() < deadline and not rtp.heard:
            c.listen(0.5, send_audio=CALLER_ALAW)
        if not check(bool(rtp.heard), "the operator's phone rang, answered, and hears the caller"):
            return
        started = time.monotonic()
        checked_mid = False
        # Bounded by the clock: one-second turns, each sending the tone.
        while time.monotonic() - started < CALL_SECONDS:
            c.packets = []
            rtp.heard = rtp.heard[-50:]
            c.listen(1.0, send_audio=CALLER_ALAW)
            # A third in (not the middle, which the playback check listens to).
            if not checked_mid and time.monotonic() - started > CALL_SECONDS / 3:
                checked_mid = True  # mid-call: the recording is being written now
                live = recordings(srv)
                check(len(live) == 1 and live[0].endswith('.wav.sealed'),
                      'mid-call the one recording file is sealed (%s)' % [os.path.basename(p) for p in live])
                check_nothing_clear(srv, 'mid-call')
        share = tone_blocks(decode(rtp.heard[-50:]), 440)
        check(share > 0.6, 'the operator still hears the caller after 5 minutes (%.0f%%)' % (100 * share))
        check(c.bye() == 200, 'caller hangs up after %d s -> 200' % CALL_SECONDS)
        check(sot.finished(phone, 30) == 0, 'operator phone got its BYE (sipp passed)')
        phone = None
    finally:
        rtp.stop = True
        if phone is not None and phone.poll() is None:
            phone.kill()
            phone.wait()

    rec = sot.outcome_row(srv, c.call_id, 'answered', timeout=30, recorded=True)
    if not check(rec is not None and rec.get('recording_path'), 'the call record names the recording'):
        return
    path = rec['recording_path']
    full = path if os.path.isabs(path) else os.path.join(srv.workdir, path)
    sot.check_sealed_recording(srv, path)
    if os.path.exists(full):
        mode = stat.S_IMODE(os.stat(full).st_mode)
        check(mode == 0o600, 'the recording file is mode 0600 (%o)' % mode)
        check(os.path.getsize(full) > CALL_SECONDS * 32000 * 0.9,
              'the sealed file holds the whole call (%d bytes)' % os.path.getsize(full))
    check_nothing_clear(srv, 'after the call')

    number = rec.get('linked_case') or ''
    if not check(len(number) == 10, 'the call is linked to a case (%r)' % number):
        return
    st, body = srv.request('GET', '/api/v1/cases/%s/recordings/1' % number, timeout=60)
    playable = st == 200 and isinstance(body, (bytes, bytearray)) and body[:4] == b'RIFF'
    if not check(playable, 'the recording plays through the API (%s, %d bytes)'
                 % (st, len(body) if isinstance(body, (bytes, bytearray)) else -1)):
        return
    with wave.open(io.BytesIO(bytes(body))) as w:
        seconds = w.getnframes() / w.getframerate()
        check(w.getnchannels() == 2 and w.getframerate() == 8000 and w.getsampwidth() == 2,
              'stereo 8 kHz 16-bit')
        check(CALL_SECONDS - 15 <= seconds <= CALL_SECONDS + 30,
              'the recording plays %.1f s of the %d s call' % (seconds, CALL_SECONDS))
        w.setpos(w.getnframes() // 2)
        raw = w.readframes(8000)
    middle = [int.from_bytes(raw[i:i + 2], 'little', signed=True) for i in range(0, len(raw), 4)]
    check(tone_blocks(middle, 440) > 0.6, "the caller's tone is on the left channel at minute 2.5")
    # The scan would have found the call had it been at rest in clear.
    check(clear_audio_in_bytes(bytes(body)[44:]) is not None,
          "the scan finds the caller's PCM in the played audio (so it would at rest)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    ap.add_argument('--sipp', default='sipp')
    ap.add_argument('--scenarios', default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    args.scenarios = os.path.abspath(args.scenarios)
    srv = GoslineServe(args.gosline, args.workdir, args.prompt_cache)
    for stale in ('operator-sip-passwords', 'recordings'):
        p = os.path.join(srv.workdir, 'var', stale)
        if os.path.isdir(p):
            for n in os.listdir(p):
                os.remove(os.path.join(p, n))
        elif os.path.exists(p):
            os.remove(p)  # serve makes it on first start
    secret = sot.enrol_operator(srv, sot.OPERATOR)
    if secret is None:
        return 1
    if not srv.start():
        print('gosline serve did not start:\n' + srv.log()[-4000:])
        return 1
    print('gosline serve ready (SIP %d, HTTP %d)' % (srv.sip_port, srv.http_port), flush=True)
    try:
        ivanova = sot.login(srv, sot.OPERATOR, secret)
        if ivanova:
            try:
                test_five_minute_call(args, srv, ivanova)
            except Exception as e:  # a crash is a failure, not a hang
                check(False, 'the five-minute call raised %r' % e)
    finally:
        rc = srv.stop()
    check(rc == 0, 'gosline stops cleanly on SIGTERM (exit %s)' % rc)
    print('%d failure(s)' % len(sot.failures))
    if sot.failures:
        print('--- server log (tail)\n' + srv.log()[-4000:])
    return 1 if sot.failures else 0


if __name__ == '__main__':
    sys.exit(main())
