#include "telephony/jsonl_call_record_sink.h"

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

namespace gosline::telephony {

Result<std::unique_ptr<JsonLinesCallRecordSink>> JsonLinesCallRecordSink::Open(
    const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) {
    return Status::IoError("cannot open call record file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<JsonLinesCallRecordSink>(new JsonLinesCallRecordSink(f));
}

JsonLinesCallRecordSink::~JsonLinesCallRecordSink() { std::fclose(file_); }

std::string JsonLinesCallRecordSink::ToJson(const CallRecord& r) {
  nlohmann::json j = {
      {"call_id", r.call_id},
      {"from", r.from},
      {"dialled", r.dialled},
      {"region_code", r.region_code ? nlohmann::json(*r.region_code) : nlohmann::json()},
      {"started", FormatIso8601(r.started)},
      {"answered", r.answered ? nlohmann::json(FormatIso8601(*r.answered)) : nlohmann::json()},
      {"ended", FormatIso8601(r.ended)},
      {"end_reason", CallEndReasonName(r.end_reason)},
      {"sip_status", r.sip_status},
      {"caller_e164", r.caller_e164 ? nlohmann::json(*r.caller_e164) : nlohmann::json()},
      {"language", r.language},
      {"ivr_path", r.ivr_path},
      {"topic", r.topic},
      {"queue", r.queue},
      {"case_number", r.case_number},
      {"ivr_end", r.ivr_end},
      {"digits", r.digits},
      {"prompts", r.prompts},
      {"rtp_dropped", r.rtp_dropped},
      {"intent", r.intent},
      {"intent_by", r.intent_by},
      {"speech_text", r.speech_text},
      {"speech_confidence",
       r.speech_confidence ? nlohmann::json(*r.speech_confidence) : nlohmann::json()},
      {"speech_reprompts", r.speech_reprompts},
      {"key_fallbacks", r.key_fallbacks},
  };
  // Caller-supplied strings may hold invalid UTF-8; replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status JsonLinesCallRecordSink::Write(const CallRecord& record) {
  std::string line = ToJson(record);
  line += '\n';
  MutexLock lock(mu_);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    return Status::IoError(std::string("cannot write call record: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace gosline::telephony
