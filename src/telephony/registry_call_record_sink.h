// Call records into the registry (R14, R16): the telephony adapter's
// CallRecordSink over a CallRecordStore, whose Append never waits for the
// disk (storage/call_record_store.h).
#pragma once

#include "storage/call_record_store.h"
#include "telephony/call_record_sink.h"

namespace gosline::telephony {

class RegistryCallRecordSink : public CallRecordSink {
 public:
  explicit RegistryCallRecordSink(CallRecordStore& store) : store_(store) {}
  Status Write(const CallRecord& record) override { return store_.Append(ToRow(record)); }

  static CallRecordRow ToRow(const CallRecord& record);

 private:
  CallRecordStore& store_;
};

}  // namespace gosline::telephony
