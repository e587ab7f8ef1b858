// The events the routing core takes and the decisions it gives back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/time.h"

namespace gosline::routing {

// Chosen by the adapter (unique among live calls); the core never invents one.
using CallId = uint64_t;

enum class OperatorState {
  kLoggedOut,
  kReady,     // waiting for a call; ordered by ready_since (longest idle first)
  kRinging,   // a call is offered; answer within no_answer or be set not ready
  kOnCall,
  kWrapUp,    // after a call; ready by itself when wrap-up time is over
  kNotReady,  // with a reason: "lunch", "training", "no_answer"
};
const char* OperatorStateName(OperatorState state);

// A call that has reached the point of waiting for an operator, with what the
// IVR collected; all of it stays with the call through transfers (R12).
struct CallArrival {
  CallId id = 0;
  std::string topic;
  std::string language;
  std::string caller_region;  // federal subject from the numbering plan; may be empty
  bool has_open_case = false;  // R9
  std::string queue;  // a queue chosen by the IVR; empty: by topic and region (R8, R10)
  std::string case_number;
  std::vector<std::pair<std::string, std::string>> collected;  // IVR variables
  // When the caller first entered a queue, if before this event: a call
  // routed again by another router (a new routing leader, R4) keeps its
  // place by it. Empty: now.
  std::optional<Time> first_arrived_at;
};

enum class DecisionKind {
  kOffer,           // ring `operator_id` for `call` (taken from `queue`)
  kOfferFailed,     // no answer in time (or ringing failed): stop ringing; operator
                    // not ready, call at the head of its queue again
  kOfferWithdrawn,  // the operator left while ringing: stop ringing; call at head again
  kOverflow,        // `call` is now also offered to `queue` (R11), for logs and reports
  kOperatorReady,   // wrap-up ended: `operator_id` is ready
};
const char* DecisionKindName(DecisionKind kind);

enum class OverflowReason { kNone, kAfter, kWaitAbove, kLengthAbove, kUnstaffed };
const char* OverflowReasonName(OverflowReason reason);

// The ids are views into the Router's configuration: they live as long as it
// (a Reconfigure replaces it: hand-outs from before are to be used first).
struct Decision {
  DecisionKind kind = DecisionKind::kOffer;
  Time at;
  CallId call = 0;
  std::string_view operator_id;
  std::string_view queue;
  Duration waited{0};  // kOffer: how long the call waited in its current queue
  OverflowReason reason = OverflowReason::kNone;

  bool operator==(const Decision&) const = default;
};
std::string ToString(const Decision& d);  // one line, for logs and replay comparisons

// A queue's estimated wait (R3, R11) for a caller joining now.
struct Estimate {
  std::optional<Duration> wait;  // nullopt: nobody logged in who could take the call
  size_t calls_waiting = 0;
  uint32_t operators_logged_in = 0;
  uint32_t operators_ready = 0;
  std::optional<Duration> recent_answered_wait;  // moving average of answered calls' waits
};

enum class CallState { kWaiting, kRinging, kConnected };

// What the caller is told while waiting: position and estimated wait. Its
// views and `data` are valid until the Router's next event.
struct CallStatus {
  CallState state = CallState::kWaiting;
  std::string_view queue;         // the queue it waits in (its home queue)
  size_t position = 0;            // 1 = next to be served in that queue
  std::optional<Duration> estimated_wait;
  Duration waited{0};
  std::string_view operator_id;   // ringing or connected
  const CallArrival* data = nullptr;  // what the IVR collected, kept across transfers
};

struct AbandonReport {
  std::string_view queue;
  Duration waited{0};        // in the current queue
  Duration total_waited{0};  // since the call first queued (transfers included)
  bool was_ringing = false;
};

struct OperatorStatus {
  OperatorState state = OperatorState::kLoggedOut;
  std::string_view reason;  // not ready reason; valid until the Router's next event
  Time since;
  std::optional<CallId> call;
};

}  // namespace gosline::routing
