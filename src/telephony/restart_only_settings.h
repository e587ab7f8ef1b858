// Settings the running telephony cannot take over live: listeners, port
// ranges, call limits, timers handed to Sofia-SIP at start, folders, and the
// abuse limiter's policy (its buckets would be lost). A configuration change
// touching one of them is refused with their names, so the administrator
// knows a restart is needed; numbers, the IVR (with its hours and holidays)
// and the block/allow lists are applied live instead.
#pragma once

#include <string>
#include <vector>

#include "config/security_config.h"
#include "telephony/telephony_config.h"

namespace gosline::telephony {

// Configuration paths (as in the YAML: "telephony.sip.port") of the settings
// that differ between the running and the next configuration; empty when the
// change can be applied live. Numbers and prompts are not compared.
std::vector<std::string> SettingsNeedingRestart(const TelephonyConfig& running,
                                                const TelephonyConfig& next);
// The same for security.abuse; the block and allow lists and `enabled` are live.
std::vector<std::string> AbuseSettingsNeedingRestart(const AbuseSettings& running,
                                                     const AbuseSettings& next);

}  // namespace gosline::telephony
