// R24 on a real SQLite file and a manual clock: consents, and data requests
// tracked as cases due in 5 business days, export and deletion.
#include "app/data_rights_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_recording_store.h"

namespace gosline {
namespace {
namespace fs = std::filesystem;
using std::chrono::days;
using std::chrono::hours;

// Friday 2026-05-08 10:00 UTC; Monday 2026-05-11 is a holiday in this test.
const Time kFriday = *ParseIso8601("2026-05-08T10:00:00Z");

BusinessCalendar Calendar() {
  WeeklyHours h;
  for (int d = 0; d < 5; ++d) h.days[static_cast<size_t>(d)] = {9 * 60, 18 * 60};
  std::set<std::chrono::sys_days> holidays{std::chrono::sys_days(std::chrono::year(2026) /
                                                                 std::chrono::May / 11)};
  return BusinessCalendar(h, std::chrono::minutes(0), holidays, {}, {});
}

class DataRightsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-rights-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    const std::string db = (dir_ / "cases.db").string();
    auto cases = SqliteCaseStore::Open(db, {.synchronous = SqliteSync::kNormal});
    ASSERT_TRUE(cases.ok());
    cases_ = std::move(*cases);
    auto calls = SqliteCallRecordStore::Open(db, {.synchronous = SqliteSync::kNormal});
    ASSERT_TRUE(calls.ok());
    calls_ = std::move(*calls);
    auto consents = SqliteConsentStore::Open(db);
    ASSERT_TRUE(consents.ok()) << consents.status().ToString();
    consents_ = std::move(*consents);
    auto erasure = SqliteRetentionStore::Open(db);
    ASSERT_TRUE(erasure.ok());
    erasure_ = std::move(*erasure);
    auto recordings = SqliteRecordingStore::Open(db);
    ASSERT_TRUE(recordings.ok()) << recordings.status().ToString();
    recordings_ = std::move(*recordings);
    // The real files of a recordings folder.
    RecordingRemoval removal{recordings_.get(), [](const std::string& file) -> Status {
                               std::error_code ec;
                               if (fs::remove(file, ec)) return Status::Ok();
                               return ec ? Status::IoError(ec.message()) : Status::NotFound(file);
                             }};
    service_ = std::make_unique<DataRightsService>(
        *cases_, *consents_, *erasure_, calls_.get(), Calendar(), clock_,
        [this](const std::string& actor, const std::string& action, const std::string& object,
               const std::string& detail) { audit_.push_back(actor + " " + action + " " + object + " " + detail); },
        std::move(removal));
  }
  void TearDown() override {
    service_.reset();
    recordings_.reset();
    erasure_.reset();
    consents_.reset();
    calls_.reset();
    cases_.reset();
    fs::remove_all(dir_);
  }
  Case Stored(const std::string& phone, CaseStatus status) {
    Case c;
    c.phone = phone;
    c.topic = "pensions";
    c.status = status;
    c.summary = "about pensions";
    c.created_at = kFriday - days(3);
    c.updated_at = c.created_at;
    c.history.push_back({0, c.created_at, "op1", "note", "called about pensions"});
    return *cases_->Create(c);
  }
  void Call(const std::string& phone, const std::string& call_id = "") {
    CallRecordRow r;
    r.call_id = call_id.empty() ? "c-" + phone : call_id;
    r.from = phone;
    r.caller_e164 = phone;
    r.dialled = "115";
    r.started = kFriday - days(3);
    r.ended = r.started;
    ASSERT_TRUE(calls_->Append(r).ok());
    ASSERT_TRUE(calls_->Flush().ok());
  }

  fs::path dir_;
  ManualClock clock_{kFriday};
  std::unique_ptr<SqliteCaseStore> cases_;
  std::unique_ptr<SqliteCallRecordStore> calls_;
  std::unique_ptr<SqliteConsentStore> consents_;
  std::unique_ptr<SqliteRetentionStore> erasure_;
  std::unique_ptr<SqliteRecordingStore> recordings_;
  std::unique_ptr<DataRightsService> service_;
  std::vector<std::string> audit_;
  const Actor op_{"op1"};
  const Actor compliance_{"cc1"};
};

