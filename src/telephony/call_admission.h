// Abuse protection where calls enter (R25): the adapter between the SIP
// endpoint and core/security's AbuseLimiter. Asked once per new INVITE,
// before anything is answered; it reads the clock, serialises the limiter,
// turns its decision into a SIP refusal and keeps counters (logged).
//
//   rate limit (per source address, per number, per prefix),
//   calls at once from one source address    -> 486 Busy Here (try later)
//   block list, short-call flood, one number
//   from many sources                        -> 603 Decline (or block_status)
//
// There is no limit for the line as a whole: a flood from one number never
// keeps another number out. Calls without a usable caller number are limited
// by the address they come from only (core/security/abuse_limiter.h).
//
// Threads: Check on the SIP thread, OnCallEnded from the media thread,
// SetLists and counters from any; mu_ guards the limiter and the counters.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/security_config.h"
#include "core/common/clock.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"
#include "core/security/abuse_limiter.h"
#include "telephony/sip_endpoint.h"

namespace gosline::telephony {

class CallAdmission {
 public:
  struct Counters {
    uint64_t admitted = 0;
    uint64_t busy = 0;        // rate limits and per-source caps
    uint64_t declined = 0;    // block list and floods
    uint64_t block_listed = 0;
    uint64_t floods = 0;      // short calls or many sources
  };

  // InvalidArgument when a list entry is malformed (the config loader
  // already reports those with their line). `clock` must outlive this.
  static Result<std::unique_ptr<CallAdmission>> Create(const AbuseSettings& settings,
                                                       const Clock& clock);

  // nullopt: admit the call. Otherwise the answer that refuses it.
  // `caller`: the From user as presented; `source`: where the INVITE came
  // from (peer address or trunk).
  std::optional<SipAnswer> Check(const std::string& caller, const std::string& source);
  // An admitted call from `source` holds a slot until CallFinished (the
  // per-source cap on calls at once); called in pairs by the telephony server.
  void CallStarted(const std::string& source);
  void CallFinished(const std::string& source);
  // Feeds short-call flood detection; `talk_time` zero for unanswered calls.
  void OnCallEnded(const std::string& caller, Duration talk_time);
  // New block/allow lists (configuration reload); counters and buckets stay.
  Status SetLists(const std::vector<std::string>& block, const std::vector<std::string>& allow);

  Counters counters() const;

 private:
  CallAdmission(const AbuseSettings& settings, security::NumberList block,
                security::NumberList allow, const Clock& clock);

  const int block_status_;
  const Clock& clock_;
  mutable Mutex mu_;
  security::AbuseLimiter limiter_ GOSLINE_GUARDED_BY(mu_);
  Counters counters_ GOSLINE_GUARDED_BY(mu_);
  uint64_t attempts_since_sweep_ GOSLINE_GUARDED_BY(mu_) = 0;
};

// Core policy from the configuration's plain numbers.
security::AbusePolicy ToAbusePolicy(const AbuseSettings& settings);

}  // namespace gosline::telephony
