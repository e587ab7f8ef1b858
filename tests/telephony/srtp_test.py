#!/usr/bin/env python3
"""End-to-end: encrypted voice (R22, SRTP with SDES keys over SIP/TLS) against
the real `gosline serve` on the demo configuration with TLS on, with the real
softphone baresip (Debian baresip-core, its srtp module) as the caller.

 - Control: baresip calls 115 over UDP with plain RTP; a packet capture on the
   loopback interface (an AF_PACKET socket: the test runs as root, as `make
   test` does) collects the greeting's G.711 frames as the server sends them.
 - baresip with `mediaenc=srtp-mand` calls 115 over SIP/TLS: the call is
   answered with RTP/SAVP and our own a=crypto key, baresip hears the greeting
   (energy in what it decoded), and none of the greeting's G.711 frames from
   the control call appears in any RTP packet the server sent on the wire.
 - The operator ivanova's phone is baresip too, registered over SIP/TLS with
   srtp-mand: a caller (plain RTP) queued by the IVR is bridged to her with
   SRTP on her leg; each side hears the other through the server, and the
   caller's tone does not appear in clear on her leg.
 - An RTP/SAVP offer over UDP gets 488 with a Reason (SDES keys would travel
   in clear); a number whose srtp is `required` refuses plain RTP over TLS
   with 488 and a Reason.
Every wait is bounded; nothing asserts on timing.
"""
import argparse
import glob
import math
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'e2e'))
from gosline_serve import HOST, REPO, GoslineServe, free_port  # noqa: E402
from rtp_caller import RtpCaller  # noqa: E402
from b2bua_test import decode, tone_alaw, tone_blocks  # noqa: E402
from serve_operator_test import enrol_operator, login, staff_request  # noqa: E402

failures = []
REQUIRED_NUMBER = '88001007010'
OPERATOR = 'ivanova'


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def srtp_config(workdir, https_port, sips_port):
    """The demo configuration with TLS on (as `make run` does) and one number
    that requires encrypted audio."""
    text = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
    text, n = re.subn(r'enabled: false( *# demo: make run turns TLS on)', r'enabled: true\1', text)
    assert n == 2, 'the demo configuration has two TLS switches'
    text = text.replace('    port: 8443\n', '    port: %d\n' % https_port, 1)
    text = text.replace('      port: 5061\n', '      port: %d\n' % sips_port, 1)
    text, n = re.subn(r'\n  srtp: offer\n', '\n  srtp: offer\n  srtp_numbers: {"%s": required}\n'
                      % REQUIRED_NUMBER, text)
    assert n == 1, 'the demo configuration sets telephony.srtp'
    path = os.path.join(workdir, 'gosline-srtp.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


class LoopbackCapture:
    """UDP datagrams on the loopback interface whose source port is in
    [lo, hi] (the server's RTP ports), as (destination port, payload) pairs."""

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
        self.packets = []
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
        self.sock.bind(('lo', 0))
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_flag.is_set():
            ready, _, _ = select.select([self.sock], [], [], 0.2)
            if not ready:
                continue
            frame = self.sock.recv(65535)
            if len(frame) < 14 + 20 + 8 or frame[12:14] != b'\x08\x00':
                continue
            ip = frame[14:]
            ihl = (ip[0] & 0x0f) * 4
            if ip[9] != 17 or len(ip) < ihl + 8:
                continue
            sport, dport, length = struct.unpack('!HHH', ip[ihl:ihl + 6])
            if self.lo <= sport <= self.hi:
                self.packets.append((dport, bytes(ip[ihl + 8:ihl + length])))

    def stop(self):
        self.stop_flag.set()
        self.thread.join(timeout=5)
        self.sock.close()
        return self.packets


def tone_wav(path, freq, seconds=60):
    """What a baresip phone sends: a sine at `freq` Hz, 8 kHz mono."""
    w = wave.open(path, 'wb')
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b''.join(struct.pack('<h', int(3000 * math.sin(2 * math.pi * freq * i / 8000)))
                           for i in range(8000 * seconds)))
    w.close()
    return path


