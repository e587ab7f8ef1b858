// Feeds the live hub from the contact centre's snapshots (R18):
//  - "wallboard": the snapshot (queues, operators) with the active alarms,
//    and an {"type":"alarm"} message whenever a threshold alarm is raised or
//    cleared (stats::AlarmEvaluator: hysteresis, no flapping);
//  - OperatorTopic(id): an operator's own entry whenever it changes.
// Works on the snapshot JSON (centre_snapshot_json.h), whose "at" is the
// time the alarms are evaluated at.
//
// Threads: OnCentreSnapshot from the contact centre's publishing thread,
// WithAlarms from the hub (any thread); mu_ guards the alarm evaluator and
// the operators' last entries, and is let go before publishing to the hub.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/thread_annotations.h"
#include "core/stats/threshold_alarms.h"
#include "http/live_hub.h"

namespace gosline::http {

class WallboardFeed {
 public:
  // SL (15 min) below 0.80 for a minute, clear at 0.85; longest wait above
  // 120 s, clear at 90 s; abandoned (15 min) above 10 %, clear at 8 %.
  static std::vector<stats::AlarmRule> DefaultAlarmRules();

  WallboardFeed(LiveHub& hub, stats::AlarmEvaluator alarms);

  // Call with every snapshot the centre publishes.
  void OnCentreSnapshot(nlohmann::json snapshot);
  // The snapshot plus "alarms", as sent: for the hub's snapshot provider.
  nlohmann::json WithAlarms(nlohmann::json snapshot) const;

 private:
  nlohmann::json ActiveAlarmsJson() const GOSLINE_REQUIRES(mu_);

  LiveHub& hub_;
  mutable Mutex mu_;
  stats::AlarmEvaluator alarms_ GOSLINE_GUARDED_BY(mu_);
  // id -> last entry sent
  std::map<std::string, nlohmann::json> last_operator_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::http
