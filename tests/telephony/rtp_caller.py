"""A minimal SIP caller over UDP with a real RTP endpoint, for the tests.

It places a call, records the RTP it receives (to check the caller hears
speech, not silence, and that headers and pacing are right), can send
in-band DTMF tones, put the call on hold with a re-INVITE and hang up.
Deliberately small: one call at a time, loopback only, bounded waits.
"""
import math
import random
import re
import socket
import struct
import time


def alaw_to_linear(a):
    a ^= 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t += 0x108
        t <<= seg - 1
    return t if a & 0x80 else -t


def linear_to_alaw(pcm):
    mask = 0xD5 if pcm >= 0 else 0x55
    if pcm < 0:
        pcm = -pcm - 1
    seg_end = [0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF]
    seg = 8
    for i, e in enumerate(seg_end):
        if pcm <= e:
            seg = i
            break
    if seg >= 8:
        return 0x7F ^ mask
    aval = seg << 4
    aval |= (pcm >> 4) & 0x0F if seg < 2 else (pcm >> (seg + 3)) & 0x0F
    return aval ^ mask


ALAW_TABLE = [alaw_to_linear(i) for i in range(256)]
DTMF_FREQS = {'1': (697, 1209), '2': (697, 1336), '3': (697, 1477), '4': (770, 1209),
              '5': (770, 1336), '6': (770, 1477), '7': (852, 1209), '8': (852, 1336),
              '9': (852, 1477), '*': (941, 1209), '0': (941, 1336), '#': (941, 1477)}


