#include "telephony/restart_only_settings.h"

namespace gosline::telephony {

std::vector<std::string> SettingsNeedingRestart(const TelephonyConfig& a,
                                                const TelephonyConfig& b) {
  std::vector<std::string> out;
  auto differs = [&out](bool changed, const char* path) {
    if (changed) out.emplace_back(path);
  };
  differs(a.sip_address != b.sip_address, "telephony.sip.listen");
  differs(a.sip_port != b.sip_port, "telephony.sip.port");
  differs(a.sip_transports != b.sip_transports, "telephony.sip.transports");
  differs(a.sip_tls_port != b.sip_tls_port || a.sip_tls_cert_dir != b.sip_tls_cert_dir,
          "telephony.sip.tls");
  differs(a.user_agent != b.user_agent, "telephony.sip.user_agent");
  differs(a.rtp_address != b.rtp_address, "telephony.rtp.listen");
  differs(a.rtp_port_min != b.rtp_port_min || a.rtp_port_max != b.rtp_port_max,
          "telephony.rtp.ports");
  differs(a.max_calls != b.max_calls, "telephony.max_calls");
  differs(a.retry_after_s != b.retry_after_s, "telephony.retry_after_s");
  differs(a.realtime_media != b.realtime_media, "telephony.realtime_media");
  differs(a.ring_time != b.ring_time, "telephony.ring_ms");
  differs(a.session_expires_s != b.session_expires_s || a.min_se_s != b.min_se_s,
          "telephony.session_timers");
  differs(a.media_timeout != b.media_timeout, "telephony.media_timeout_s");
  differs(a.max_call_duration != b.max_call_duration, "telephony.max_call_s");
  differs(a.inband_dtmf_fallback != b.inband_dtmf_fallback, "telephony.inband_dtmf");
  differs(a.prompt_cache_dir != b.prompt_cache_dir, "telephony.prompt_cache");
  differs(a.operator_passwords_file != b.operator_passwords_file,
          "telephony.operator_passwords_file");
  differs(a.recordings_dir != b.recordings_dir, "telephony.recordings_dir");
  differs(a.callback_key != b.callback_key, "telephony.callback_key");
  differs(a.operator_no_response != b.operator_no_response, "telephony.operator_no_response_ms");
  differs(a.srtp != b.srtp || a.srtp_numbers != b.srtp_numbers ||
              a.srtp_operators != b.srtp_operators || a.srtp_over_udp != b.srtp_over_udp,
          "telephony.srtp");
  return out;
}

std::vector<std::string> AbuseSettingsNeedingRestart(const AbuseSettings& a,
                                                     const AbuseSettings& b) {
  std::vector<std::string> out;
  auto differs = [&out](bool changed, const char* path) {
    if (changed) out.emplace_back(path);
  };
  differs(a.per_number_calls != b.per_number_calls || a.per_number_refill_s != b.per_number_refill_s,
          "security.abuse.per_number");
  differs(a.per_prefix_calls != b.per_prefix_calls ||
              a.per_prefix_refill_ms != b.per_prefix_refill_ms ||
              a.prefix_digits != b.prefix_digits,
          "security.abuse.per_prefix");
  differs(a.flood_short_calls != b.flood_short_calls ||
              a.flood_short_call_s != b.flood_short_call_s ||
              a.flood_window_s != b.flood_window_s || a.flood_sources != b.flood_sources ||
              a.flood_sources_window_s != b.flood_sources_window_s ||
              a.flood_flag_s != b.flood_flag_s,
          "security.abuse.flood");
  differs(a.per_source_calls != b.per_source_calls ||
              a.per_source_refill_ms != b.per_source_refill_ms ||
              a.per_source_max_calls != b.per_source_max_calls,
          "security.abuse.per_source");
  differs(a.trusted_sources != b.trusted_sources, "security.abuse.trusted_sources");
  differs(a.block_status != b.block_status, "security.abuse.block_status");
  return out;
}

}  // namespace gosline::telephony
