#include "cli/serve_options.h"

#include "config/telephony_config_loader.h"

namespace gosline::cli {

void ApplyServeOverrides(const ServeOptions& opts, Config& config) {
  if (!opts.listen.empty()) config.http.listen = opts.listen;
  if (opts.port >= 0) config.http.port = static_cast<uint16_t>(opts.port);
  if (!opts.db.empty()) config.storage.path = opts.db;
  if (opts.sip_port >= 0) config.telephony.sip_port = static_cast<uint16_t>(opts.sip_port);
  if (auto range = ParsePortRange(opts.rtp_ports)) {
    config.telephony.rtp_port_min = range->first;
    config.telephony.rtp_port_max = range->second;
  }
  if (opts.max_calls > 0) config.telephony.max_calls = opts.max_calls;
}

}  // namespace gosline::cli
