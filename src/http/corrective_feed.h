// Tells the supervisors of every corrective action started or ended (R13):
// an {"type":"corrective"} message on the wallboard's live feed (with
// "page": true for rules that page the supervisors, which the wallboard
// raises as an alarm) and an audit-log entry with the reason. The contact
// centre calls the listener outside its lock; the webhook sender (R27) can
// listen beside it through ContactCentre::OnCorrectiveAction.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/corrective/corrective_engine.h"
#include "http/live_hub.h"

namespace gosline::http {

// actor, action, object, detail: as the audit log takes them.
using CorrectiveAudit = std::function<void(const std::string& actor, const std::string& action,
                                           const std::string& object, const std::string& detail)>;

nlohmann::json CorrectiveMessage(const corrective::Transition& t);

// The listener to hand to ContactCentre::OnCorrectiveAction; `hub` outlives it.
std::function<void(const corrective::Transition&)> CorrectiveFeed(LiveHub& hub,
                                                                  CorrectiveAudit audit);

}  // namespace gosline::http
