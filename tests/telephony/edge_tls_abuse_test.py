#!/usr/bin/env python3
"""End-to-end: TLS in transit (R22) and abuse protection at call entry (R25),
against the real `gosline serve` on the demo configuration with TLS switched on
(certificates from scripts/make-demo-certs.sh) and random free ports.

 - HTTPS: /healthz over TLS with the certificate verified; plain HTTP beside it.
 - SIP over TLS: a call to 115 over a TLS connection (Python ssl: Debian's sipp
   is built without TLS) is answered with SDP, ACKed and hung up with BYE.
 - R25 with sipp over UDP: one number calls until it gets 486 Busy Here, while
   another number still gets through; a block-listed number gets 603; the refusals
   are in the call registry with end reason "refused". One address (127.0.0.2)
   calling with an anonymous From is capped by its source limit, while the
   trusted address 127.0.0.1 (standing for a trunk) is not.
 - No media before the ACK: an INVITE whose SDP names some address gets its 200,
   but no RTP goes to that address until the ACK comes (no reflection).
Every wait is bounded; the whole run is bounded by ctest's TIMEOUT.
"""
import argparse
import http.client
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_serve import REPO, GoslineServe, free_port  # noqa: E402

HOST = '127.0.0.1'
failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def tls_config(workdir, https_port, sips_port):
    """The demo configuration with TLS on (as `make run` does) and tight R25 limits."""
    text = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
    text, n = re.subn(r'enabled: false( *# demo: make run turns TLS on)', r'enabled: true\1', text)
    assert n == 2, 'the demo configuration has two TLS switches'
    text = text.replace('    port: 8443\n', '    port: %d\n' % https_port, 1)
    text = text.replace('      port: 5061\n', '      port: %d\n' % sips_port, 1)
    text = text.replace('per_number: {calls: 6, refill_s: 300}', 'per_number: {calls: 3, refill_s: 3600}', 1)
    text = text.replace('block: []', 'block: ["+7900*"]', 1)
    text = text.replace('per_source: {calls: 100, refill_ms: 100, max_calls: 100}',
                        'per_source: {calls: 3, refill_ms: 3600000, max_calls: 2}', 1)
    text = text.replace('trusted_sources: []', 'trusted_sources: ["127.0.0.1"]', 1)
    path = os.path.join(workdir, 'gosline-tls.yaml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


SIPP_CALL = '''<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="%(name)s">
  <send retrans="500"><![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[caller]@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  %(body)s
</scenario>
'''
ANSWERED = '''<recv response="200" rrs="true"/>
  <send><![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <send retrans="500"><![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="200"/>'''
REFUSED = '''<recv response="%(code)s"/>
  <send><![CDATA[

      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>'''


LATE_OFFER = '''<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="late offer">
  <send retrans="500"><![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[caller]@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true">
    <action>
      <ereg regexp="m=audio [0-9]+ RTP/AVP 8" search_in="body" check_it="true" assign_to="offer"/>
      <!-- TLS is on, the call came over UDP: the Contact must be a plain sip: URI, or the
           caller could not send its ACK and BYE back (nua alone would offer sips:). -->
      <ereg regexp="&lt;sip:" search_in="hdr" header="Contact:" check_it="true" assign_to="contact"/>
      <log message="our offer: [$offer], our contact: [$contact]"/>
    </action>
  </recv>
  <send><![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
  ]]></send>
  <pause milliseconds="1500"/>
  <send retrans="500"><![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
'''


def late_offer_check(args, server):
    """An INVITE without SDP gets our offer in the 200; the ACK answers."""
    path = os.path.join(args.workdir, 'uac_late_offer.xml')
    with open(path, 'w', encoding='ascii') as f:
        f.write(LATE_OFFER)
    caller = '79037778899'
    # The caller's number is sealed at rest (R22): find the call by its time.
    started_ms = int(time.time() * 1000)
    check(sipp(args, server, path, caller) == 0,
          'late offer: INVITE without SDP answered 200 with our offer and a sip: Contact (TLS on, UDP call), ACK carries the answer')
    deadline = time.time() + 10
    rows = []
    while time.time() < deadline:
        rows = server.records('started_at_ms >= ? AND sip_status = 200', (started_ms,))
        if rows:
            break
        time.sleep(0.2)
    check(bool(rows) and rows[-1].get('answered_at_ms') is not None
          and rows[-1].get('ended_at_ms', 0) - rows[-1]['answered_at_ms'] >= 1000
          and rows[-1].get('end_reason') == 'caller_hangup',
          'late offer: the call was answered and ended by the caller: %s' % (rows[-1] if rows else None))


def write_scenarios(workdir):
    paths = {}
    for name, body in (('answered', ANSWERED), ('486', REFUSED % {'code': '486'}),
                       ('603', REFUSED % {'code': '603'})):
        path = os.path.join(workdir, 'uac_abuse_%s.xml' % name)
        with open(path, 'w', encoding='ascii') as f:
            f.write(SIPP_CALL % {'name': name, 'body': body})
        paths[name] = path
    return paths


def sipp(args, server, scenario, caller, local_ip=HOST):
    cmd = [args.sipp, '-sf', scenario, '-s', '115', '%s:%d' % (HOST, server.sip_port),
           '-key', 'caller', caller, '-m', '1', '-t', 'u1', '-i', local_ip, '-p', str(free_port()),
           '-mp', str(free_port(False) & ~1), '-nostdin', '-timeout', '30s', '-timeout_error',
           '-trace_err', '-error_file', os.path.join(args.workdir, 'sipp.errors.log')]
    try:
        return subprocess.run(cmd, cwd=args.workdir, capture_output=True, text=True,
                              timeout=40).returncode
    except subprocess.TimeoutExpired:
        return -1


def https_checks(server, https_port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    conn = http.client.HTTPSConnection('localhost', https_port, context=ctx, timeout=10)
    try:
        conn.request('GET', '/healthz')
        resp = conn.getresponse()
        body = resp.read()
        check(resp.status == 200 and b'ok' in body, 'HTTPS /healthz answers with a verified certificate')
        check(conn.sock.version() in ('TLSv1.2', 'TLSv1.3'), 'TLS version is 1.2 or newer: %s' % conn.sock.version())
        check('max-age' in (resp.getheader('Strict-Transport-Security') or ''), 'HSTS header over HTTPS')
    finally:
        conn.close()
    status, _ = server.request('GET', '/healthz')
    check(status == 200, 'plain HTTP still answers on its own port')


def read_sip_response(tls, deadline):
    """Reads one SIP message (head + Content-Length body) from a TLS socket."""
    data = b''
    while b'\r\n\r\n' not in data and time.time() < deadline:
        chunk = tls.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b'\r\n\r\n')
    m = re.search(rb'(?im)^(?:content-length|l)\s*:\s*(\d+)', head)
    length = int(m.group(1)) if m else 0
    while len(rest) < length and time.time() < deadline:
        chunk = tls.recv(4096)
        if not chunk:
            break
        rest += chunk
    return head.decode('utf-8', 'replace'), rest[:length].decode('utf-8', 'replace'), rest[length:]


def sip_tls_call(sips_port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection((HOST, sips_port), timeout=10)
    tls = ctx.wrap_socket(raw, server_hostname='localhost')
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind((HOST, 0))
    local_port = tls.getsockname()[1]
    call_id = uuid.uuid4().hex + '@tls.test'
    tag = uuid.uuid4().hex[:8]
    sdp = ('v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n'
           'm=audio %d RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n'
           % rtp.getsockname()[1])

    def request(method, cseq, to_tag='', body='', ctype=''):
        lines = ['%s sip:115@127.0.0.1:%d;transport=tls SIP/2.0' % (method, sips_port),
                 'Via: SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK%s' % (local_port, uuid.uuid4().hex[:12]),
                 'From: <sip:79031234567@127.0.0.1>;tag=%s' % tag,
                 'To: <sip:115@127.0.0.1>' + (';tag=' + to_tag if to_tag else ''),
                 'Call-ID: ' + call_id, 'CSeq: %d %s' % (cseq, method),
                 'Contact: <sip:79031234567@127.0.0.1:%d;transport=tls>' % local_port,
                 'Max-Forwards: 70']
        if ctype:
            lines.append('Content-Type: ' + ctype)
        lines.append('Content-Length: %d' % len(body.encode()))
        tls.sendall(('\r\n'.join(lines) + '\r\n\r\n' + body).encode())

    deadline = time.time() + 20
    try:
        request('INVITE', 1, body=sdp, ctype='application/sdp')
        status, head, body = 0, '', ''
        while time.time() < deadline:
            head, body, _ = read_sip_response(tls, deadline)
            m = re.match(r'SIP/2.0 (\d+)', head)
            status = int(m.group(1)) if m else -1
            if status >= 200 or status < 0:
                break
        check(status == 200, 'SIP over TLS: INVITE 115 answered 200 (got %s)' % status)
        check('m=audio' in body and 'PCMA' in body, 'SIP over TLS: the 200 carries our SDP answer')
        m = re.search(r'(?im)^(?:to|t)\s*:.*;tag=([^;\s>]+)', head)
        to_tag = m.group(1) if m else ''
        request('ACK', 1, to_tag)
        request('BYE', 2, to_tag)
        bye_status = 0
        while time.time() < deadline:
            head, _, _ = read_sip_response(tls, deadline)
            m = re.match(r'SIP/2.0 (\d+) .*\r\n(?:.*\r\n)*?CSeq: *2 BYE', head + '\r\n')
            if m or not head:
                bye_status = int(m.group(1)) if m else -1
                break
        check(bye_status == 200, 'SIP over TLS: BYE answered 200')
    except (OSError, ssl.SSLError) as e:
        check(False, 'SIP over TLS call failed: %r' % e)
    finally:
        tls.close()
        rtp.close()
    # A client that does not trust the certificate is refused in the handshake.
    try:
        bad = ssl.create_default_context().wrap_socket(
            socket.create_connection((HOST, sips_port), timeout=10), server_hostname='localhost')
        bad.close()
        check(False, 'an untrusted certificate must fail verification')
    except ssl.SSLError:
        check(True, 'SIP over TLS: the certificate is what the client verifies (self-signed is refused by default)')


def abuse_checks(args, server):
    sc = write_scenarios(args.workdir)
    flood = '79031112233'
    for i in range(3):
        check(sipp(args, server, sc['answered'], flood) == 0, 'R25: call %d from %s answered' % (i + 1, flood))
    check(sipp(args, server, sc['486'], flood) == 0, 'R25: the 4th call from %s gets 486 Busy Here' % flood)
    check(sipp(args, server, sc['answered'], '79035556677') == 0,
          'R25: another number still gets through while %s is limited' % flood)
    check(sipp(args, server, sc['603'], '79001234567') == 0, 'R25: a block-listed number gets 603 Decline')
    check(sipp(args, server, sc['answered'], '79161234567') == 0, 'R25: the allow-listed test caller gets through')
    deadline = time.time() + 10
    rows = []
    while time.time() < deadline:
        rows = server.records("end_reason = 'refused'")
        if len(rows) >= 2:
            break
        time.sleep(0.2)
    check(sorted(r['sip_status'] for r in rows) == [486, 603],
          'R25: refusals are recorded with end reason "refused": %s' % [r.get('sip_status') for r in rows])
    check(bool(server.log_matches(r'abuse: 486 to \+7 903 \*\*\*-\*\*-33 from')),
          'R25: the refusal is logged, the number masked')
    check(not server.log_matches(r'79031112233'), "R22: the caller's number is not in the log in clear")
    # One host with an anonymous From: its address is limited (3 calls, then 486).
    other_host = '127.0.0.2'
    for i in range(3):
        check(sipp(args, server, sc['answered'], 'anonymous', other_host) == 0,
              'R25: anonymous call %d from %s answered' % (i + 1, other_host))
    check(sipp(args, server, sc['486'], 'anonymous', other_host) == 0,
          'R25: the 4th anonymous call from %s gets 486 Busy Here (source limit)' % other_host)
    check(bool(server.log_matches(r'abuse: 486 to \(unidentified\) from 127\.0\.0\.2: source_rate')),
          'R25: the source refusal is logged with its address')
    check(sipp(args, server, sc['answered'], 'anonymous') == 0,
          'R25: an anonymous call from the trusted address still gets through')


def rtp_arrives(sock, seconds):
    """True when an RTP datagram (version 2) reaches `sock` within `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data, _ = sock.recvfrom(2048)
        except socket.timeout:
            return False
        if data and data[0] >> 6 == 2:
            return True
    return False


def media_after_ack_check(server):
    """No RTP toward the SDP's address before the ACK (R25: no reflection)."""
    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind((HOST, 0))
    target = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # "the victim" named in the SDP
    target.bind((HOST, 0))
    local_port = sip.getsockname()[1]
    call_id = uuid.uuid4().hex + '@ack.test'
    tag = uuid.uuid4().hex[:8]
    sdp = ('v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n'
           'm=audio %d RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n' % target.getsockname()[1])

    def send(method, cseq, to_tag='', body='', ctype=''):
        lines = ['%s sip:115@127.0.0.1:%d SIP/2.0' % (method, server.sip_port),
                 'Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s;rport' % (local_port, uuid.uuid4().hex[:12]),
                 'From: <sip:79035550011@127.0.0.1>;tag=%s' % tag,
                 'To: <sip:115@127.0.0.1>' + (';tag=' + to_tag if to_tag else ''),
                 'Call-ID: ' + call_id, 'CSeq: %d %s' % (cseq, method),
                 'Contact: <sip:79035550011@127.0.0.1:%d>' % local_port, 'Max-Forwards: 70']
        if ctype:
            lines.append('Content-Type: ' + ctype)
        lines.append('Content-Length: %d' % len(body.encode()))
        sip.sendto(('\r\n'.join(lines) + '\r\n\r\n' + body).encode(), (HOST, server.sip_port))

    try:
        send('INVITE', 1, body=sdp, ctype='application/sdp')
        to_tag, deadline = '', time.time() + 10
        while time.time() < deadline and not to_tag:
            sip.settimeout(max(0.05, deadline - time.time()))
            try:
                data = sip.recv(65536).decode('utf-8', 'replace')
            except socket.timeout:
                break
            if re.match(r'SIP/2.0 200', data):
                m = re.search(r'(?im)^(?:to|t)\s*:.*;tag=([^;\s>]+)', data)
                to_tag = m.group(1) if m else ''
        check(bool(to_tag), 'no media before ACK: the INVITE is answered 200')
        # The 200 is retransmitted while unacknowledged; no audio may go out meanwhile.
        check(not rtp_arrives(target, 1.5), 'R25: no RTP toward the SDP address before the ACK')
        send('ACK', 1, to_tag)
        check(rtp_arrives(target, 10), 'after the ACK the greeting is sent to the SDP address')
        send('BYE', 2, to_tag)
    finally:
        sip.close()
        target.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--sipp', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    ap.add_argument('--no-late-offer', dest='late_offer', action='store_false')
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    # Sofia-SIP's TLS transport leaks OpenSSL objects at exit (see lsan_tls.supp).
    os.environ['LSAN_OPTIONS'] = 'suppressions=' + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'lsan_tls.supp')
    os.makedirs(args.workdir, exist_ok=True)
    tls_dir = os.path.join(args.workdir, 'var', 'tls')
    subprocess.run([os.path.join(REPO, 'scripts', 'make-demo-certs.sh'), tls_dir], check=True, timeout=60)
    https_port, sips_port = free_port(False), free_port(False)
    config = tls_config(args.workdir, https_port, sips_port)
    server = GoslineServe(args.gosline, args.workdir, args.prompt_cache, config=config)
    if not check(server.start(), 'gosline serve starts with TLS on'):
        print(server.log()[-4000:])
        return 1
    try:
        cafile = os.path.join(tls_dir, 'server.crt')
        https_checks(server, https_port, cafile)
        sip_tls_call(sips_port, cafile)
        abuse_checks(args, server)
        media_after_ack_check(server)
        if args.late_offer:
            late_offer_check(args, server)
        check(server.alive(), 'the server is still running')
    finally:
        rc = server.stop()
        check(rc == 0, 'clean shutdown (exit %s)' % rc)
    if failures:
        print('\n%d check(s) failed; server log tail:\n%s' % (len(failures), server.log()[-3000:]))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
