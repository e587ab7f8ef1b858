// Where finished call records go. The serve command connects this to the
// registry (SQLite table owned by storage); tests use the JSON-lines file sink.
// Write is called from the SIP thread once per call, after the call ended; an
// implementation must not block for long (buffer or hand off if it can).
#pragma once

#include "core/common/status.h"
#include "telephony/call_record.h"

namespace gosline::telephony {

class CallRecordSink {
 public:
  virtual ~CallRecordSink() = default;
  virtual Status Write(const CallRecord& record) = 0;
};

}  // namespace gosline::telephony
