#include "core/routing/routing_types.h"

namespace gosline::routing {

const char* OperatorStateName(OperatorState state) {
  switch (state) {
    case OperatorState::kLoggedOut: return "logged_out";
    case OperatorState::kReady: return "ready";
    case OperatorState::kRinging: return "ringing";
    case OperatorState::kOnCall: return "on_call";
    case OperatorState::kWrapUp: return "wrap_up";
    case OperatorState::kNotReady: return "not_ready";
  }
  return "?";
}

const char* DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kOffer: return "offer";
    case DecisionKind::kOfferFailed: return "offer_failed";
    case DecisionKind::kOfferWithdrawn: return "offer_withdrawn";
    case DecisionKind::kOverflow: return "overflow";
    case DecisionKind::kOperatorReady: return "operator_ready";
  }
  return "?";
}

const char* OverflowReasonName(OverflowReason reason) {
  switch (reason) {
    case OverflowReason::kNone: return "none";
    case OverflowReason::kAfter: return "after";
    case OverflowReason::kWaitAbove: return "wait_above";
    case OverflowReason::kLengthAbove: return "length_above";
    case OverflowReason::kUnstaffed: return "unstaffed";
  }
  return "?";
}

std::string ToString(const Decision& d) {
  std::string out = std::to_string(ToUnixMillis(d.at)) + " " + DecisionKindName(d.kind);
  if (d.call != 0) out += " call=" + std::to_string(d.call);
  if (!d.operator_id.empty()) out += " operator=" + std::string(d.operator_id);
  if (!d.queue.empty()) out += " queue=" + std::string(d.queue);
  if (d.kind == DecisionKind::kOffer) out += " waited_ms=" + std::to_string(d.waited.count());
  if (d.reason != OverflowReason::kNone) out += std::string(" reason=") + OverflowReasonName(d.reason);
  return out;
}

}  // namespace gosline::routing
