// What `gosline serve` is told on its command line, and how those overrides
// apply to a configuration. The configuration editor re-applies them to every
// edited configuration: edits change the file, not the command line.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.h"

namespace gosline::cli {

struct ServeOptions {
  std::string config_path = "config/gosline.yaml";
  std::string listen;       // overrides http.listen
  int port = -1;            // overrides http.port
  std::string db;           // overrides storage.path
  bool no_telephony = false;
  int sip_port = -1;        // overrides telephony.sip.port
  std::string rtp_ports;    // overrides telephony.rtp.ports ("30000-39999")
  int max_calls = -1;       // overrides telephony.max_calls
  std::string release_key;  // overrides integrity.public_key
  bool allow_unverified = false;  // start although the installation fails its check (audited)
};

// Writes the options that are set into `config`. The telephony ones are also
// handed to telephony as TelephonyOverrides; they are written here too so
// that an applier comparing an edited config with the running one sees no
// change in them.
void ApplyServeOverrides(const ServeOptions& opts, Config& config);

}  // namespace gosline::cli
