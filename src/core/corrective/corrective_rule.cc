#include "core/corrective/corrective_rule.h"

#include <cmath>

namespace gosline::corrective {
namespace {

struct FigureName {
  Figure figure;
  std::string_view name;
};
constexpr FigureName kFigureNames[] = {
    {Figure::kServiceLevel15m, "service_level_15m"},
    {Figure::kEwtSeconds, "ewt_seconds"},
    {Figure::kQueueLength, "queue_length"},
    {Figure::kAbandonRate15m, "abandon_rate_15m"},
};

bool IsFraction(Figure f) {
  return f == Figure::kServiceLevel15m || f == Figure::kAbandonRate15m;
}

Status Invalid(const CorrectiveRule& rule, const std::string& what, const std::string& field) {
  return Status::InvalidArgument("corrective action " + rule.name + ": " + what, field);
}

Status ValidateAction(const CorrectiveRule& rule, const CorrectiveAction& a) {
  switch (a.kind) {
    case ActionKind::kOpenOverflow:
      if (a.from_queue.empty()) return Invalid(rule, "open_overflow needs from_queue", "from_queue");
      if (a.to_queue.empty() == a.to_centre.empty()) {
        return Invalid(rule, "open_overflow needs exactly one of to_queue and to_centre",
                       "to_queue");
      }
      if (a.to_queue == a.from_queue) {
        return Invalid(rule, "open_overflow goes from " + a.from_queue + " to itself", "to_queue");
      }
      return Status::Ok();
    case ActionKind::kHighLoadAnnouncement:
      if (a.prompt.empty()) return Invalid(rule, "high_load_announcement needs a prompt", "prompt");
      return Status::Ok();
    case ActionKind::kOfferCallback:
    case ActionKind::kPageSupervisors:
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(Figure f) {
  for (const auto& n : kFigureNames) {
    if (n.figure == f) return n.name;
  }
  return "unknown";
}

std::optional<Figure> FigureFromString(std::string_view s) {
  for (const auto& n : kFigureNames) {
    if (n.name == s) return n.figure;
  }
  return std::nullopt;
}

std::vector<std::string> FigureNames() {
  std::vector<std::string> out;
  for (const auto& n : kFigureNames) out.emplace_back(n.name);
  return out;
}

std::string_view ToString(ActionKind k) {
  switch (k) {
    case ActionKind::kOfferCallback: return "offer_callback";
    case ActionKind::kOpenOverflow: return "open_overflow";
    case ActionKind::kHighLoadAnnouncement: return "high_load_announcement";
    case ActionKind::kPageSupervisors: return "page_supervisors";
  }
  return "unknown";
}

std::string Describe(const CorrectiveAction& a) {
  std::string out(ToString(a.kind));
  if (a.kind == ActionKind::kOpenOverflow) {
    out += " " + a.from_queue + " -> " + (a.to_queue.empty() ? "centre " + a.to_centre : a.to_queue);
  } else if (a.kind == ActionKind::kHighLoadAnnouncement) {
    out += " " + a.prompt;
  }
  return out;
}

Status ValidateRule(const CorrectiveRule& rule) {
  if (rule.name.empty()) return Status::InvalidArgument("corrective action needs a name", "name");
  const std::string figure(ToString(rule.when.figure));
  for (double v : {rule.when.threshold, rule.recover.threshold}) {
    if (!std::isfinite(v) || v < 0) {
      return Invalid(rule, figure + " thresholds must be numbers of 0 or more", "threshold");
    }
    if (IsFraction(rule.when.figure) && v > 1) {
      return Invalid(rule, figure + " is a share from 0 to 1 (0.8 = 80 %), got " + std::to_string(v),
                     "threshold");
    }
  }
  const bool healthy_side = rule.when.above ? rule.recover.threshold <= rule.when.threshold
                                            : rule.recover.threshold >= rule.when.threshold;
  if (!healthy_side) {
    return Invalid(rule,
                   std::string("recover.threshold must be ") +
                       (rule.when.above ? "at or below" : "at or above") +
                       " the trigger's threshold (the healthy side), or the action would never end",
                   "recover.threshold");
  }
  if (rule.when.hold < Duration::zero() || rule.recover.hold < Duration::zero()) {
    return Invalid(rule, "for_seconds must not be negative", "for_seconds");
  }
  if (rule.actions.empty()) return Invalid(rule, "needs at least one action", "actions");
  for (const CorrectiveAction& a : rule.actions) GOSLINE_RETURN_IF_ERROR(ValidateAction(rule, a));
  return Status::Ok();
}

}  // namespace gosline::corrective
