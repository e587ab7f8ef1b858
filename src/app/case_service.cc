#include "app/case_service.h"

#include "core/cases/case_number.h"
#include "core/cases/phone.h"

namespace gosline {
namespace {

// A write that lost a race reloads and re-applies its change this many more
// times before giving up with kConflict.
constexpr int kMaxConflictRetries = 3;

// Numbers as people type them ("000 000 421-7") become canonical; anything
// that is not a valid number (e.g. a legacy number kept by import) is looked
// up as given.
std::string CanonicalNumber(const std::string& number) {
  if (auto n = CaseNumber::Normalize(number)) return *n;
  return number;
}

}  // namespace

CaseService::CaseService(CaseStore& store, const CaseWorkflow& workflow, const Clock& clock)
    : store_(store), workflow_(workflow), clock_(clock) {}

Result<Case> CaseService::Open(const CaseDraft& draft, const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(Case opened, workflow_.Open(draft, actor, clock_.Now()));
  Result<Case> created = store_.Create(opened);
  if (created.ok() && observer_) observer_(std::nullopt, *created);
  return created;
}

Result<Case> CaseService::Get(const std::string& number) {
  return store_.GetByNumber(CanonicalNumber(number));
}

template <typename Mutate>
Result<Case> CaseService::Mutate_(const std::string& number,
                                  std::optional<int64_t> expected_version, Mutate&& mutate) {
  const std::string canonical = CanonicalNumber(number);
  for (int attempt = 0; attempt <= kMaxConflictRetries; ++attempt) {
    GOSLINE_ASSIGN_OR_RETURN(Case c, store_.GetByNumber(canonical));
    const int64_t loaded_version = c.version;
    if (expected_version && *expected_version != loaded_version) {
      return Status::Conflict("case " + c.number + " is at version " +
                              std::to_string(loaded_version) + ", not " +
                              std::to_string(*expected_version) + "; reload and retry");
    }
    const size_t history_before = c.history.size();
    const CaseStatus status_before = c.status;
    GOSLINE_RETURN_IF_ERROR(mutate(c, clock_.Now()));
    // Every real change appends history; without one there is nothing to write.
    if (c.history.size() == history_before) return c;

    Status st = store_.Update(c, loaded_version);
    if (st.ok()) {
      if (observer_) observer_(status_before, c);
      return c;
    }
    // The caller pinned a version: a concurrent write is theirs to resolve.
    if (st.code() != Status::Code::kConflict || expected_version) return st;
  }
  return Status::Conflict("case " + canonical + " kept changing concurrently; try again");
}

Result<Case> CaseService::Update(const std::string& number, const CasePatch& patch,
                                 const Actor& actor, std::optional<int64_t> expected_version) {
  return Mutate_(number, expected_version, [&](Case& c, Time now) {
    return workflow_.Update(c, patch, actor, now);
  });
}

Result<Case> CaseService::Transition(const std::string& number, CaseStatus to,
                                     const std::string& reason, const Actor& actor,
                                     std::optional<int64_t> expected_version) {
  return Mutate_(number, expected_version, [&](Case& c, Time now) {
    return workflow_.Transition(c, to, reason, actor, now);
  });
}

Result<Case> CaseService::AddNote(const std::string& number, const std::string& text,
                                  const Actor& actor) {
  return Mutate_(number, std::nullopt, [&](Case& c, Time now) {
    return workflow_.AddNote(c, text, actor, now);
  });
}

Result<Case> CaseService::Link(const std::string& number, const CaseLink& link,
                               const Actor& actor) {
  return Mutate_(number, std::nullopt, [&](Case& c, Time now) {
    return workflow_.Link(c, link, actor, now);
  });
}

Result<Case> CaseService::RecordAssigned(const std::string& number, const Actor& operator_actor,
                                         const std::string& call_ref) {
  return Mutate_(number, std::nullopt, [&](Case& c, Time now) {
    return workflow_.RecordAssigned(c, operator_actor, call_ref, now);
  });
}

Result<std::vector<Case>> CaseService::FindByPhone(const std::string& phone, int limit) {
  const std::optional<std::string> e164 = NormalizePhone(phone);
  if (!e164) return Status::InvalidArgument("not a valid phone number", "phone");
  if (limit < 1 || limit > kMaxPageSize) {
    return Status::InvalidArgument("limit must be 1.." + std::to_string(kMaxPageSize), "limit");
  }
  return store_.FindByPhone(*e164, limit);
}

Result<CasePage> CaseService::Search(const CaseQuery& q) {
  if (q.limit < 1 || q.limit > kMaxPageSize) {
    return Status::InvalidArgument("limit must be 1.." + std::to_string(kMaxPageSize), "limit");
  }
  CaseQuery normalised = q;
  if (q.phone) {
    const std::optional<std::string> e164 = NormalizePhone(*q.phone);
    if (!e164) return Status::InvalidArgument("not a valid phone number", "phone");
    normalised.phone = *e164;
  }
  if (q.created_from && q.created_to && *q.created_from > *q.created_to) {
    return Status::InvalidArgument("created_from is after created_to", "created_from");
  }
  return store_.Search(normalised);
}

}  // namespace gosline