TEST_F(DataRightsServiceTest, R24ConsentPerPhoneAndChannelWithTimeAndSource) {
  Consent c;
  c.phone = "8 916 123-45-67";
  c.channel = "sms";
  c.granted = true;
  c.source = "ivr";
  Result<Consent> stored = service_->RecordConsent(c, op_);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->phone, "+79161234567");
  EXPECT_EQ(stored->recorded_at, kFriday);
  EXPECT_EQ(stored->actor, "op1");
  clock_.Advance(hours(1));
  c.granted = false;
  c.source = "operator";
  ASSERT_TRUE(service_->RecordConsent(c, op_).ok());
  Result<std::vector<Consent>> all = service_->Consents("+79161234567", op_);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE((*all)[0].granted);
  EXPECT_FALSE((*all)[1].granted);
  EXPECT_EQ((*all)[1].source, "operator");
  // Hostile input: not a phone, oversized fields.
  c.phone = "'; DROP TABLE consents; --";
  EXPECT_EQ(service_->RecordConsent(c, op_).status().code(), Status::Code::kInvalidArgument);
  c.phone = "+79161234567";
  c.source = std::string(10'000, 'x');
  EXPECT_EQ(service_->RecordConsent(c, op_).status().field(), "source");
  for (const std::string& a : audit_) EXPECT_EQ(a.find("9161234567"), std::string::npos) << a;
}

TEST_F(DataRightsServiceTest, R24RequestIsACaseDueInFiveBusinessDaysByTheHolidayCalendar) {
  Result<Case> r = service_->OpenRequest(
      {DataRequestKind::kCorrection, "+79161234567", Channel::kChat, "surname is Ivanova"}, op_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->topic, "data_request");
  EXPECT_EQ(r->channel, Channel::kChat);
  // Fri 10:00 + 5 business days, Mon 11 May a holiday: Tue..Fri, then Mon 18th 10:00.
  ASSERT_TRUE(r->due_at.has_value());
  EXPECT_EQ(FormatIso8601(*r->due_at), FormatIso8601(*ParseIso8601("2026-05-18T10:00:00Z")));
  EXPECT_EQ(*service_->KindOf(*r), DataRequestKind::kCorrection);
  // A correction needs to say what; oversized detail refused.
  EXPECT_FALSE(service_->OpenRequest({DataRequestKind::kCorrection, "+79161234567", Channel::kCall, ""}, op_).ok());
  EXPECT_FALSE(service_->OpenRequest({DataRequestKind::kExport, "+79161234567", Channel::kCall,
                                      std::string(kMaxDataRequestDetail + 1, 'x')}, op_).ok());
}

