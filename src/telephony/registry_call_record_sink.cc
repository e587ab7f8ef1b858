#include "telephony/registry_call_record_sink.h"

namespace gosline::telephony {

CallRecordRow RegistryCallRecordSink::ToRow(const CallRecord& r) {
  CallRecordRow row;
  row.call_id = r.call_id;
  row.from = r.from;
  row.caller_e164 = r.caller_e164;
  row.dialled = r.dialled;
  row.region = r.region_code;
  row.started = r.started;
  row.answered = r.answered;
  row.ended = r.ended;
  row.end_reason = CallEndReasonName(r.end_reason);
  row.sip_status = r.sip_status;
  row.language = r.language;
  row.ivr_path = r.ivr_path;
  row.topic = r.topic;
  row.queue = r.queue;
  row.case_number = r.case_number;
  row.digits = r.digits;
  row.prompts = r.prompts;
  row.ivr_end = r.ivr_end;
  return row;
}

}  // namespace gosline::telephony