def baresip_home(workdir, name, account, cafile=None, transports='udp', tone=300, certificate=None):
    """A baresip configuration directory; returns (home, its RTP port range)."""
    home = os.path.join(workdir, 'baresip-' + name)
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(os.path.join(home, 'dump'))
    sip_port = free_port()
    rtp = free_port(False) & ~1
    lines = [
        'poll_method\tepoll',
        'sip_listen\t%s:%d' % (HOST, sip_port),
        'sip_transports\t%s' % transports,
        'audio_player\taubridge,line',
        'audio_source\taufile,%s' % tone_wav(os.path.join(home, 'tone.wav'), tone),
        'audio_alert\taubridge,line',
        'rtp_ports\t%d-%d' % (rtp, rtp + 20),
        'module_path\t/usr/lib/baresip/modules',
        'module\tg711.so', 'module\taubridge.so', 'module\taufile.so', 'module\tsndfile.so',
        'module\tsrtp.so',
        'module_app\taccount.so', 'module_app\tmenu.so',
        'snd_path\t%s' % os.path.join(home, 'dump'),
    ]
    if cafile:
        lines.append('sip_cafile\t%s' % cafile)
    if certificate:  # to accept the server's TLS connection when it rings us
        lines.append('sip_certificate\t%s' % certificate)
    with open(os.path.join(home, 'config'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(os.path.join(home, 'accounts'), 'w') as f:
        f.write(account + '\n')
    return home, (rtp, rtp + 20)


def baresip_log(home):
    path = os.path.join(home, 'baresip.log')
    text = open(path, encoding='utf-8', errors='replace').read() if os.path.exists(path) else ''
    return text.replace('\r', '\n')


def heard_wav(home):
    heard = sorted(glob.glob(os.path.join(home, 'dump', '*-dec.wav')))
    return heard[-1] if heard else None


def baresip(workdir, name, account, target, seconds, cafile=None, transports='udp', certificate=None):
    """Runs baresip once: it dials `target`, hangs up after `seconds`. Returns
    (log text, path of the WAV of what it heard or None)."""
    home, _ = baresip_home(workdir, name, account, cafile, transports, certificate=certificate)
    log_path = os.path.join(home, 'baresip.log')
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(['baresip', '-f', home, '-t', str(seconds), '-e', '/dial ' + target],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            proc.wait(timeout=seconds + 20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return baresip_log(home), heard_wav(home)


def speech_seconds(path):
    """Seconds of 20 ms frames above RMS 300 in a WAV (what baresip heard)."""
    if not path:
        return 0.0
    w = wave.open(path)
    n = w.getnframes()
    pcm = struct.unpack('<%dh' % (n * w.getnchannels()), w.readframes(n))
    frame = w.getframerate() // 50
    loud = sum(1 for i in range(0, len(pcm) - frame, frame)
               if math.sqrt(sum(v * v for v in pcm[i:i + frame]) / frame) > 300)
    return loud / 50.0


def rtp_payloads(packets):
    """RTP payloads (after a 12-byte header without CSRCs or extension)."""
    out = []
    for _, data in packets:
        if len(data) > 12 and data[0] >> 6 == 2 and data[0] & 0x1f == 0:
            out.append(data[12:])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    if shutil.which('baresip') is None:
        print('baresip is not installed (Debian baresip-core, scripts/apt-packages.txt)')
        return 1
    # Sofia-SIP's TLS transport leaks OpenSSL objects at exit (see lsan_tls.supp).
    os.environ['LSAN_OPTIONS'] = 'suppressions=' + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'lsan_tls.supp')
    os.makedirs(args.workdir, exist_ok=True)
    tls_dir = os.path.join(args.workdir, 'var', 'tls')
    subprocess.run([os.path.join(REPO, 'scripts', 'make-demo-certs.sh'), tls_dir], check=True, timeout=60)
    cafile = os.path.join(tls_dir, 'server.crt')
    https_port, sips_port = free_port(False), free_port(False)
    config = srtp_config(args.workdir, https_port, sips_port)
    server = GoslineServe(args.gosline, args.workdir, args.prompt_cache, config=config)
    passwords = os.path.join(server.workdir, 'var', 'operator-sip-passwords')
    if os.path.exists(passwords):
        os.remove(passwords)  # serve makes it on first start
    secret = enrol_operator(server, OPERATOR)
    if not check(secret is not None, 'staff account %s created' % OPERATOR):
        return 1
    if not check(server.start(), 'gosline serve starts with SIP over TLS on'):
        print(server.log()[-4000:])
        return 1
    try:
        run_checks(args, server, sips_port, cafile)
        operator_checks(args, server, sips_port, cafile, tls_dir, secret)
        check(server.alive(), 'the server is still running')
    finally:
        rc = server.stop()
        check(rc == 0, 'clean shutdown (exit %s)' % rc)
    if failures:
        print('\n%d check(s) failed; server log tail:\n%s' % (len(failures), server.log()[-4000:]))
        return 1
    return 0


def run_checks(args, server, sips_port, cafile):
    plain_account = '<sip:79161234567@127.0.0.1>;regint=0;audio_codecs=PCMA'
    tls_target = 'sip:115@127.0.0.1:%d;transport=tls' % sips_port

    # Control: plain RTP over UDP; the greeting's G.711 frames as sent.
    capture = LoopbackCapture(server.rtp_min, server.rtp_max)
    log, heard = baresip(args.workdir, 'plain', plain_account,
                         'sip:115@127.0.0.1:%d' % server.sip_port, 8)
    plain = rtp_payloads(capture.stop())
    check('Call established' in log, 'control: baresip reaches 115 with plain RTP')
    greeting = {p[i:i + 32] for p in plain if len(p) == 160 for i in range(0, 160, 32)
                if len(set(p[i:i + 32])) > 8}  # frames with sound, not silence
    check(len(greeting) > 50, 'control: the greeting\'s G.711 is on the wire in clear (%d chunks)'
          % len(greeting))

    # SRTP over TLS: answered with RTP/SAVP, the greeting heard, no clear G.711.
    srtp_account = ('<sip:79161234568@127.0.0.1;transport=tls>;regint=0;audio_codecs=PCMA;'
                    'mediaenc=srtp-mand')
    before = len(server.records("dialled = '115'"))
    capture = LoopbackCapture(server.rtp_min, server.rtp_max)
    # With a certificate: the server's requests inside the call (BYE) open a
    # TLS connection to the phone's Contact.
    log, heard = baresip(args.workdir, 'srtp', srtp_account, tls_target, 8, cafile, 'tls',
                         certificate=os.path.join(os.path.dirname(cafile), 'sip', 'agent.pem'))
    wire = capture.stop()
    check('Call established' in log, 'SRTP: baresip (srtp-mand) reaches 115 over SIP/TLS')
    check(server.log_matches(r'encrypted audio \(SRTP AES_CM_128_HMAC_SHA1_(80|32)\)'),
          'SRTP: the server answered with SRTP keys')
    spoken = speech_seconds(heard)
    check(spoken > 1.0, 'SRTP: baresip hears the greeting (%.1f s of speech)' % spoken)
    payloads = rtp_payloads(wire)
    check(len(payloads) > 50, 'SRTP: the server sent RTP on the wire (%d packets)' % len(payloads))
    check(all(len(p) in (164, 170) for p in payloads),
          'SRTP: every packet carries an authentication tag (160 + 4 or 10 bytes)')
    leaked = sum(1 for p in payloads for g in greeting if g in p)
    check(leaked == 0, 'SRTP: none of the greeting\'s G.711 appears on the wire (%d found)' % leaked)
    deadline = time.time() + 10
    rows = []
    while time.time() < deadline and len(rows) <= before:
        rows = server.records("dialled = '115'")
        time.sleep(0.2)
    last = rows[-1] if len(rows) > before else {}
    check(last.get('sip_status') == 200 and last.get('end_reason') == 'caller_hangup',
          'SRTP: the call is recorded as answered and hung up by the caller (%s %s)'
          % (last.get('sip_status'), last.get('end_reason')))

    # An SRTP offer over plain signalling: its keys would travel in clear.
    log, _ = baresip(args.workdir, 'srtp-udp', '<sip:79161234569@127.0.0.1>;regint=0;'
                     'audio_codecs=PCMA;mediaenc=srtp-mand',
                     'sip:115@127.0.0.1:%d' % server.sip_port, 4)
    check(re.search(r'488', log) is not None, 'RTP/SAVP over UDP is refused with 488 (baresip)')
    check(wait_record(server, '115', 488), 'the refused call is in the registry with 488')
    c = RtpCaller(HOST, server.sip_port, caller='79161234572')
    key = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz'
    sdp = ('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n'
           'm=audio %d RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n'
           'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n' % (c.rtp.getsockname()[1], key))
    status, text = c.invite('115', body=sdp)
    reason = re.search(r'^Reason:\s*(.*)$', text, re.M | re.I)
    check(status == 488 and reason is not None and 'cause=488' in reason.group(1)
          and 'SIP/TLS' in reason.group(1),
          'the 488 has a Reason: the keys need SIP/TLS (%s)' % (reason.group(1) if reason else None))

    # A number that requires SRTP refuses plain RTP, even over TLS.
    log, _ = baresip(args.workdir, 'required', '<sip:79161234570@127.0.0.1;transport=tls>;'
                     'regint=0;audio_codecs=PCMA',
                     'sip:%s@127.0.0.1:%d;transport=tls' % (REQUIRED_NUMBER, sips_port), 4,
                     cafile, 'tls')
    check(re.search(r'488', log) is not None, 'plain RTP to a number requiring SRTP gets 488')
    check(wait_record(server, REQUIRED_NUMBER, 488), 'the refused call is in the registry with 488')


def operator_checks(args, server, sips_port, cafile, tls_dir, secret):
    """The operator's leg: baresip registers over TLS with srtp-mand and auto-answers."""
    password = None
    for line in open(os.path.join(server.workdir, 'var', 'operator-sip-passwords'), encoding='utf-8'):
        if line.startswith(OPERATOR + ':'):
            password = line.strip().split(':', 1)[1]
    if not check(bool(password), 'serve wrote a SIP password for %s' % OPERATOR):
        return
    account = ('<sip:%s@127.0.0.1:%d;transport=tls>;auth_pass=%s;regint=300;answermode=auto;'
               'audio_codecs=PCMA;mediaenc=srtp-mand' % (OPERATOR, sips_port, password))
    home, (op_rtp_lo, op_rtp_hi) = baresip_home(
        args.workdir, 'operator', account, cafile, 'tls', tone=1000,
        certificate=os.path.join(tls_dir, 'sip', 'agent.pem'))
    log = open(os.path.join(home, 'baresip.log'), 'w')
    phone = subprocess.Popen(['baresip', '-f', home, '-t', '60'], stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
    capture = None
    try:
        deadline = time.time() + 15
        registered = False
        while time.time() < deadline and not registered:
            registered = bool(server.log_matches(r'operator %s registered at \S*transport=tls' % OPERATOR))
            time.sleep(0.2)
        if not check(registered, 'the operator\'s baresip registers over SIP/TLS'):
            print(baresip_log(home)[-3000:])
            return
        ivanova = login(server, OPERATOR, secret)
        if not check(ivanova is not None, '%s signs in' % OPERATOR):
            return
        st, body = staff_request(server, 'POST', '/api/v1/operators/%s/state' % OPERATOR,
                                 {'state': 'ready'}, ivanova)
        check(st == 200, 'operator goes ready (%s %s)' % (st, body))

        capture = LoopbackCapture(server.rtp_min, server.rtp_max)
        c = RtpCaller(HOST, server.sip_port, caller='79161234571')
        status, _ = c.invite('115', telephone_event=101)
        if not check(status == 200, 'a caller reaches 115 (%d)' % status):
            return
        c.listen(1.0)
        for digit in '110':  # the greeting, registration, an operator
            c.send_dtmf_4733(digit)
            c.listen(1.0)
        tone = tone_alaw(440, 1.0)
        deadline = time.time() + 40
        while time.time() < deadline and not server.log_matches(r"operator's audio encrypted"):
            c.listen(0.5, send_audio=tone)
        check(server.log_matches(r"operator's audio encrypted \(SRTP AES_CM_128_HMAC_SHA1_(80|32)\)"),
              "the operator's phone answers with SRTP")
        c.packets = []
        c.listen(3.0, send_audio=tone_alaw(440, 4.0))
        share = tone_blocks(decode([p[6] for p in c.packets[-50:]]), 1000)
        check(share > 0.6, "the caller hears the operator's phone through SRTP "
              '(1000 Hz in %.0f%% of blocks)' % (100 * share))
        c.bye()
        time.sleep(1.0)
        wire = capture.stop()
        capture = None
        to_phone = [p for port, p in rtp_payloads_with_port(wire) if op_rtp_lo <= port <= op_rtp_hi]
        check(len(to_phone) > 50 and all(len(p) in (164, 170) for p in to_phone),
              "SRTP on the operator's leg: %d packets, each with a tag" % len(to_phone))
        chunks = {tone[i:i + 32] for i in range(0, len(tone) - 32, 8)}
        leaked = sum(1 for p in to_phone for g in chunks if g in p)
        check(leaked == 0, "the caller's tone does not appear in clear on the operator's leg (%d)" % leaked)
    finally:
        if capture is not None:
            capture.stop()
        if phone.poll() is None:
            phone.terminate()
            try:
                phone.wait(timeout=10)
            except subprocess.TimeoutExpired:
                phone.kill()
                phone.wait()
        log.close()
    spoken = speech_seconds(heard_wav(home))
    check(spoken > 1.0, "the operator's phone hears the caller through SRTP (%.1f s of sound)" % spoken)


def rtp_payloads_with_port(packets):
    return [(port, data[12:]) for port, data in packets
            if len(data) > 12 and data[0] >> 6 == 2 and data[0] & 0x1f == 0]


def wait_record(server, dialled, status):
    """The last call to `dialled` in the registry has `status` (the caller's
    number is sealed at rest, so calls are told apart by the number dialled)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        rows = server.records('dialled = ?', (dialled,))
        if rows and rows[-1]['sip_status'] == status:
            return True
        time.sleep(0.2)
    return False


if __name__ == '__main__':
    sys.exit(main())
