// A CallRecordSink that appends one JSON object per line to a file. Used by
// the test server and handy for audits without a database.
// Threads: Write from any thread; mu_ keeps each line whole.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "telephony/call_record_sink.h"

namespace gosline::telephony {

class JsonLinesCallRecordSink : public CallRecordSink {
 public:
  static Result<std::unique_ptr<JsonLinesCallRecordSink>> Open(const std::string& path);
  ~JsonLinesCallRecordSink() override;

  Status Write(const CallRecord& record) override;

  // One record as the JSON object written on its line.
  static std::string ToJson(const CallRecord& record);

 private:
  explicit JsonLinesCallRecordSink(std::FILE* file) : file_(file) {}
  Mutex mu_;
  std::FILE* const file_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline::telephony
