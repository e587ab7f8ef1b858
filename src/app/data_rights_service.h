// Citizens' data rights (R24): consent per phone and channel, and a
// citizen's request for their data (export), its correction or its deletion.
// Each request is a case (topic "data_request", the channel it came by, a
// link of kind "data_request" naming the request kind) whose confirmation is
// due within 5 business days by the holiday calendar. Compliance controllers
// run the export and the deletion (the HTTP routes enforce the role); every
// call is audited through the callback (ids and counts, never the data).
// Correction is tracked only: an operator corrects the fields on the cases.
// Deletion also deletes every recording of the citizen's calls and cases,
// every leg (app/recording_removal.h), open cases' included: a recording is
// the citizen's voice, not the case's working data.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/recording_removal.h"
#include "core/common/clock.h"
#include "core/calendar/business_calendar.h"
#include "core/cases/case.h"
#include "core/common/status.h"
#include "storage/call_record_store.h"
#include "storage/case_store.h"
#include "storage/citizen_erasure_store.h"
#include "storage/consent_store.h"

namespace gosline {

enum class DataRequestKind { kExport, kCorrection, kDeletion };
std::string_view ToString(DataRequestKind k);  // "export", "correction", "deletion"
std::optional<DataRequestKind> ParseDataRequestKind(std::string_view s);

inline constexpr const char* kDataRequestTopic = "data_request";
inline constexpr int kDataRequestBusinessDays = 5;
inline constexpr size_t kMaxDataRequestDetail = 2000;
inline constexpr size_t kMaxConsentText = 64;  // channel, source

struct DataRequestInput {
  DataRequestKind kind = DataRequestKind::kExport;
  std::string phone;
  Channel channel = Channel::kCall;
  std::string detail;  // what to correct, or the citizen's words
};

struct CitizenExport {
  std::string phone;
  std::vector<Case> cases;  // with history and links
  std::vector<CallRecordRow> calls;
  std::vector<Consent> consents;
};

class DataRightsService {
 public:
  // actor, action ("data_request.export"), object ("case:..."), detail.
  using AuditFn = std::function<void(const std::string& actor, const std::string& action,
                                     const std::string& object, const std::string& detail)>;

  // `calls` may be null (no telephony): exports then hold no call records.
  // `recordings` not enabled: deletion leaves recordings alone (no telephony).
  DataRightsService(CaseStore& cases, ConsentStore& consents, CitizenErasureStore& erasure,
                    CallRecordStore* calls, BusinessCalendar calendar, const Clock& clock,
                    AuditFn audit, RecordingRemoval recordings = {});

  Result<Consent> RecordConsent(Consent consent, const Actor& actor);
  Result<std::vector<Consent>> Consents(const std::string& phone, const Actor& actor);

  // Opens the request's case; due_at = 5 business days from now.
  Result<Case> OpenRequest(const DataRequestInput& input, const Actor& actor);
  // The request's kind (FailedPrecondition for a case that is no data request).
  Result<DataRequestKind> KindOf(const Case& request) const;
  // Everything held about the request's phone; notes the delivery on the case.
  Result<CitizenExport> Export(const std::string& request_number, const Actor& actor);
  // Runs a deletion request and resolves its case. Recording files that
  // cannot be removed are audited and left tracked (a later request or the
  // retention job removes them); the request still resolves.
  Result<CitizenErasure> Delete(const std::string& request_number,
                                                      const Actor& actor);

 private:
  Result<Case> Request(const std::string& number, DataRequestKind expected);
  Status Resolve(Case& request, const std::string& note, const Actor& actor);
  // The recordings not yet deleted of the phone's calls and cases (not the request's).
  Result<std::vector<StoredRecording>> RecordingsOf(const Case& request);

  CaseStore& cases_;
  ConsentStore& consents_;
  CitizenErasureStore& erasure_;
  CallRecordStore* calls_;
  BusinessCalendar calendar_;
  const Clock& clock_;
  AuditFn audit_;
  RecordingRemoval recordings_;
};

}  // namespace gosline
