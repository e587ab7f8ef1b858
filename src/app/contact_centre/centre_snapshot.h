// What the contact centre shows of itself: operators and queues now (for the
// supervisor's API and the live WebSocket feed) and an operator's screen pop.
// Plain data, copied out under the centre's lock; the HTTP layer renders it
// (http/centre_snapshot_json.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/time.h"
#include "core/stats/queue_statistics.h"

namespace gosline::contact_centre {

struct OperatorView {
  std::string id;
  std::string name;
  std::string centre;
  std::map<std::string, int> skills;
  std::vector<std::string> languages;
  std::string state;   // logged_out, ready, ringing, on_call, wrap_up, not_ready
  std::string reason;  // not ready reason
  Time since{};
  std::optional<uint64_t> call;

  bool operator==(const OperatorView&) const = default;
};

struct QueueView {
  std::string id;
  std::string topic;
  std::string centre;
  size_t waiting = 0;
  Duration longest_wait{0};
  std::optional<Duration> estimated_wait;  // nullopt: nobody logged in who could take a call
  uint32_t logged_in = 0;
  uint32_t ready = 0;
  uint32_t on_call = 0;  // ringing or talking
  uint32_t wrap_up = 0;
  uint32_t not_ready = 0;
  stats::QueueFigures figures;  // service level, answered, abandoned (window and today)

  bool operator==(const QueueView&) const = default;
};

// A corrective-action rule (R13) and whether it acts now.
struct CorrectiveView {
  std::string rule;
  bool active = false;
  std::string figure;            // "queue_length", ...
  std::string queue;             // where it was read last ("" = not yet)
  std::optional<double> value;   // the latest known value
  double threshold = 0;          // the trigger's
  std::optional<Time> since;     // active: since when its condition held
  uint64_t activations = 0;      // since start
  std::vector<std::string> actions;  // "open_overflow federal-taxes -> federal-other", ...

  bool operator==(const CorrectiveView&) const = default;
};

struct CentreSnapshot {
  Time at{};
  std::vector<QueueView> queues;
  std::vector<OperatorView> operators;
  std::vector<CorrectiveView> corrective;

  bool operator==(const CentreSnapshot&) const = default;
};

// The operator's screen pop: the call they are ringing with or talking to.
struct ScreenPop {
  uint64_t call = 0;
  std::string caller;  // E.164; the HTTP layer masks it for roles that may not see phones
  std::string region;
  std::string language;
  std::string ivr_path;
  std::string topic;
  std::string queue;
  std::string case_number;
  std::vector<std::string> earlier_cases;  // the caller's other cases, newest first
  std::vector<std::pair<std::string, std::string>> collected;  // what the IVR collected
  std::string state;  // ringing | on_call
};

}  // namespace gosline::contact_centre
