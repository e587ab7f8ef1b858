// What is kept about a citizen and for how long, the same tests for every
// engine (store_engines.h): consents (R24), the retention job's candidates
// and erasures (R23), and a citizen's deletion request (R24).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "security/storage_row_cipher.h"
#include "store_engines.h"

namespace gosline {
namespace {

using testing::PostgresEngine;
using testing::SqliteEngine;

const Time kT0 = FromUnixMillis(1'760'000'000'000);
const std::string kPhone = "+79161234567";

Time At(int64_t minutes) { return kT0 + std::chrono::minutes(minutes); }

std::shared_ptr<const RowCipher> MakeCipher() {
  Result<security::KeyRing> ring = security::KeyRing::Parse(
      "k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  Result<security::FieldCipher> c = security::FieldCipher::Create(
      std::make_shared<const security::KeyRing>(std::move(*ring)));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::make_shared<const security::StorageRowCipher>(
      std::make_shared<const security::FieldCipher>(std::move(*c)), "key file test.key");
}

Case MakeCase(const std::string& phone, CaseStatus status, Time at) {
  Case c;
  c.phone = phone;
  c.topic = "pensions";
  c.agency = "sfr";
  c.region = "77";
  c.status = status;
  c.summary = "Petrova asks about her pension";
  c.created_at = at;
  c.updated_at = at;
  c.history.push_back({0, at, "op1", "note", "called from home"});
  return c;
}

CallRecordRow Call(const std::string& call_id, const std::string& phone, Time at) {
  CallRecordRow r;
  r.call_id = call_id;
  r.from = phone;
  r.caller_e164 = phone;
  r.dialled = "115";
  r.started = at;
  r.ended = at + std::chrono::seconds(30);
  r.end_reason = "caller_hangup";
  r.sip_status = 200;
  r.digits = "1";
  return r;
}

template <typename Engine>
class CitizenDataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
    cipher_ = MakeCipher();
    auto cases = engine_.OpenCases(cipher_);
    auto records = engine_.OpenCallRecords(cipher_);
    auto outcomes = engine_.OpenCallOutcomes(cipher_);
    auto consents = engine_.OpenConsents(cipher_);
    auto retention = engine_.OpenRetention(cipher_);
    auto erasure = engine_.OpenErasure(cipher_);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    ASSERT_TRUE(consents.ok()) << consents.status().ToString();
    ASSERT_TRUE(retention.ok()) << retention.status().ToString();
    ASSERT_TRUE(erasure.ok()) << erasure.status().ToString();
    cases_ = std::move(cases).value();
    records_ = std::move(records).value();
    outcomes_ = std::move(outcomes).value();
    consents_ = std::move(consents).value();
    retention_ = std::move(retention).value();
    erasure_ = std::move(erasure).value();
  }

