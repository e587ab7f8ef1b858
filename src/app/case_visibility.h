// R20: which cases a member of staff sees, and whether with the full phone
// number. Plain rules over who asks (principal and role, as the sign-in
// established them) and the case itself; the HTTP routes apply them.
//
//   role                     cases listed / readable                   phone
//   operator                 handled by them (they opened it, it was   full on the cases they
//                            assigned to them or they answered its     handle, masked otherwise
//                            call: core/cases/case_handlers.h) or
//                            whose topic one of their queues serves
//   supervisor               all                                       full
//   compliance_controller    all (read-only routes)                    masked
//   integration (API key)    all, within its scopes                    full
//   administrator, security  no case routes (http/access_policy.h)     -
//   no principal             all (OpenAuthorizer: tests, no sign-in)   full
//
// Masked: "+7 916 ***-**-67" -- enough to tell cases apart on the phone with
// the citizen, not enough to dial.
//
// Threads: any (HTTP threads ask; the configuration editor Updates). mu_
// guards the pointer only: readers copy it and check without the lock.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/cases/case.h"
#include "core/cases/case_query.h"
#include "core/cases/phone_mask.h"
#include "core/common/thread_annotations.h"
#include "core/routing/routing_config.h"

namespace gosline {

// Who asks to see cases.
struct CaseViewer {
  std::string principal;  // "user:ivanova", "apikey:ab12..."; "" = nobody signed in
  std::string role;       // "operator", "supervisor", ..., "integration"; "" = none
};

class CaseVisibility {
 public:
  // operator id -> topics their queues serve (routing skills). Staff log in
  // with their operator id, so principal "user:<id>" is operator <id>.
  using OperatorTopics = std::map<std::string, std::set<std::string>>;

  CaseVisibility() : topics_(std::make_shared<const OperatorTopics>()) {}
  explicit CaseVisibility(OperatorTopics topics)
      : topics_(std::make_shared<const OperatorTopics>(std::move(topics))) {}
  CaseVisibility(const CaseVisibility& other) : topics_(other.Topics()) {}
  CaseVisibility& operator=(const CaseVisibility&) = delete;

  // Each operator's queues' topics: the topics of their routing skills.
  static CaseVisibility FromRouting(const routing::RoutingConfig& routing);
  // An administrator edited the skills: the next request sees them.
  void Update(const routing::RoutingConfig& routing);

  // Thread-safe, also while Update runs: each call sees one set of skills.
  bool MayView(const CaseViewer& viewer, const Case& c) const;
  bool SeesFullPhone(const CaseViewer& viewer, const Case& c) const;
  // The same rule as MayView, for the store to apply in a search (so pages
  // and cursors only cover visible cases); nullopt: the viewer sees all.
  std::optional<CaseScope> ScopeFor(const CaseViewer& viewer) const;

 private:
  std::shared_ptr<const OperatorTopics> Topics() const;

  mutable Mutex mu_;  // held only to copy or swap the pointer
  std::shared_ptr<const OperatorTopics> topics_ GOSLINE_GUARDED_BY(mu_);
};

// The operator id of a signed-in operator ("user:ivanova" -> "ivanova"), else "".
std::string OperatorIdOf(const CaseViewer& viewer);
// The principal operator `id` signs in as ("ivanova" -> "user:ivanova").
std::string OperatorPrincipal(std::string_view operator_id);

}  // namespace gosline