TEST_F(DataRightsServiceTest, R24ExportHoldsEverythingAboutThePhoneAndResolvesTheRequest) {
  const std::string phone = "+79161234567";
  Stored(phone, CaseStatus::kClosed);
  Stored(phone, CaseStatus::kInProgress);
  Stored("+79169999999", CaseStatus::kNew);  // someone else
  Call(phone);
  Call("+79169999999");
  ASSERT_TRUE(service_->RecordConsent({0, phone, "call", true, "ivr", "", {}}, op_).ok());
  Result<Case> r = service_->OpenRequest({DataRequestKind::kExport, phone, Channel::kCall, ""}, op_);
  ASSERT_TRUE(r.ok());
  Result<CitizenExport> e = service_->Export(r->number, compliance_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->cases.size(), 3u);  // two cases and the request itself
  for (const Case& c : e->cases) EXPECT_EQ(c.phone, phone);
  ASSERT_EQ(e->calls.size(), 1u);
  EXPECT_EQ(e->calls[0].from, phone);
  EXPECT_EQ(e->consents.size(), 1u);
  EXPECT_EQ(cases_->GetByNumber(r->number)->status, CaseStatus::kResolved);
  EXPECT_NE(audit_.back().find("cc1 data_request.export case:" + r->number), std::string::npos);
  // A deletion on an export request is refused.
  EXPECT_EQ(service_->Delete(r->number, compliance_).status().code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(service_->Export("0000000", compliance_).status().code(), Status::Code::kNotFound);
}

TEST_F(DataRightsServiceTest, R24DeletionErasesDoneCasesCallsAndConsentsKeepsOpenOnes) {
  const std::string phone = "+79161234567";
  Case done = Stored(phone, CaseStatus::kClosed);
  Case open = Stored(phone, CaseStatus::kInProgress);
  Case other = Stored("+79169999999", CaseStatus::kClosed);
  Call(phone);
  Call("+79169999999");
  ASSERT_TRUE(service_->RecordConsent({0, phone, "call", true, "ivr", "", {}}, op_).ok());
  Result<Case> r = service_->OpenRequest({DataRequestKind::kDeletion, phone, Channel::kApp, ""}, op_);
  ASSERT_TRUE(r.ok());
  Result<CitizenErasure> erased = service_->Delete(r->number, compliance_);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(erased->cases_erased, std::vector<std::string>{done.number});
  EXPECT_EQ(erased->cases_kept, std::vector<std::string>{open.number});
  EXPECT_EQ(erased->call_records_deleted, 1);
  EXPECT_EQ(erased->consents_deleted, 1);
  EXPECT_EQ(cases_->GetByNumber(done.number)->phone, "");
  EXPECT_EQ(cases_->GetByNumber(done.number)->history.at(0).detail, "");
  EXPECT_EQ(cases_->GetByNumber(open.number)->phone, phone);
  EXPECT_EQ(cases_->GetByNumber(other.number)->phone, "+79169999999");
  EXPECT_EQ(calls_->FindByCaller("+79169999999", 10)->size(), 1u);
  Result<Case> req = cases_->GetByNumber(r->number);
  EXPECT_EQ(req->status, CaseStatus::kResolved);
  EXPECT_EQ(req->phone, phone);  // until it closes; then retention erases it
  EXPECT_TRUE(service_->Consents(phone, op_)->empty());
}

// A recorded leg as telephony and the centre leave it: the file, its row and
// the case's link. Returns the file.
fs::path RecordLeg(const fs::path& dir, SqliteCaseStore& cases, SqliteRecordingStore& recordings,
                   const std::string& case_number, const std::string& call_id, int leg, Time at) {
  fs::create_directories(dir);
  const fs::path file =
      dir / (case_number + "_" + call_id + (leg > 1 ? "_" + std::to_string(leg) : "") + ".wav.sealed");
  std::ofstream(file, std::ios::binary) << "GSRSTRM1 sealed audio";
  StoredRecording row;
  row.call_id = call_id;
  row.case_number = case_number;
  row.leg = leg;
  row.file_name = file.string();
  row.created = at;
  row.sealed_key_id = "k1";
  row.size_bytes = 21;
  EXPECT_TRUE(recordings.Add(row).ok());
  Result<Case> c = cases.GetByNumber(case_number);
  EXPECT_TRUE(c.ok());
  c->links.push_back({"recording", file.string(), at});
  EXPECT_TRUE(cases.Update(*c, c->version).ok());
  return file;
}

// R24: the citizen made two calls, each transferred once, so four
// recordings; erasing them leaves no file, no case link to one, and an audit
// record that names each. Before the recordings were tracked, only the call
// record named a recording (the last leg), and deleting the call record
// left every file behind.
TEST_F(DataRightsServiceTest, R24DeletionRemovesEveryLegOfEveryCallAndAuditsThem) {
  const std::string phone = "+79161234567";
  const fs::path folder = dir_ / "recordings";
  std::vector<fs::path> files;
  std::vector<std::string> numbers;
  for (int call = 1; call <= 2; ++call) {
    // The call's case (still open: the operator's work on it goes on).
    Case c = Stored(phone, CaseStatus::kInProgress);
    numbers.push_back(c.number);
    const std::string call_id = "sip-" + std::to_string(call);
    Call(phone, call_id);
    for (int leg = 1; leg <= 2; ++leg) {
      files.push_back(RecordLeg(folder, *cases_, *recordings_, c.number, call_id, leg, kFriday - days(3)));
    }
  }
  // Another citizen's recording stays.
  Case other = Stored("+79169999999", CaseStatus::kClosed);
  Call("+79169999999", "sip-9");
  const fs::path kept = RecordLeg(folder, *cases_, *recordings_, other.number, "sip-9", 1, kFriday);

  Result<Case> r = service_->OpenRequest({DataRequestKind::kDeletion, phone, Channel::kApp, ""}, op_);
  ASSERT_TRUE(r.ok());
  Result<CitizenErasure> erased = service_->Delete(r->number, compliance_);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();

  for (const fs::path& f : files) EXPECT_FALSE(fs::exists(f)) << f;
  EXPECT_TRUE(fs::exists(kept));
  EXPECT_TRUE(recordings_->LiveOf({"sip-1", "sip-2"}, numbers)->empty());
  EXPECT_EQ(recordings_->LiveOf({"sip-9"}, {})->size(), 1u);
  for (const std::string& n : numbers) {
    Result<Case> after = cases_->GetByNumber(n);
    ASSERT_TRUE(after.ok());
    for (const CaseLink& l : after->links) {
      EXPECT_NE(l.kind, "recording") << n << " " << l.ref;
      EXPECT_EQ(l.ref.find(".wav"), std::string::npos) << n << " " << l.ref;
    }
  }
  std::string audited;
  for (const std::string& a : audit_) {
    if (a.find("data_request.recordings_deleted") != std::string::npos) audited = a;
    EXPECT_EQ(a.find(phone), std::string::npos) << a;  // names, never the phone
  }
  EXPECT_NE(audited.find("4 recordings deleted"), std::string::npos) << audited;
  for (const fs::path& f : files) {
    EXPECT_NE(audited.find(f.filename().string()), std::string::npos) << audited;
  }
  EXPECT_NE(audit_.back().find("4 recordings deleted"), std::string::npos) << audit_.back();
}

}  // namespace
}  // namespace gosline