  Case Create(const Case& c) {
    Result<Case> r = cases_->Create(c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Case{};
  }
  int64_t RecordId(const std::string& call_id) {
    Result<std::vector<RetentionCandidate>> all =
        retention_->CallRecordsBefore(At(100'000), 0, 1000);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    for (const RetentionCandidate& c : *all) {
      if (c.ref == call_id) return c.id;
    }
    return 0;
  }

  Engine engine_;
  std::shared_ptr<const RowCipher> cipher_;
  std::unique_ptr<CaseStore> cases_;
  std::unique_ptr<CallRecordStore> records_;
  std::unique_ptr<CallOutcomeStore> outcomes_;
  std::unique_ptr<ConsentStore> consents_;
  std::unique_ptr<RetentionStore> retention_;
  std::unique_ptr<CitizenErasureStore> erasure_;
};

struct EngineName {
  template <typename Engine>
  static std::string GetName(int) {
    return Engine::kName;
  }
};
using Engines = ::testing::Types<SqliteEngine, PostgresEngine>;
TYPED_TEST_SUITE(CitizenDataStoreTest, Engines, EngineName);

TYPED_TEST(CitizenDataStoreTest, R24_ConsentsAreKeptPerPhoneOldestFirstAndDeleted) {
  Consent c;
  c.phone = "8 916 123-45-67";  // stored in E.164
  c.channel = "sms";
  c.granted = true;
  c.source = "ivr";
  c.actor = "system";
  c.recorded_at = At(1);
  Result<Consent> first = this->consents_->Record(c);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  c.granted = false;
  c.source = "operator";
  c.actor = "op7";
  c.recorded_at = At(2);
  ASSERT_TRUE(this->consents_->Record(c).ok());
  Consent other = c;
  other.phone = "+79160000000";
  ASSERT_TRUE(this->consents_->Record(other).ok());

  Result<std::vector<Consent>> mine = this->consents_->ForPhone(kPhone);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].phone, kPhone);
  EXPECT_TRUE((*mine)[0].granted);
  EXPECT_EQ((*mine)[0].source, "ivr");
  EXPECT_FALSE((*mine)[1].granted);
  EXPECT_EQ((*mine)[1].actor, "op7");
  EXPECT_EQ((*mine)[1].recorded_at, At(2));
  Result<std::string> rows = this->engine_.RawTable("consents");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->find("9161234567"), std::string::npos) << *rows;  // sealed (R22)

  Result<int64_t> deleted = this->consents_->DeleteForPhone("89161234567");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 2);
  EXPECT_TRUE(this->consents_->ForPhone(kPhone)->empty());
  EXPECT_EQ(this->consents_->ForPhone("+79160000000")->size(), 1u);
}

TYPED_TEST(CitizenDataStoreTest, R23_CandidatesAndErasuresOfOldCallsAndDoneCases) {
  const Case done = this->Create(MakeCase(kPhone, CaseStatus::kClosed, At(0)));
  const Case open = this->Create(MakeCase(kPhone, CaseStatus::kInProgress, At(0)));
  ASSERT_TRUE(this->records_->Append(Call("done@x", kPhone, At(1))).ok());
  ASSERT_TRUE(this->records_->Append(Call("open@x", kPhone, At(2))).ok());
  ASSERT_TRUE(this->records_->Append(Call("late@x", kPhone, At(500))).ok());
  ASSERT_TRUE(this->records_->Flush().ok());
  CallOutcome linked;
  linked.call_id = "done@x";
  linked.linked_case = done.number;
  linked.outcome = "answered";
  linked.recording_path = "rec/done.wav";
  ASSERT_TRUE(*this->outcomes_->Apply(linked));
  linked.call_id = "open@x";
  linked.linked_case = open.number;
  linked.recording_path = "";
  ASSERT_TRUE(*this->outcomes_->Apply(linked));

  Result<std::vector<RetentionCandidate>> calls =
      this->retention_->CallRecordsBefore(At(100), 0, 10);
  ASSERT_TRUE(calls.ok()) << calls.status().ToString();
  ASSERT_EQ(calls->size(), 2u);  // late@x is after the cutoff
  EXPECT_EQ((*calls)[0].ref, "done@x");
  EXPECT_FALSE((*calls)[0].tied_to_open_case);
  EXPECT_EQ((*calls)[0].case_closed_at, std::optional<Time>(At(0)));
  EXPECT_EQ((*calls)[0].recording_path, "rec/done.wav");
  EXPECT_EQ((*calls)[1].ref, "open@x");
  EXPECT_TRUE((*calls)[1].tied_to_open_case);
  // Paging on from the last id.
  Result<std::vector<RetentionCandidate>> page2 =
      this->retention_->CallRecordsBefore(At(100), (*calls)[0].id, 10);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_EQ((*page2)[0].ref, "open@x");

  Result<std::vector<RetentionCandidate>> recordings =
      this->retention_->RecordingsBefore(At(100), 0, 10);
  ASSERT_TRUE(recordings.ok());
  ASSERT_EQ(recordings->size(), 1u);
  EXPECT_EQ((*recordings)[0].ref, "done@x");

  Result<std::vector<RetentionCandidate>> cases =
      this->retention_->DoneCasesBefore(At(100), 0, 10);
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].ref, done.number);

  // The done case keeps its statistics, loses its personal data.
  ASSERT_TRUE(this->retention_->EraseCasePersonalData({done.id}).ok());
  Result<Case> erased = this->cases_->GetByNumber(done.number);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(erased->phone, "");
  EXPECT_EQ(erased->summary, "");
  EXPECT_EQ(erased->topic, "pensions");
  ASSERT_EQ(erased->history.size(), 1u);
  EXPECT_EQ(erased->history[0].detail, "");
  EXPECT_EQ(erased->history[0].action, "note");
  EXPECT_TRUE(this->retention_->DoneCasesBefore(At(100), 0, 10)->empty());
  EXPECT_EQ(this->cases_->FindByPhone(kPhone, 10)->size(), 1u);  // the open one only

  // A call with a recording keeps its row without the number; others go.
  ASSERT_TRUE(this->retention_->StripCallRecords({(*calls)[0].id}).ok());
  ASSERT_TRUE(this->retention_->DeleteCallRecords({(*calls)[1].id}).ok());
  Result<std::vector<CallRecordRow>> stripped = this->records_->FindByCallId("done@x");
  ASSERT_TRUE(stripped.ok()) << stripped.status().ToString();
  ASSERT_EQ(stripped->size(), 1u);
  EXPECT_EQ((*stripped)[0].from, "");
  EXPECT_FALSE((*stripped)[0].caller_e164.has_value());
  EXPECT_EQ((*stripped)[0].digits, "");
  EXPECT_TRUE(this->records_->FindByCallId("open@x")->empty());
  EXPECT_EQ(this->records_->FindByCallId("late@x")->size(), 1u);
  // Nothing left to strip before the cutoff.
  EXPECT_TRUE(this->retention_->CallRecordsBefore(At(100), 0, 10)->empty());
}