class RtpCaller:
    def __init__(self, server_host, server_port, local_host='127.0.0.1', caller='79161234567'):
        self.server = (server_host, server_port)
        self.caller = caller  # the From user
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind((local_host, 0))
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind((local_host, 0))
        self.rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.local = local_host
        self.sip_port = self.sip.getsockname()[1]
        self.rtp_port = self.rtp.getsockname()[1]
        self.call_id = '%x@gosline-test' % random.getrandbits(64)
        self.tag = '%x' % random.getrandbits(32)
        self.cseq = 0
        self.to_tag = ''
        self.remote_target = None
        self.remote_media = None
        self.answer_sdp = ''
        self.packets = []  # (arrival seconds, seq, ts, ssrc, marker, pt, payload)
        self.seq = random.randrange(65536)
        self.ts = random.getrandbits(32)
        self.ssrc = random.getrandbits(32)

    # ------------------------------------------------------------ SIP
    def _sdp(self, formats=((8, 'PCMA'),), telephone_event=None, direction='sendrecv'):
        pts = [str(p) for p, _ in formats] + ([str(telephone_event)] if telephone_event else [])
        lines = ['v=0', 'o=test 1 %d IN IP4 %s' % (self.cseq + 1, self.local), 's=-',
                 'c=IN IP4 %s' % self.local, 't=0 0',
                 'm=audio %d RTP/AVP %s' % (self.rtp_port, ' '.join(pts))]
        lines += ['a=rtpmap:%d %s/8000' % (p, n) for p, n in formats]
        if telephone_event:
            lines.append('a=rtpmap:%d telephone-event/8000' % telephone_event)
        lines.append('a=' + direction)
        return '\r\n'.join(lines) + '\r\n'

    def _request(self, method, uri, body='', ctype='application/sdp', cseq=None, branch=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        branch = branch or 'z9hG4bK%x' % random.getrandbits(48)
        to = '<%s>' % uri.split(';')[0] if not self.to_tag else '<%s>;tag=%s' % (self.to_uri, self.to_tag)
        hdr = ['%s %s SIP/2.0' % (method, uri),
               'Via: SIP/2.0/UDP %s:%d;branch=%s;rport' % (self.local, self.sip_port, branch),
               'From: <sip:%s@%s>;tag=%s' % (self.caller, self.local, self.tag),
               'To: ' + to, 'Call-ID: ' + self.call_id,
               'CSeq: %d %s' % (cseq, 'ACK' if method == 'ACK' else method),
               'Contact: <sip:%s@%s:%d>' % (self.caller, self.local, self.sip_port),
               'Max-Forwards: 70']
        if body:
            hdr.append('Content-Type: ' + ctype)
        hdr.append('Content-Length: %d' % len(body.encode()))
        msg = '\r\n'.join(hdr) + '\r\n\r\n' + body
        self.sip.sendto(msg.encode(), self.server)
        return cseq, branch, msg

    def _recv_response(self, cseq, timeout=5.0, retransmit=None):
        deadline = time.time() + timeout
        next_retx = time.time() + 0.5
        while time.time() < deadline:
            self.sip.settimeout(0.1)
            try:
                data, _ = self.sip.recvfrom(65535)
            except socket.timeout:
                if retransmit and time.time() > next_retx:
                    self.sip.sendto(retransmit.encode(), self.server)
                    next_retx = time.time() + 1.0
                self._drain_rtp()
                continue
            text = data.decode(errors='replace')
            m = re.match(r'SIP/2.0 (\d+)', text)
            if not m:
                self._answer_request(text)
                continue
            cs = re.search(r'^CSeq:\s*(\d+)', text, re.M | re.I)
            if cs and int(cs.group(1)) == cseq:
                return int(m.group(1)), text
        raise TimeoutError('no response to CSeq %d' % cseq)

    def _answer_request(self, text):
        """Answers in-dialog requests from the server (BYE) with 200."""
        first = text.split('\r\n', 1)[0]
        if not first.endswith('SIP/2.0') or first.startswith('ACK'):
            return
        keep = [l for l in text.split('\r\n') if re.match(r'(Via|From|To|Call-ID|CSeq):', l, re.I)]
        self.sip.sendto(('SIP/2.0 200 OK\r\n' + '\r\n'.join(keep) + '\r\nContent-Length: 0\r\n\r\n').encode(), self.server)
        if first.startswith('BYE'):
            self.got_bye = True

    def invite(self, number, formats=((8, 'PCMA'),), telephone_event=None, body=None):
        self.to_uri = 'sip:%s@%s:%d' % (number, *self.server)
        self.to_tag = ''
        sdp = self._sdp(formats, telephone_event) if body is None else body
        cseq, branch, msg = self._request('INVITE', self.to_uri, sdp)
        while True:
            status, text = self._recv_response(cseq, timeout=10, retransmit=msg)
            if status >= 200:
                break
        tag = re.search(r'^To:.*;tag=([^;\s]+)', text, re.M | re.I)
        self.to_tag = tag.group(1) if tag else ''
        if status >= 300:
            self._request('ACK', self.to_uri, cseq=cseq, branch=branch)  # same branch: non-2xx ACK
            return status, text
        contact = re.search(r'^(?:Contact|m):\s*<([^>]+)>', text, re.M | re.I)
        self.remote_target = contact.group(1) if contact else self.to_uri
        self._parse_answer(text)
        self._request('ACK', self.remote_target, cseq=cseq)
        return status, text

    def _parse_answer(self, text):
        self.answer_sdp = text.split('\r\n\r\n', 1)[1] if '\r\n\r\n' in text else ''
        c = re.search(r'^c=IN IP4 (\S+)', self.answer_sdp, re.M)
        m = re.search(r'^m=audio (\d+)', self.answer_sdp, re.M)
        if c and m:
            self.remote_media = (c.group(1), int(m.group(1)))

    def reinvite(self, direction):
        cseq, _, msg = self._request('INVITE', self.remote_target,
                                     self._sdp(direction=direction))
        status, text = self._recv_response(cseq, retransmit=msg)
        while status < 200:
            status, text = self._recv_response(cseq)
        if status == 200:
            self._parse_answer(text)
            self._request('ACK', self.remote_target, cseq=cseq)
        return status, text

    def info(self, body, ctype='application/dtmf-relay'):
        cseq, _, msg = self._request('INFO', self.remote_target, body, ctype)
        return self._final(cseq, msg)

    def bye(self):
        cseq, _, msg = self._request('BYE', self.remote_target)
        return self._final(cseq, msg)

    def _final(self, cseq, msg):
        status, _ = self._recv_response(cseq, retransmit=msg)
        while status < 200:
            status, _ = self._recv_response(cseq)
        return status

    # ------------------------------------------------------------ RTP
    def _drain_rtp(self):
        self.rtp.setblocking(False)
        while True:
            try:
                data = self.rtp.recv(2048)
            except BlockingIOError:
                return
            if len(data) < 12:
                continue
            seq, ts, ssrc = struct.unpack('!HII', data[2:12])
            self.packets.append((time.monotonic(), seq, ts, ssrc, bool(data[1] & 0x80),
                                 data[1] & 0x7F, data[12:]))

    def listen(self, seconds, send_audio=None):
        """Receives RTP for `seconds`; sends 20 ms frames from send_audio (A-law bytes) meanwhile."""
        start = time.monotonic()
        frame = 0
        while time.monotonic() - start < seconds:
            if send_audio is not None and self.remote_media:
                due = start + frame * 0.02
                while frame * 160 < len(send_audio) and time.monotonic() >= due:
                    self.send_rtp(8, send_audio[frame * 160:(frame + 1) * 160])
                    frame += 1
                    due = start + frame * 0.02
            self.rtp.settimeout(0.005)
            try:
                data = self.rtp.recv(2048)
                self.rtp.setblocking(False)
                if len(data) >= 12:
                    seq, ts, ssrc = struct.unpack('!HII', data[2:12])
                    self.packets.append((time.monotonic(), seq, ts, ssrc, bool(data[1] & 0x80),
                                         data[1] & 0x7F, data[12:]))
            except (socket.timeout, BlockingIOError):
                pass

    def send_rtp(self, pt, payload, marker=False):
        hdr = struct.pack('!BBHII', 0x80, (0x80 if marker else 0) | pt, self.seq, self.ts, self.ssrc)
        self.rtp.sendto(hdr + payload, self.remote_media)
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + 160) & 0xFFFFFFFF

    def send_dtmf_4733(self, digit, pt=101, duration_ms=100):
        """One key as RFC 4733 telephone-event: 20 ms updates, then the end packet 3 times."""
        event = '0123456789*#ABCD'.index(digit)
        ts = self.ts
        steps = max(1, duration_ms // 20)
        for i in range(steps + 3):
            end = i >= steps
            dur = 160 * min(i + 1, steps)
            payload = struct.pack('!BBH', event, (0x80 if end else 0) | 10, dur)
            hdr = struct.pack('!BBHII', 0x80, (0x80 if i == 0 else 0) | pt, self.seq, ts, self.ssrc)
            self.rtp.sendto(hdr + payload, self.remote_media)
            self.seq = (self.seq + 1) & 0xFFFF
            time.sleep(0.02)
            self._drain_rtp()
        self.ts = (self.ts + 160 * (steps + 3)) & 0xFFFFFFFF

    @staticmethod
    def dtmf_alaw(digits, tone_ms=120, gap_ms=120):
        out = bytearray()
        for d in digits:
            lo, hi = DTMF_FREQS[d]
            for i in range(8 * tone_ms):
                v = 6000 * (math.sin(2 * math.pi * lo * i / 8000) + math.sin(2 * math.pi * hi * i / 8000))
                out.append(linear_to_alaw(int(v)))
            out += bytes([0xD5]) * (8 * gap_ms)
        out += bytes([0xD5]) * ((-len(out)) % 160)
        return bytes(out)


def rms(payloads):
    total, n = 0, 0
    for p in payloads:
        for b in p:
            v = ALAW_TABLE[b]
            total += v * v
        n += len(p)
    return math.sqrt(total / n) if n else 0.0
