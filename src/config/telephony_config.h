// The `telephony:` section of the configuration: where the SIP
// endpoint and the RTP media listen, admission limits, timers and the prompt
// cache. Plain data; the telephony adapter turns it into its own
// TelephonyConfig together with service.numbers and the IVR's prompts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gosline {

struct TelephonySettings {
  // SIP listener (R1): the hotline numbers are reached at sip:<number>@listen:port.
  std::string sip_listen = "127.0.0.1";
  uint16_t sip_port = 5060;
  std::vector<std::string> sip_transports{"udp", "tcp"};
  std::string user_agent = "gosline";
  // SIP over TLS (R22, in transit): a "sips" listener on its own port.
  // sip_tls_cert_dir holds agent.pem (key + certificate) and cafile.pem,
  // Sofia-SIP's layout; scripts/make-demo-certs.sh creates them for the demo.
  bool sip_tls = false;
  uint16_t sip_tls_port = 5061;
  std::string sip_tls_cert_dir = "var/tls/sip";

  // Encrypted audio (R22): SRTP with SDES keys (RFC 4568), which ride in the
  // SDP and so only over SIP/TLS. "off": plain RTP only; "offer": SRTP when
  // a caller offers it, and offered to operators' phones reached over TLS;
  // "required": a caller offering plain RTP gets 488, an operator's phone
  // not reached over TLS is not rung. Per dialled number (callers' legs):
  // srtp_numbers; per operator: routing.operators[].srtp. srtp_over_udp
  // (lab only) lets the keys travel over plain signalling.
  std::string srtp = "offer";
  std::map<std::string, std::string> srtp_numbers;
  bool srtp_over_udp = false;

  // RTP: one even UDP port per call from [rtp_port_min, rtp_port_max]; the
  // address is bound and written into SDP answers.
  std::string rtp_listen = "127.0.0.1";
  uint16_t rtp_port_min = 20000;
  uint16_t rtp_port_max = 20999;

  // Admission: beyond max_calls (or with the media loop late) new calls get
  // 503 with Retry-After.
  int max_calls = 500;
  int retry_after_s = 5;
  double media_overload_share = 0.7;

  int ring_ms = 0;                 // 180 Ringing this long before answering
  int session_expires_s = 1800;    // RFC 4028
  int min_se_s = 90;
  int media_timeout_s = 60;        // no RTP from the caller this long: hang up
  int max_call_s = 3600;           // hard limit of a call
  bool inband_dtmf = true;         // spandsp detection when telephone-event is not offered
  bool realtime_media = true;      // media loop under SCHED_FIFO when permitted

  std::string prompt_cache = "var/prompts";  // synthesised prompts, relative to the working dir

  // Operators' phones (R8-R14, R30): SIP digest passwords (operator_id:password
  // lines, 0600; made on first start for the configured operators), the
  // folder of call recordings, the key a waiting caller presses for a
  // callback, and how long an operator's phone may stay silent before the
  // ring counts as failed (a dead phone should not hold a caller 32 s).
  std::string operator_passwords_file = "var/operator-sip-passwords";
  std::string recordings_dir = "var/recordings";
  char callback_key = '5';
  int operator_no_response_ms = 4000;

  // Even ports in the RTP range: the most calls that can have media at once.
  int RtpPortCount() const {
    if (rtp_port_max < rtp_port_min) return 0;
    const int first = (rtp_port_min + 1) & ~1;
    return first > rtp_port_max ? 0 : (rtp_port_max - first) / 2 + 1;
  }
};

}  // namespace gosline
