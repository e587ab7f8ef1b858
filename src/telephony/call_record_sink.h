// Where finished call records go. The serve command connects this to the
// registry (SQLite table owned by storage); tests use the JSON-lines file sink.
// Write is called once per call, after the call ended: from the SIP thread for
// calls never answered, from the media thread for answered ones (after their
// IVR summary is added). It must not block (buffer or hand off to a writer).
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
