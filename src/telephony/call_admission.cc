#include "telephony/call_admission.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "core/cases/phone_mask.h"

namespace gosline::telephony {
namespace {

// Forgotten buckets and flood state are swept every so many attempts, and
// the counters logged, so memory stays bounded without a timer thread.
constexpr uint64_t kSweepEvery = 1000;

Result<security::NumberList> MakeList(const std::vector<std::string>& entries,
                                      const char* field) {
  security::NumberList list;
  for (const std::string& e : entries) {
    Status st = list.Add(e);
    if (!st.ok()) {
      return Status::InvalidArgument(std::string(field) + ": " + st.message(), field);
    }
  }
  return list;
}

}  // namespace

security::AbusePolicy ToAbusePolicy(const AbuseSettings& s) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  security::AbusePolicy p;
  p.per_number = {static_cast<uint32_t>(s.per_number_calls),
                  std::chrono::duration_cast<Duration>(seconds(s.per_number_refill_s))};
  p.per_prefix = {static_cast<uint32_t>(s.per_prefix_calls), milliseconds(s.per_prefix_refill_ms)};
  p.prefix_digits = static_cast<size_t>(s.prefix_digits);
  p.flood.short_calls = static_cast<uint32_t>(s.flood_short_calls);
  p.flood.short_call_max = seconds(s.flood_short_call_s);
  p.flood.short_calls_window = seconds(s.flood_window_s);
  p.flood.distinct_sources = static_cast<uint32_t>(s.flood_sources);
  p.flood.sources_window = seconds(s.flood_sources_window_s);
  p.flood.flag_for = seconds(s.flood_flag_s);
  p.per_source = {static_cast<uint32_t>(s.per_source_calls), milliseconds(s.per_source_refill_ms)};
  p.max_calls_per_source = static_cast<uint32_t>(s.per_source_max_calls);
  p.trusted_sources.insert(s.trusted_sources.begin(), s.trusted_sources.end());
  return p;
}

Result<std::unique_ptr<CallAdmission>> CallAdmission::Create(const AbuseSettings& settings,
                                                             const Clock& clock) {
  GOSLINE_ASSIGN_OR_RETURN(security::NumberList block,
      MakeList(settings.block, "security.abuse.block"));
  GOSLINE_ASSIGN_OR_RETURN(security::NumberList allow,
      MakeList(settings.allow, "security.abuse.allow"));
  return std::unique_ptr<CallAdmission>(new CallAdmission(
      settings, std::move(block), std::move(allow), clock));
}

CallAdmission::CallAdmission(const AbuseSettings& settings, security::NumberList block,
                             security::NumberList allow, const Clock& clock)
    : block_status_(settings.block_status),
      clock_(clock),
      limiter_(ToAbusePolicy(settings), std::move(block), std::move(allow)) {}

std::optional<SipAnswer> CallAdmission::Check(const std::string& caller,
                                              const std::string& source) {
  const Time now = clock_.Now();
  security::AbuseDecision d;
  Counters snapshot;
  bool log_counters = false;
  {
    MutexLock lock(mu_);
    d = limiter_.OnCallAttempt(caller, source, now);
    switch (d.action) {
      case security::AbuseAction::kAllow: ++counters_.admitted; break;
      case security::AbuseAction::kBusy: ++counters_.busy; break;
      case security::AbuseAction::kAnnounceThenHangup:
        ++counters_.declined;
        if (d.reason == security::AbuseReason::kBlockListed) {
          ++counters_.block_listed;
        } else {
          ++counters_.floods;
        }
        break;
    }
    if (++attempts_since_sweep_ >= kSweepEvery) {
      attempts_since_sweep_ = 0;
      limiter_.Sweep(now);
      snapshot = counters_;
      log_counters = true;
    }
  }
  if (log_counters) {
    spdlog::info("abuse: admitted {} busy {} declined {} (block list {}, floods {})",
                 snapshot.admitted, snapshot.busy, snapshot.declined, snapshot.block_listed,
                 snapshot.floods);
  }
  if (d.action == security::AbuseAction::kAllow) return std::nullopt;

  const std::string reason = security::AbuseReasonName(d.reason);
  if (d.action == security::AbuseAction::kBusy) {
    spdlog::info("abuse: 486 to {} from {}: {}",
                 d.number.empty() ? "(unidentified)" : MaskPhone(d.number), source, reason);
    return SipAnswer::Reject(486, "Busy Here", CallEndReason::kRefused,
                             "too many calls (" + reason + "), try again later");
  }
  spdlog::warn("abuse: {} to {} from {}: {}", block_status_, MaskPhone(d.number), source, reason);
  const char* phrase = block_status_ == 403 ? "Forbidden"
                       : block_status_ == 486 ? "Busy Here"
                                              : "Decline";
  return SipAnswer::Reject(block_status_, phrase, CallEndReason::kRefused,
                           "call refused (" + reason + ")");
}

void CallAdmission::CallStarted(const std::string& source) {
  MutexLock lock(mu_);
  limiter_.CallStarted(source);
}

void CallAdmission::CallFinished(const std::string& source) {
  MutexLock lock(mu_);
  limiter_.CallFinished(source);
}

void CallAdmission::OnCallEnded(const std::string& caller, Duration talk_time) {
  const Time now = clock_.Now();
  MutexLock lock(mu_);
  limiter_.OnCallEnded(caller, talk_time, now);
}

Status CallAdmission::SetLists(const std::vector<std::string>& block,
                               const std::vector<std::string>& allow) {
  GOSLINE_ASSIGN_OR_RETURN(security::NumberList b, MakeList(block, "security.abuse.block"));
  GOSLINE_ASSIGN_OR_RETURN(security::NumberList a, MakeList(allow, "security.abuse.allow"));
  MutexLock lock(mu_);
  limiter_.SetLists(std::move(b), std::move(a));
  return Status::Ok();
}

CallAdmission::Counters CallAdmission::counters() const {
  MutexLock lock(mu_);
  return counters_;
}

}  // namespace gosline::telephony
