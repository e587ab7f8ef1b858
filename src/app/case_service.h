// The application service for cases: loads from the store, applies the
// core workflow with the current time, writes back with optimistic
// concurrency (retrying a few times on a conflicting concurrent write).
// Every adapter (HTTP, CLI, later SIP/IVR) goes through here.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.h"
#include "core/cases/case_query.h"
#include "core/cases/case_workflow.h"
#include "storage/case_store.h"

namespace gosline {

class CaseService {
 public:
  CaseService(CaseStore& store, const CaseWorkflow& workflow, const Clock& clock);

  Result<Case> Open(const CaseDraft& draft, const Actor& actor);
  Result<Case> Get(const std::string& number);
  // expected_version: when set, a stale version gives kConflict instead of a retry.
  Result<Case> Update(const std::string& number, const CasePatch& patch, const Actor& actor,
                      std::optional<int64_t> expected_version = std::nullopt);
  Result<Case> Transition(const std::string& number, CaseStatus to, const std::string& reason,
                          const Actor& actor, std::optional<int64_t> expected_version = std::nullopt);
  Result<Case> AddNote(const std::string& number, const std::string& text, const Actor& actor);
  Result<Case> Link(const std::string& number, const CaseLink& link, const Actor& actor);
  // A call of the case was assigned to an operator: they handle it from now on (R20).
  Result<Case> RecordAssigned(const std::string& number, const Actor& operator_actor,
                              const std::string& call_ref);
  Result<std::vector<Case>> FindByPhone(const std::string& phone, int limit);
  Result<CasePage> Search(const CaseQuery& q);

  // Told of every case this service opened or changed, after the write,
  // with the status it had before (nullopt for a new case): the webhooks'
  // outbox (R27). Set before the service is shared between threads; it runs
  // on the writer's thread and must not call back into this service.
  using ChangeObserver = std::function<void(std::optional<CaseStatus> status_before, const Case& after)>;
  void SetChangeObserver(ChangeObserver observer) { observer_ = std::move(observer); }

 private:
  template <typename Mutate>
  Result<Case> Mutate_(const std::string& number, std::optional<int64_t> expected_version,
                       Mutate&& mutate);

  CaseStore& store_;
  const CaseWorkflow& workflow_;
  const Clock& clock_;
  ChangeObserver observer_;
};

}  // namespace gosline
