// Call records into the registry (R14, R16): the telephony adapter's
// CallRecordSink over SqliteCallRecordStore, which queues and commits in
// batches, so Write never waits for the disk.
#pragma once

#include "storage/sqlite/sqlite_call_record_store.h"
#include "telephony/call_record_sink.h"

namespace gosline::telephony {

class RegistryCallRecordSink : public CallRecordSink {
 public:
  explicit RegistryCallRecordSink(SqliteCallRecordStore& store) : store_(store) {}
  Status Write(const CallRecord& record) override { return store_.Append(ToRow(record)); }

  static CallRecordRow ToRow(const CallRecord& record);

 private:
  SqliteCallRecordStore& store_;
};

}  // namespace gosline::telephony
