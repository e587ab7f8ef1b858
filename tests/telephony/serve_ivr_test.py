#!/usr/bin/env python3
"""End-to-end: a caller walks the demo IVR of the real `gosline serve` (ctest label "sip").

`gosline serve` runs on config/gosline.yaml (random free SIP/RTP/HTTP ports,
its own SQLite file). A case is opened and taken into work over HTTP, then a
caller (rtp_caller.py: SIP over UDP, real RTP) dials 115 and
  * is answered and hears speech (RTP energy, A-law, 20 ms packets),
  * keys through the greeting (RFC 4733) and chooses 7 in the main menu (SIP INFO),
  * keys the case number, digits alternating RFC 4733 and SIP INFO,
  * hears the status read out (intro, the ten digits, "в работе"),
  * keys 0 for an operator and reaches the application-status queue,
  * hangs up.
The call record in SQLite must show all of it: answered, caller_hangup, region
77 from the numbering register, the IVR path, topic, queue, case number, the
digits, and the prompts that started playing. A second caller chooses English
(9) and hears the English menu. The server must stop cleanly on SIGTERM.
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_serve import GoslineServe  # noqa: E402
from rtp_caller import ALAW_TABLE, RtpCaller, rms  # noqa: E402

failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def speech_seconds(packets):
    """Seconds of received audio louder than line silence (20 ms packets)."""
    loud = 0
    for p in packets:
        if p[5] != 8 or not p[6]:
            continue
        energy = math.sqrt(sum(ALAW_TABLE[b] ** 2 for b in p[6]) / len(p[6]))
        if energy > 300:
            loud += 1
    return loud * 0.02


def key(caller, digit, how):
    if how == 'rfc4733':
        caller.send_dtmf_4733(digit)
    else:
        check(caller.info('Signal=%s\r\nDuration=160\r\n' % digit) == 200,
              'SIP INFO %s -> 200' % digit)
    caller.listen(0.3)


def open_case(srv):
    status, case = srv.request('POST', '/api/v1/cases', {
        'phone': '8 916 123-45-67', 'channel': 'call', 'topic': 'application_status',
        'region': '77', 'summary': 'Где моё заявление на загранпаспорт?'})
    if not check(status == 201, 'case opened over HTTP (%s)' % status):
        return None
    number = case['number']
    status, case = srv.request('POST', '/api/v1/cases/%s/transitions' % number,
                               {'to': 'in_progress', 'reason': 'operator took it'})
    check(status == 200 and case['status'] == 'in_progress', 'case taken into work')
    return number


def test_case_status_walk(srv, number):
    c = RtpCaller('127.0.0.1', srv.sip_port)
    status, _ = c.invite('115', telephone_event=101)
    if not check(status == 200, 'INVITE 115 answered (%d)' % status):
        return
    c.listen(2.0)
    pkts = list(c.packets)
    check(len(pkts) >= 80, 'RTP flows: %d packets in 2 s' % len(pkts))
    check(all(p[5] == 8 and len(p[6]) == 160 for p in pkts), 'A-law, 20 ms payloads')
    energy = rms([p[6] for p in pkts])
    check(energy > 500, 'the greeting is speech: RMS %.0f (silence ~8)' % energy)

    key(c, '1', 'rfc4733')   # any key leaves the greeting in Russian
    c.listen(1.0)
    key(c, '7', 'sip_info')  # main menu: status of an application
    c.listen(1.0)
    c.packets = []
    for i, d in enumerate(number):
        key(c, d, 'rfc4733' if i % 2 == 0 else 'sip_info')
    # "Enter the last four digits of the phone...": the case was opened from +79161234567.
    c.listen(7.0)
    c.packets = []
    for d in '4567':
        key(c, d, 'rfc4733')
    # Intro + ten digits + status word: a dozen seconds of speech.
    c.listen(14.0)
    said = speech_seconds(c.packets)
    check(said > 5.0, 'the status is read out: %.1f s of speech after the number' % said)
    key(c, '0', 'rfc4733')   # after the status: an operator
    c.listen(1.0)
    key(c, '0', 'sip_info')  # (if the first 0 only cut the status short)
    # "Please stay on the line..." plays in full, then the call is queued.
    c.listen(6.0)
    check(speech_seconds(c.packets[-300:]) > 1.0, 'the queue messages play')
    check(c.bye() == 200, 'BYE -> 200')

    rec = srv.record_for(c.call_id)
    if not check(rec is not None, 'call record in SQLite'):
        return
    print('      record:', {k: rec[k] for k in ('end_reason', 'sip_status', 'region', 'ivr_path',
                                               'topic', 'queue', 'case_number', 'digits', 'ivr_end')})
    check(rec['answered_at_ms'] is not None and rec['end_reason'] == 'caller_hangup'
          and rec['sip_status'] == 200, 'answered, ended by the caller, 200')
    # R22: the caller's number is sealed at rest, found through its keyed hash.
    check(rec['dialled'] == '115' and str(rec['caller_e164']).startswith('gse1.')
          and '79161234567' not in str(rec['caller_e164']) + str(rec['from_number'])
          and rec.get('caller_hmac'), 'dialled 115, the caller +79161234567 sealed and hashed (R22)')
    check(rec['region'] == '77', 'R10 region 77 from the numbering register (%s)' % rec['region'])
    check(rec['started_at_ms'] <= rec['answered_at_ms'] <= rec['ended_at_ms'], 'times in order')
    check(rec['case_number'] == number, 'R16 case number asked: %s' % rec['case_number'])
    check('case_status' in rec['ivr_path'].split() and rec['ivr_path'].startswith('greeting main_menu'),
          'IVR path: %s' % rec['ivr_path'])
    check(rec['topic'] == 'application_status' and rec['queue'] == 'federal-application-status'
          and rec['ivr_end'] == 'queued', 'topic and queue reached: %s / %s (%s)'
          % (rec['topic'], rec['queue'], rec['ivr_end']))
    # R22: the keys pressed hold the case number and the phone's digits: sealed at rest.
    check(rec['digits'].startswith('gse1.') and number not in rec['digits'],
          'the keys pressed are sealed at rest: %s' % rec['digits'][:24])
    heard = rec['prompts'].split()
    said_number = ['ru/case_status_intro'] + ['ru/digit/' + d for d in number] + [
        'ru/case_status/in_progress']
    at = heard.index('ru/case_status_intro') if 'ru/case_status_intro' in heard else -1
    check(at >= 0 and heard[at:at + len(said_number)] == said_number,
          'R16 the status was played: intro, %s, "в работе" (%s)' % (number, ' '.join(heard)))
    for p in ('ru/greeting', 'ru/main_menu', 'ru/ask_case_number', 'ru/case_status/phone_last4',
              'ru/queue_enter'):
        check(p in heard, 'heard %s' % p)
    check(srv.log_matches(r"queued in 'federal-application-status' \(topic 'application_status'\)"),
          'server log: queued in federal-application-status')


def test_case_status_wrong_phone(srv, number):
    """R16: the right case number with the wrong last digits of its phone is
    answered exactly like an unknown case: no status, no intro, the number is
    asked again."""
    c = RtpCaller('127.0.0.1', srv.sip_port)
    status, _ = c.invite('115', telephone_event=101)
    if not check(status == 200, 'INVITE 115 answered (%d)' % status):
        return
    c.listen(2.0)
    key(c, '1', 'rfc4733')
    c.listen(1.0)
    key(c, '7', 'rfc4733')
    c.listen(1.0)
    for d in number:
        key(c, d, 'rfc4733')
    c.listen(7.0)
    for d in '0000':
        key(c, d, 'rfc4733')
    c.listen(8.0)
    check(c.bye() == 200, 'BYE -> 200')
    rec = srv.record_for(c.call_id)
    if not check(rec is not None, 'call record in SQLite'):
        return
    heard = rec['prompts'].split()
    print('      heard:', ' '.join(heard))
    check('ru/case_status/phone_last4' in heard, 'R16 the last digits of the phone were asked for')
    check('ru/case_not_found' in heard, 'R16 wrong phone digits: "not found", as for an unknown case')
    check('ru/case_status_intro' not in heard and not any(p.startswith('ru/case_status/') and
                                                          p != 'ru/case_status/phone_last4'
                                                          for p in heard),
          'R16 no status word was said for the wrong phone digits')
    at = heard.index('ru/case_not_found') if 'ru/case_not_found' in heard else len(heard)
    check('ru/ask_case_number' in heard[at:], 'the case number is asked again')


def test_english(srv):
    c = RtpCaller('127.0.0.1', srv.sip_port)
    status, _ = c.invite('88001007010', telephone_event=101)
    if not check(status == 200, 'INVITE 88001007010 answered (%d)' % status):
        return
    c.listen(1.0)
    key(c, '9', 'rfc4733')
    c.listen(2.0)
    check(speech_seconds(c.packets[-100:]) > 0.5, 'the English menu is speech')
    check(c.bye() == 200, 'BYE -> 200')
    rec = srv.record_for(c.call_id)
    check(rec is not None and rec['language'] == 'en' and 'en/main_menu' in rec['prompts'].split(),
          'R5 English chosen: %s' % str(rec and (rec['language'], rec['prompts'])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--workdir', required=True)
    ap.add_argument('--prompt-cache', required=True)
    args = ap.parse_args()
    srv = GoslineServe(args.gosline, args.workdir, args.prompt_cache)
    t0 = time.time()
    if not srv.start():
        print('gosline serve did not start:\n' + srv.log()[-4000:])
        return 1
    print('gosline serve ready in %.1f s (SIP %d, HTTP %d, RTP %d-%d)'
          % (time.time() - t0, srv.sip_port, srv.http_port, srv.rtp_min, srv.rtp_max), flush=True)
    check(srv.log_matches(r'telephony: SIP on 127\.0\.0\.1:%d' % srv.sip_port), 'log says where SIP listens')
    try:
        number = open_case(srv)
        for name, test in (('case status walk', lambda: test_case_status_walk(srv, number)),
                           ('case status, wrong phone digits',
                            lambda: test_case_status_wrong_phone(srv, number)),
                           ('english', lambda: test_english(srv))):
            print('--', name, flush=True)
            try:
                if number:
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
        print('--- server log (tail)\n' + srv.log()[-3000:])
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
