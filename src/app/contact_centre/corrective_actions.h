// The contact centre's side of the corrective actions (R13): feeds the pure
// engine (core/corrective) with the queues' live figures and answers what the
// active rules change in the running line:
//  - open_overflow: an extra overflow rule "offer at once to X" for the
//    from_queue, added to the routing configuration while active (the router
//    is reconfigured on each change, so closing it takes waiting calls back);
//  - high_load_announcement, offer_callback: prompts a caller entering the
//    rule's queue (every queue for a rule without one) hears before their
//    position. The callback key itself works at all times; the offer makes
//    it known while the line is overloaded;
//  - page_supervisors: nothing here; the centre's listeners (audit log,
//    wallboard, log) receive every transition.
// Not thread-safe: the centre holds it under its lock.
#pragma once

#include <string>
#include <vector>

#include "app/contact_centre/centre_snapshot.h"
#include "core/common/status.h"
#include "core/corrective/corrective_engine.h"
#include "core/routing/routing_config.h"

namespace gosline::contact_centre {

// The prompt telephony words "to be called back, press <callback key>".
inline constexpr const char* kCallbackOfferPrompt = "gosline.queue.callback_offer";

// Each queue's figures as the rules read them: an estimated wait that is
// unknown because nobody could take a call counts as unbounded while calls wait.
std::vector<corrective::QueueReading> ReadingsOf(const std::vector<QueueView>& queues);

class CorrectiveActions {
 public:
  static Result<CorrectiveActions> Create(std::vector<corrective::CorrectiveRule> rules);
  CorrectiveActions() = default;

  bool empty() const { return engine_.rules().empty(); }
  std::vector<corrective::Transition> Evaluate(const std::vector<QueueView>& queues, Time now);
  Result<std::vector<corrective::Transition>> Reconfigure(
      std::vector<corrective::CorrectiveRule> rules, Time now);

  // `base` with the overflow routes of the active rules added.
  routing::RoutingConfig WithOpenOverflows(const routing::RoutingConfig& base) const;
  // What a caller entering `queue` now hears first (prompt ids), each once.
  std::vector<std::string> EntryPrompts(const std::string& queue) const;
  std::vector<CorrectiveView> Views() const;

 private:
  explicit CorrectiveActions(corrective::CorrectiveEngine engine) : engine_(std::move(engine)) {}
  corrective::CorrectiveEngine engine_;
};

// True when one of `transitions` opens or closes an overflow route.
bool ChangesRouting(const std::vector<corrective::Transition>& transitions);
// "queue_length of federal-taxes 12 > 5 since 2026-...": for the audit log and the log.
std::string DescribeReason(const corrective::Transition& t);

}  // namespace gosline::contact_centre
