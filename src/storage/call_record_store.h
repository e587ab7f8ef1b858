// Call records in the registry (R14, R16): one row per call attempt, written
// by telephony when the call ends and read back for citizens' exports (R24)
// and tools. One interface for every engine (storage/sqlite today).
//
// Thread-safety: every method may be called from any thread at the same
// time. Append never waits for the disk (calls end on the SIP and media
// threads): it queues the row, and the row is durable once Flush returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

// One call attempt as stored. Strings the IVR fills stay empty for calls
// that never reached it (404, 488, CANCEL before the answer).
struct CallRecordRow {
  std::string call_id;                      // SIP Call-ID
  std::string from;                         // caller's number as presented
  std::optional<std::string> caller_e164;   // normalised, when it is a phone number
  std::string dialled;                      // "115"
  std::optional<std::string> region;        // federal subject code (R10)
  Time started{};
  std::optional<Time> answered;
  Time ended{};
  std::string end_reason;                   // "caller_hangup", "not_found", ...
  int sip_status = 0;                       // final response to the INVITE
  std::string language;                     // IVR language at the end
  std::string ivr_path;                     // node ids visited, space-separated
  std::string topic;                        // topic reached
  std::string queue;                        // queue entered
  std::string case_number;                  // case asked about by phone (R16)
  std::string digits;                       // keys received, in order
  std::string prompts;                      // prompt keys played, space-separated
  std::string ivr_end;                      // how the IVR ended ("queued", ...)
};

class CallRecordStore {
 public:
  struct Stats {
    uint64_t written = 0;  // committed rows
    uint64_t failed = 0;   // rows lost to a write error
    uint64_t batches = 0;  // transactions
  };

  virtual ~CallRecordStore() = default;

  // Never waits for the disk. ResourceExhausted when too many rows are
  // waiting (the disk is stuck), FailedPrecondition after Close.
  virtual Status Append(CallRecordRow row) = 0;
  // Waits until every row appended before the call is durable. Returns the
  // first write error since the previous Flush (those rows are lost).
  virtual Status Flush() = 0;
  // Flushes and refuses further rows. Idempotent; reads still work.
  virtual Status Close() = 0;

  // Reads, oldest first.
  virtual Result<std::vector<CallRecordRow>> FindByCallId(const std::string& call_id) = 0;
  virtual Result<std::vector<CallRecordRow>> Recent(int limit) = 0;
  // Calls from one number (any form NormalizePhone accepts).
  virtual Result<std::vector<CallRecordRow>> FindByCaller(const std::string& phone, int limit) = 0;

  virtual Stats stats() = 0;
};

}  // namespace gosline