TYPED_TEST(CitizenDataStoreTest, R24_ErasingACitizenKeepsOpenCasesAndTheRequestsOwn) {
  const Case done = this->Create(MakeCase(kPhone, CaseStatus::kResolved, At(0)));
  const Case open = this->Create(MakeCase(kPhone, CaseStatus::kNew, At(1)));
  const Case request = this->Create(MakeCase(kPhone, CaseStatus::kClosed, At(2)));
  const Case someone_else = this->Create(MakeCase("+79160000000", CaseStatus::kClosed, At(3)));
  ASSERT_TRUE(this->records_->Append(Call("c1@x", kPhone, At(1))).ok());
  ASSERT_TRUE(this->records_->Append(Call("c2@x", "+79160000000", At(1))).ok());
  ASSERT_TRUE(this->records_->Flush().ok());
  Consent consent;
  consent.phone = kPhone;
  consent.channel = "call";
  consent.granted = true;
  consent.source = "ivr";
  consent.actor = "system";
  consent.recorded_at = At(1);
  ASSERT_TRUE(this->consents_->Record(consent).ok());

  Result<CitizenErasure> r = this->erasure_->EraseCitizen("8 (916) 123-45-67", request.id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cases_erased, std::vector<std::string>{done.number});
  EXPECT_EQ(r->cases_kept, std::vector<std::string>{open.number});
  EXPECT_EQ(r->call_records_deleted, 1);
  EXPECT_EQ(r->consents_deleted, 1);

  EXPECT_EQ(this->cases_->GetByNumber(done.number)->phone, "");
  EXPECT_EQ(this->cases_->GetByNumber(open.number)->phone, kPhone);
  EXPECT_EQ(this->cases_->GetByNumber(request.number)->phone, kPhone);
  EXPECT_EQ(this->cases_->GetByNumber(someone_else.number)->phone, "+79160000000");
  EXPECT_TRUE(this->records_->FindByCallId("c1@x")->empty());
  EXPECT_EQ(this->records_->FindByCallId("c2@x")->size(), 1u);
  EXPECT_TRUE(this->consents_->ForPhone(kPhone)->empty());
}

}  // namespace
}  // namespace gosline
