// The contact centre's part of a call record (R13, R14, R30): the case the
// call was filed under, the operator, wait/talk/wrap-up times, the outcome
// and the recording, kept with the record telephony wrote for the same SIP
// Call-ID (call_record_store.h). One interface for every engine.
//
// Telephony writes its record when the call ends, the centre writes when the
// call ends and again when wrap-up ends or the recording is saved, so either
// may come first: Apply reports whether a record was there to update, and
// the centre retries later; InsertPlaceholder keeps the outcome when
// telephony's record never comes.
//
// Thread-safety: every method may be called from any thread; calls are
// serialised. Writes are synchronous (the centre calls from its worker
// thread, never from telephony's).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct CallOutcome {
  std::string call_id;       // SIP Call-ID: the call record it belongs to
  std::string linked_case;   // the case number the call was filed under (R14)
  std::string queue;
  std::string operator_id;   // the last operator who answered ("" = none)
  std::optional<Duration> wait;
  std::optional<Duration> talk;
  std::optional<Duration> wrap_up;
  std::string outcome;       // answered | abandoned | callback | no_operator
  std::string recording_path;
};

// What a placeholder record needs beyond the outcome (telephony's fields).
struct CallOutcomeCallInfo {
  std::string from;
  std::string dialled;
  std::string region;
  std::string language;
  std::string topic;
  std::string ivr_path;
  Time started{};
  Time ended{};
};

class CallOutcomeStore {
 public:
  virtual ~CallOutcomeStore() = default;

  // Sets the outcome on the latest record of `o.call_id`; false when there is none yet.
  virtual Result<bool> Apply(const CallOutcome& o) = 0;
  // Writes a record of its own (telephony never wrote one).
  virtual Status InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) = 0;
  // The outcome on the latest record of `call_id`, nullopt when there is none.
  virtual Result<std::optional<CallOutcome>> Find(const std::string& call_id) = 0;
  // Every outcome filed under a case, oldest first.
  virtual Result<std::vector<CallOutcome>> FindByCase(const std::string& case_number) = 0;
};

}  // namespace gosline
