#include "http/corrective_feed.h"

#include <cmath>
#include <utility>
#include <vector>

#include "app/contact_centre/corrective_actions.h"

namespace gosline::http {

nlohmann::json CorrectiveMessage(const corrective::Transition& t) {
  std::vector<std::string> actions;
  bool page = false;
  for (const corrective::CorrectiveAction& a : t.actions) {
    actions.push_back(corrective::Describe(a));
    page |= a.kind == corrective::ActionKind::kPageSupervisors;
  }
  const double v = t.reason.value;
  return {{"type", "corrective"},
          {"rule", t.rule},
          {"state", t.activate ? "active" : "ended"},
          {"cause", t.cause},
          {"figure", corrective::ToString(t.reason.figure)},
          {"queue", t.reason.queue},
          {"value", std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr)},
          {"threshold", t.reason.threshold},
          {"since", FormatIso8601(t.reason.since)},
          {"at", FormatIso8601(t.at)},
          {"actions", actions},
          {"page", page},
          {"message", "corrective action " + t.rule + (t.activate ? " started, " : " ended, ") +
                          contact_centre::DescribeReason(t)}};
}

std::function<void(const corrective::Transition&)> CorrectiveFeed(LiveHub& hub,
                                                                  CorrectiveAudit audit) {
  return [&hub, audit = std::move(audit)](const corrective::Transition& t) {
    if (audit) {
      audit("system", t.activate ? "corrective.activate" : "corrective.deactivate", t.rule,
            contact_centre::DescribeReason(t));
    }
    hub.Publish(kWallboardTopic, CorrectiveMessage(t));
  };
}

}  // namespace gosline::http
