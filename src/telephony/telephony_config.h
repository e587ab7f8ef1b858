// Configuration of the telephony adapter (SIP endpoint + RTP media loop +
// prompts). Plain data: the YAML loader fills it from the `telephony:` section
// and `service.numbers`; tests build it directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "telephony/srtp_negotiation.h"

namespace gosline::security {
class KeyRing;
}

namespace gosline::telephony {

// A prompt is either text synthesised once with espeak-ng or a WAV file.
struct PromptSpec {
  std::string id;         // "greeting", "menu.ru"
  std::string language;   // espeak-ng voice it is spoken with: "ru", "en"
  std::string text;       // synthesised when wav_path is empty
  std::string wav_path;   // any rate / channel count; converted to 8 kHz mono
};

struct TelephonyConfig {
  // SIP listener. Transports: any of "udp", "tcp".
  std::string sip_address = "127.0.0.1";
  uint16_t sip_port = 5060;
  std::vector<std::string> sip_transports{"udp", "tcp"};
  // SIP over TLS (R22): port (0 = off) and the Sofia-SIP certificate directory.
  uint16_t sip_tls_port = 0;
  std::string sip_tls_cert_dir;
  std::string user_agent = "gosline";

  // Encrypted audio (R22): SRTP with SDES keys, offered and accepted over
  // SIP/TLS only. The line's mode, then per dialled number (the callers'
  // legs) and per operator id (the legs we dial) where they differ.
  SrtpMode srtp = SrtpMode::kOffer;
  std::map<std::string, SrtpMode> srtp_numbers;
  std::map<std::string, SrtpMode> srtp_operators;
  // Lab only: SRTP keys accepted and offered over UDP/TCP signalling, where
  // anyone on the path can read them.
  bool srtp_over_udp = false;

  // RTP: one UDP port per call, taken from [rtp_port_min, rtp_port_max].
  std::string rtp_address = "127.0.0.1";  // bound and advertised in SDP
  uint16_t rtp_port_min = 20000;
  uint16_t rtp_port_max = 29999;
  // The share of those ports kept for operators' legs (R8): callers never
  // take it, so operators can be rung while callers hold every other port.
  double operator_port_share = 0.1;

  // Dialled numbers (Request-URI user part) that enter the service (R1).
  std::vector<std::string> numbers;

  // Admission: beyond max_calls, or when the media loop is late, new calls
  // get 503 with Retry-After instead of degrading the calls in progress.
  size_t max_calls = 2000;
  int retry_after_s = 5;
  // The media loop counts as overloaded when a tick's work takes longer than
  // this share of the 20 ms tick (smoothed).
  double media_overload_share = 0.7;
  // Run the media loop under realtime scheduling (SCHED_FIFO) when permitted.
  bool realtime_media = true;

  // Ringing before the answer (180 then 200). 0 answers at once.
  std::chrono::milliseconds ring_time{0};
  // RFC 4028 session timers: Session-Expires we ask for and the Min-SE we accept.
  unsigned session_expires_s = 1800;
  unsigned min_se_s = 90;
  // A call with no RTP from the caller for this long is hung up (dead peer).
  std::chrono::seconds media_timeout{60};
  // Hard limit of a call's length (protects against stuck calls).
  std::chrono::seconds max_call_duration{3600};

  // In-band DTMF detection (spandsp) when the caller did not negotiate
  // RFC 4733 telephone-event.
  bool inband_dtmf_fallback = true;

  // Prompts: synthesised/converted at start-up, cached in prompt_cache_dir.
  std::string prompt_cache_dir = "var/prompts";
  std::vector<PromptSpec> prompts;
  // Until the IVR flow is connected: the prompt every answered call hears.
  std::string greeting_prompt = "greeting";

  // Operators: their phones REGISTER here with digest auth.
  // Passwords: "operator_id:password" lines; "" = no registrar (REGISTER -> 405).
  std::string operator_passwords_file;
  // When the passwords file is missing it is created for these ids (demo).
  std::vector<std::string> demo_operators;
  // Operator id -> the SIP user their phone registers as, where they differ.
  std::map<std::string, std::string> operator_sip_users;
  std::string sip_realm = "gosline";
  // B2BUA: an operator's phone that sends nothing at all within this fails
  // the ring at once (no waiting for SIP timer B).
  std::chrono::milliseconds operator_no_response{4000};
  // Bridged calls are recorded here: <case>_<call id>.wav, stereo (R30).
  std::string recordings_dir = "var/recordings";
  // The data key (R22): set, recordings are sealed as they are written
  // (<case>_<call id>.wav.sealed, security/recording_stream.h) and no clear
  // audio reaches the disk; null (no key configured), clear WAVs.
  std::shared_ptr<const security::KeyRing> recording_keys;
  // The key a waiting caller presses to ask for a callback; '\0' = none.
  char callback_key = '5';
  // Language of the queue announcements and the callback confirmation.
  std::string queue_prompt_language = "ru";
};

}  // namespace gosline::telephony
