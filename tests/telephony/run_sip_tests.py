#!/usr/bin/env python3
"""End-to-end SIP/RTP tests of the telephony server (ctest label "sip").

Starts gosline_sipd_test_server (--server), or the real `gosline serve` on the
demo configuration (--gosline; call records then come from its SQLite
registry), on 127.0.0.1 with random free ports, then:
sipp scenarios (OPTIONS, call with RFC 4733 + SIP INFO DTMF over UDP and TCP,
CANCEL, 404, 488, bad SDP -> 400), a Python caller that checks it hears
speech with correct RTP headers, hold/resume by re-INVITE and in-band DTMF,
and garbage/truncated SIP after which the next call must still work. Every
wait is bounded; the whole run is bounded by ctest's TIMEOUT.
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_serve import REPO, GoslineServe  # noqa: E402
from rtp_caller import RtpCaller, rms  # noqa: E402

HOST = '127.0.0.1'
failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def free_port(udp_and_tcp=True):
    for _ in range(200):
        port = random.randrange(20000, 60000)
        try:
            socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)]
            if udp_and_tcp:
                socks.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            for s in socks:
                s.bind((HOST, port))
            for s in socks:
                s.close()
            return port
        except OSError:
            continue
    raise RuntimeError('no free port')


def free_range(size):
    for _ in range(100):
        base = random.randrange(20000, 60000 - size) & ~1
        ok = True
        for p in range(base, base + size, 2):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                s.bind((HOST, p))
            except OSError:
                ok = False
            s.close()
            if not ok:
                break
        if ok:
            return base, base + size - 1
    raise RuntimeError('no free RTP range')


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_for(pred, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    return pred()


class Harness:
    def __init__(self, args):
        self.args = args
        os.makedirs(args.workdir, exist_ok=True)
        self.records = os.path.join(args.workdir, 'call_records.jsonl')
        self.events = os.path.join(args.workdir, 'events.jsonl')
        for p in (self.records, self.events):
            if os.path.exists(p):
                os.remove(p)
        self.sip_port = free_port()
        self.rtp_min, self.rtp_max = free_range(200)

    def start_server(self):
        cmd = [self.args.server, '--sip-port', str(self.sip_port),
               '--rtp-min', str(self.rtp_min), '--rtp-max', str(self.rtp_max),
               '--records', self.records, '--events', self.events,
               '--prompt-cache', os.path.join(self.args.workdir, 'prompts'),
               '--ring-ms', '300', '--max-calls', '50']
        self.log = open(os.path.join(self.args.workdir, 'server.log'), 'w')
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 120  # first start synthesises the prompt
        line = ''
        while time.time() < deadline and self.proc.poll() is None:
            line = self.proc.stdout.readline()
            if line.strip() == 'READY':
                return True
        return False

    def alive(self):
        return self.proc.poll() is None

    def stop_server(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def sipp(self, scenario, service='115', transport='u1', extra=()):
        cmd = [self.args.sipp, '-sf', os.path.join(self.args.scenarios, scenario),
               '-s', service, '%s:%d' % (HOST, self.sip_port), '-m', '1', '-t', transport,
               '-p', str(free_port()), '-mp', str(free_port(False) & ~1), '-nostdin',
               '-timeout', '30s', '-timeout_error', '-trace_err',
               '-error_file', os.path.join(self.args.workdir, scenario + '.errors.log')] + list(extra)
        try:
            r = subprocess.run(cmd, cwd=self.args.workdir, capture_output=True, text=True, timeout=40)
            return r.returncode
        except subprocess.TimeoutExpired:
            return -1

    def all_records(self):
        return read_jsonl(self.records)

    def record_for(self, pred, timeout=5.0):
        return wait_for(lambda: next((r for r in self.all_records() if pred(r)), None), timeout)

    def digits_of(self, call_id):
        """(digit, source) pairs the server received in a call."""
        return [(e['digit'], e['source']) for e in read_jsonl(self.events)
                if e.get('call_id') == call_id and e['event'] == 'digit']


class ServeHarness(Harness):
    """The same tests against `gosline serve` on the demo configuration, with
    two changes: ring_ms 300, so that CANCEL can arrive before the answer, and
    no data key, so that the keys pressed (sealed at rest under a key, R22;
    serve_ivr_test.py checks that) can be read back from the registry."""

    def __init__(self, args):
        self.args = args
        os.makedirs(args.workdir, exist_ok=True)
        demo = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
        assert '  ring_ms: 0\n' in demo, 'the demo configuration changed: update this test'
        config = os.path.join(args.workdir, 'gosline-ring.yaml')
        assert '  create_key_if_missing: true' in demo, 'the demo configuration changed: update this test'
        demo = demo.replace('  key_file: var/keys/data.key\n', '')
        demo = demo.replace('  create_key_if_missing: true', '  create_key_if_missing: false')
        with open(config, 'w', encoding='utf-8') as f:
            f.write(demo.replace('  ring_ms: 0\n', '  ring_ms: 300\n'))
        self.serve = GoslineServe(args.gosline, args.workdir, args.prompt_cache, config=config)
        self.sip_port = self.serve.sip_port

    def start_server(self):
        return self.serve.start()

    def alive(self):
        return self.serve.alive()

    def stop_server(self):
        return self.serve.stop()

    def all_records(self):
        # The JSON-lines field names of the test server's records.
        return [dict(r, answered=r['answered_at_ms'], region_code=r['region'])
                for r in self.serve.records()]

    def digits_of(self, call_id):
        rec = self.record_for(lambda r: r['call_id'] == call_id)
        return [(d, None) for d in (rec['digits'] if rec else '')]


def test_sipp(h):
    check(h.sipp('options.xml') == 0, 'OPTIONS -> 200')
    for transport, number in (('u1', '115'), ('t1', '88001007010')):
        before = {r['call_id'] for r in h.all_records()}
        rc = h.sipp('uac_call_dtmf.xml', number, transport)
        check(rc == 0, 'call %s over %s answered, INFO 200, BYE 200' % (number, transport))
        rec = h.record_for(lambda r: r['call_id'] not in before and r['dialled'] == number)
        check(rec is not None and rec['answered'] and rec['end_reason'] == 'caller_hangup'
              and rec['sip_status'] == 200, 'call record for %s over %s: %s' % (number, transport, rec))
        if rec:
            digits = wait_for(lambda: h.digits_of(rec['call_id']))
            check(('1', 'rfc4733') in digits or ('1', None) in digits,
                  'RFC 4733 digit 1 detected once (%s)' % digits)
            check(('5', 'sip_info') in digits or ('5', None) in digits,
                  'SIP INFO digit 5 received (%s)' % digits)
            check(len(digits) == 2, 'no duplicate digits (%s)' % digits)
            # sipp sends its RTP from the address its SDP names: nothing refused (R22).
            # (The JSON-lines record carries the count; the registry's does not.)
            if 'rtp_dropped' in rec:
                check(rec['rtp_dropped'] == 0, 'no RTP dropped as foreign (%s)' % rec['rtp_dropped'])

    check(h.sipp('uac_cancel.xml') == 0, 'CANCEL while ringing -> 200 + 487')
    check(h.record_for(lambda r: r['end_reason'] == 'cancelled' and r['sip_status'] == 487) is not None,
          'cancelled call recorded with 487')
    check(h.sipp('uac_404.xml', '999') == 0, 'unknown number -> 404')
    check(h.record_for(lambda r: r['dialled'] == '999' and r['sip_status'] == 404) is not None,
          '404 call recorded')
    check(h.sipp('uac_488.xml') == 0, 'no supported codec -> 488')
    check(h.sipp('uac_bad_sdp.xml') == 0, 'malformed SDP -> 400')


def test_speech_hold_inband(h):
    c = RtpCaller(HOST, h.sip_port)
    status, _ = c.invite('+74957274747')
    if not check(status == 200, 'Python caller: INVITE to +74957274747 answered (%d)' % status):
        return
    c.listen(2.0)
    pkts = c.packets
    check(len(pkts) >= 80, 'received %d RTP packets in 2 s (expect ~100)' % len(pkts))
    if len(pkts) < 10:
        return
    check(all(p[5] == 8 for p in pkts), 'payload type is PCMA (8)')
    check(pkts[0][4] and not any(p[4] for p in pkts[1:]), 'marker bit on the first packet only')
    check(len({p[3] for p in pkts}) == 1, 'one SSRC')
    seq_ok = all(((b[1] - a[1]) & 0xFFFF) == 1 for a, b in zip(pkts, pkts[1:]))
    ts_ok = all(((b[2] - a[2]) & 0xFFFFFFFF) == 160 for a, b in zip(pkts, pkts[1:]))
    check(seq_ok and ts_ok, 'sequence +1 and timestamp +160 per packet')
    check(all(len(p[6]) == 160 for p in pkts), '20 ms payloads (160 bytes)')
    energy = rms([p[6] for p in pkts])
    check(energy > 500, 'caller hears speech: RMS %.0f well above silence (~8)' % energy)

    # Hold: the caller only sends -> the server stops sending; resume restarts it.
    status, text = c.reinvite('sendonly')
    check(status == 200 and 'a=recvonly' in text, 're-INVITE sendonly -> 200 with a=recvonly')
    time.sleep(0.2)
    c._drain_rtp()  # what was sent before the hold took effect
    c.packets = []
    c.listen(1.0)
    check(len(c.packets) == 0, 'no RTP while on hold (%d packets)' % len(c.packets))
    status, text = c.reinvite('sendrecv')
    check(status == 200 and 'a=sendrecv' in text, 're-INVITE sendrecv -> 200')
    c.packets = []
    c.listen(1.0)
    check(len(c.packets) >= 40 and c.packets[0][4], 'RTP resumes after hold, marker set (%d)' % len(c.packets))

    # In-band DTMF: no telephone-event offered, so spandsp listens to the audio.
    c.packets = []
    c.listen(1.5, send_audio=RtpCaller.dtmf_alaw('73'))
    call_id = c.call_id
    check(c.info('Signal=#\r\nDuration=100\r\n') == 200, 'INFO dtmf-relay -> 200')
    check(c.bye() == 200, 'BYE -> 200')
    digits = wait_for(lambda: ''.join(d for d, source in h.digits_of(call_id)
                                      if source in ('inband', None) and d != '#'))
    check(digits == '73', 'in-band DTMF detected: %r' % digits)
    rec = h.record_for(lambda r: r['call_id'] == call_id)
    check(rec is not None and rec['dialled'] == '+74957274747' and rec['end_reason'] == 'caller_hangup',
          'record of the Python call: %s' % rec)


def send_raw_udp(h, data):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    s.settimeout(1.0)
    s.sendto(data, (HOST, h.sip_port))
    try:
        reply = s.recv(65535).decode(errors='replace')
    except socket.timeout:
        reply = ''
    s.close()
    return reply


def test_garbage(h):
    send_raw_udp(h, os.urandom(700))
    send_raw_udp(h, b'\x00' * 3)
    send_raw_udp(h, b'INVITE sip:115@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n')
    port = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    port.bind((HOST, 0))
    lport = port.getsockname()[1]
    port.close()
    # Mandatory headers missing (no Call-ID, no CSeq): must be answered 400.
    reply = send_raw_udp(h, ('INVITE sip:115@127.0.0.1 SIP/2.0\r\n'
                             'Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKbad1;rport\r\n'
                             'From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:115@127.0.0.1>\r\n'
                             'Content-Length: 0\r\n\r\n' % lport).encode())
    check(reply.startswith('SIP/2.0 400'), 'INVITE without Call-ID/CSeq -> 400 (%r)' % reply[:40])
    # Body shorter than Content-Length (truncated datagram).
    send_raw_udp(h, ('INVITE sip:115@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKbad2\r\n'
                     'From: <sip:a@127.0.0.1>;tag=2\r\nTo: <sip:115@127.0.0.1>\r\nCall-ID: trunc@x\r\n'
                     'CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 500\r\n\r\nv=0\r\n'
                     % lport).encode())
    # TCP: garbage, then a half message and a dropped connection.
    for payload in (os.urandom(2000), b'INVITE sip:115@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 1'):
        try:
            t = socket.create_connection((HOST, h.sip_port), timeout=2)
            t.sendall(payload)
            t.close()
        except OSError:
            pass
    # A truncated SDP body in an otherwise valid INVITE -> 400, call records it.
    c = RtpCaller(HOST, h.sip_port)
    status, _ = c.invite('115', body='v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4')
    check(status == 400, 'truncated SDP -> 400 (%d)' % status)
    check(h.alive(), 'server still running after garbage')
    # The next call works.
    c = RtpCaller(HOST, h.sip_port)
    status, _ = c.invite('115')
    ok = status == 200
    if ok:
        c.listen(1.0)
        ok = len(c.packets) > 30 and rms([p[6] for p in c.packets]) > 500
        c.bye()
    check(ok, 'next call after garbage answered with speech')
    check(h.sipp('options.xml') == 0, 'OPTIONS still 200 after garbage')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', help='gosline_sipd_test_server')
    ap.add_argument('--gosline', help='the gosline binary: test `gosline serve` instead')
    ap.add_argument('--prompt-cache', help='with --gosline: prompt cache kept between runs')
    ap.add_argument('--sipp', default='sipp')
    ap.add_argument('--scenarios', required=True)
    ap.add_argument('--workdir', required=True)
    args = ap.parse_args()
    if bool(args.server) == bool(args.gosline):
        ap.error('give --server or --gosline')
    h = ServeHarness(args) if args.gosline else Harness(args)
    if not h.start_server():
        print('server did not start; see', os.path.join(args.workdir, 'server.log'))
        return 1
    try:
        for t in (test_sipp, test_speech_hold_inband, test_garbage):
            print('--', t.__name__, flush=True)
            try:
                t(h)
            except Exception as e:  # a test's crash is a failure, not a hang
                check(False, '%s raised %r' % (t.__name__, e))
    finally:
        rc = h.stop_server()
    check(rc == 0, 'server stops cleanly on SIGTERM (exit %s)' % rc)
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
