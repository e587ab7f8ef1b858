#include "app/data_rights_service.h"

#include "core/cases/case_query.h"
#include "core/cases/phone.h"

namespace gosline {
namespace {

Status CheckText(const std::string& value, size_t max, const char* field, bool required) {
  if (required && value.empty()) return Status::InvalidArgument(std::string(field) + " is required", field);
  if (value.size() > max) {
    return Status::InvalidArgument(std::string(field) + " is longer than " + std::to_string(max) +
                                       " bytes",
                                   field);
  }
  return Status::Ok();
}

Result<std::string> CheckPhone(const std::string& phone) {
  if (phone.size() > 64) return Status::InvalidArgument("not a phone number", "phone");
  std::optional<std::string> e164 = NormalizePhone(phone);
  if (!e164) return Status::InvalidArgument("not a phone number", "phone");
  return *e164;
}

}  // namespace

std::string_view ToString(DataRequestKind k) {
  switch (k) {
    case DataRequestKind::kExport: return "export";
    case DataRequestKind::kCorrection: return "correction";
    case DataRequestKind::kDeletion: return "deletion";
  }
  return "export";
}

std::optional<DataRequestKind> ParseDataRequestKind(std::string_view s) {
  if (s == "export") return DataRequestKind::kExport;
  if (s == "correction") return DataRequestKind::kCorrection;
  if (s == "deletion") return DataRequestKind::kDeletion;
  return std::nullopt;
}

DataRightsService::DataRightsService(CaseStore& cases, ConsentStore& consents,
                                     CitizenErasureStore& erasure, CallRecordStore* calls,
                                     BusinessCalendar calendar, const Clock& clock, AuditFn audit,
                                     RecordingRemoval recordings)
    : cases_(cases),
      consents_(consents),
      erasure_(erasure),
      calls_(calls),
      calendar_(std::move(calendar)),
      clock_(clock),
      audit_(std::move(audit)),
      recordings_(std::move(recordings)) {}

Result<Consent> DataRightsService::RecordConsent(Consent consent, const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(std::string e164, CheckPhone(consent.phone));
  GOSLINE_RETURN_IF_ERROR(CheckText(consent.channel, kMaxConsentText, "channel", true));
  GOSLINE_RETURN_IF_ERROR(CheckText(consent.source, kMaxConsentText, "source", true));
  consent.phone = e164;
  consent.actor = actor.id;
  consent.recorded_at = clock_.Now();
  Result<Consent> stored = consents_.Record(std::move(consent));
  if (!stored.ok()) return stored.status();
  audit_(actor.id, "consent.record", "consent:" + std::to_string(stored->id),
         std::string("channel ") + stored->channel + (stored->granted ? " granted" : " withdrawn") +
             ", source " + stored->source);
  return stored;
}

Result<std::vector<Consent>> DataRightsService::Consents(const std::string& phone,
                                                         const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(std::string e164, CheckPhone(phone));
  Result<std::vector<Consent>> out = consents_.ForPhone(e164);
  if (!out.ok()) return out.status();
  audit_(actor.id, "consent.read", "citizen", std::to_string(out->size()) + " consents read");
  return out;
}

Result<Case> DataRightsService::OpenRequest(const DataRequestInput& input, const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(std::string e164, CheckPhone(input.phone));
  GOSLINE_RETURN_IF_ERROR(CheckText(input.detail, kMaxDataRequestDetail, "detail",
                                    input.kind == DataRequestKind::kCorrection));
  const Time now = clock_.Now();
  Case c;
  c.phone = e164;
  c.channel = input.channel;
  c.topic = kDataRequestTopic;
  c.priority = Priority::kHigh;
  c.status = CaseStatus::kNew;
  c.summary = std::string("data request (") + std::string(ToString(input.kind)) + ")" +
              (input.detail.empty() ? "" : ": " + input.detail);
  c.created_at = now;
  c.updated_at = now;
  c.due_at = calendar_.AddBusinessDays(now, kDataRequestBusinessDays);
  c.history.push_back({0, now, actor.id, "created", "data request: " + std::string(ToString(input.kind))});
  c.links.push_back({"data_request", std::string(ToString(input.kind)), now});
  Result<Case> created = cases_.Create(c);
  if (!created.ok()) return created.status();
  audit_(actor.id, "data_request.open", "case:" + created->number,
         std::string(ToString(input.kind)) + ", due " + FormatIso8601(*created->due_at));
  return created;
}

Result<DataRequestKind> DataRightsService::KindOf(const Case& request) const {
  if (request.topic == kDataRequestTopic) {
    for (const CaseLink& l : request.links) {
      if (l.kind != "data_request") continue;
      if (std::optional<DataRequestKind> k = ParseDataRequestKind(l.ref)) return *k;
    }
  }
  return Status::FailedPrecondition("case " + request.number + " is not a data request");
}

Result<Case> DataRightsService::Request(const std::string& number, DataRequestKind expected) {
  Result<Case> c = cases_.GetByNumber(number);
  if (!c.ok()) return c.status();
  GOSLINE_ASSIGN_OR_RETURN(DataRequestKind kind, KindOf(*c));
  if (kind != expected) {
    return Status::FailedPrecondition("case " + number + " is a " + std::string(ToString(kind)) +
                                      " request, not " + std::string(ToString(expected)));
  }
  if (c->phone.empty()) return Status::FailedPrecondition("case " + number + " holds no phone any more");
  return c;
}

Status DataRightsService::Resolve(Case& request, const std::string& note, const Actor& actor) {
  const Time now = clock_.Now();
  request.history.push_back({0, now, actor.id, "note", note});
  if (IsOpen(request.status)) {
    request.history.push_back({0, now, actor.id, "transition",
                               std::string(ToString(request.status)) + " -> resolved: confirmed"});
    request.status = CaseStatus::kResolved;
  }
  request.updated_at = now;
  return cases_.Update(request, request.version);
}

Result<CitizenExport> DataRightsService::Export(const std::string& request_number,
                                                const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(Case request, Request(request_number, DataRequestKind::kExport));
  CitizenExport out;
  out.phone = request.phone;
  GOSLINE_ASSIGN_OR_RETURN(std::vector<Case> found, cases_.FindByPhone(out.phone, kMaxPageSize));
  for (const Case& summary : found) {
    GOSLINE_ASSIGN_OR_RETURN(Case full, cases_.GetByNumber(summary.number));
    out.cases.push_back(std::move(full));
  }
  if (calls_ != nullptr) {
    Result<std::vector<CallRecordRow>> calls = calls_->FindByCaller(out.phone, 10'000);
    if (!calls.ok()) return calls.status();
    out.calls = std::move(*calls);
  }
  GOSLINE_ASSIGN_OR_RETURN(std::vector<Consent> consents, consents_.ForPhone(out.phone));
  out.consents = std::move(consents);
  const std::string counts = std::to_string(out.cases.size()) + " cases, " +
                             std::to_string(out.calls.size()) + " call records, " +
                             std::to_string(out.consents.size()) + " consents";
  GOSLINE_RETURN_IF_ERROR(Resolve(request, "export delivered: " + counts, actor));
  audit_(actor.id, "data_request.export", "case:" + request_number, counts);
  return out;
}

Result<std::vector<StoredRecording>> DataRightsService::RecordingsOf(const Case& request) {
  std::vector<std::string> call_ids;
  if (calls_ != nullptr) {
    GOSLINE_ASSIGN_OR_RETURN(std::vector<CallRecordRow> calls,
                             calls_->FindByCaller(request.phone, 10'000));
    for (const CallRecordRow& c : calls) call_ids.push_back(c.call_id);
  }
  std::vector<std::string> numbers;
  GOSLINE_ASSIGN_OR_RETURN(std::vector<Case> found, cases_.FindByPhone(request.phone, kMaxPageSize));
  for (const Case& c : found) {
    if (c.number != request.number) numbers.push_back(c.number);
  }
  return recordings_.store->LiveOf(call_ids, numbers);
}

Result<CitizenErasure> DataRightsService::Delete(
    const std::string& request_number, const Actor& actor) {
  GOSLINE_ASSIGN_OR_RETURN(Case request, Request(request_number, DataRequestKind::kDeletion));
  // Found before the erasure: it deletes the call records that name the calls.
  std::vector<StoredRecording> recordings;
  if (recordings_.enabled()) {
    GOSLINE_ASSIGN_OR_RETURN(recordings, RecordingsOf(request));
  }
  Result<CitizenErasure> erased =
      erasure_.EraseCitizen(request.phone, request.id);
  if (!erased.ok()) return erased.status();
  RemovedRecordings removed;
  if (!recordings.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(removed, RemoveRecordings(recordings_, recordings, clock_.Now()));
    if (!removed.deleted.empty()) {
      audit_(actor.id, "data_request.recordings_deleted", "case:" + request_number,
             DescribeRefs("recordings deleted", removed.deleted));
    }
    if (!removed.failed.empty()) {
      audit_(actor.id, "data_request.recordings_failed", "case:" + request_number,
             DescribeRefs("recordings that could not be removed", removed.failed));
    }
  }
  std::string detail = std::to_string(erased->cases_erased.size()) + " cases erased, " +
                       std::to_string(erased->cases_kept.size()) + " open cases kept, " +
                       std::to_string(erased->call_records_deleted) + " call records, " +
                       std::to_string(erased->consents_deleted) + " consents and " +
                       std::to_string(removed.deleted.size()) + " recordings deleted" +
                       (removed.failed.empty() ? std::string()
                                               : ", " + std::to_string(removed.failed.size()) +
                                                     " recordings could not be removed");
  // Resolve reloads nothing: the request case itself was kept by EraseCitizen.
  GOSLINE_RETURN_IF_ERROR(Resolve(request, "deletion done: " + detail, actor));
  std::string ids;
  for (const std::string& n : erased->cases_erased) ids += " " + n;
  audit_(actor.id, "data_request.deletion", "case:" + request_number,
         detail + (ids.empty() ? "" : "; erased:" + ids));
  return erased;
}

}  // namespace gosline
