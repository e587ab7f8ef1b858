#include "app/case_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>

#include "config/config_vocabulary.h"
#include "core/cases/case_number.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline {
namespace {

using namespace std::chrono;

constexpr minutes kMsk{180};

Time Msk(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return Time(sys_days{year{y} / month{m} / day{d}}) + hours{hh} + minutes{mm} - kMsk;
}

Config TestConfig() {
  Config cfg;
  cfg.topics = {Topic{"registration", {{"ru", "Регистрация"}}, "mincifry", "1", false, true},
                Topic{"taxes", {{"ru", "Налоги"}}, "fns", "2", false, false},
                Topic{"other", {}, "", "", false, false}};
  cfg.agencies = {Agency{"mincifry", "Минцифры"}, Agency{"fns", "ФНС"}};
  cfg.regions = {Region{"77", "Москва", kMsk, ""}, Region{"16", "Татарстан", kMsk, "kazan"}};
  return cfg;
}

BusinessCalendar NineToSixMoscow() {
  WeeklyHours w;
  for (int i = 0; i < 5; ++i) w.days[i] = DailyHours{9 * 60, 18 * 60};
  return BusinessCalendar(w, kMsk, {}, {}, {});
}

// A real store whose next Update calls are preceded by a competing write
// from "another operator" through the same real store, so the service sees
// a genuine version conflict.
class RacingStore final : public CaseStore {
 public:
  explicit RacingStore(CaseStore& inner) : inner_(inner) {}
  int races_left = 0;
  int updates = 0;

  Result<Case> Create(const Case& c) override { return inner_.Create(c); }
  Status CreateBatch(std::vector<Case>& cases) override { return inner_.CreateBatch(cases); }
  Result<Case> GetByNumber(const std::string& number) override {
    return inner_.GetByNumber(number);
  }
  Status Update(Case& c, int64_t expected_version) override {
    ++updates;
    if (races_left > 0) {
      --races_left;
      GOSLINE_ASSIGN_OR_RETURN(Case theirs, inner_.GetByNumber(c.number));
      const int64_t v = theirs.version;
      theirs.history.push_back(HistoryEntry{theirs.history.back().seq + 1, theirs.updated_at,
                                            "op.other", "note", "competing write"});
      GOSLINE_RETURN_IF_ERROR(inner_.Update(theirs, v));
    }
    return inner_.Update(c, expected_version);
  }
  Result<std::vector<Case>> FindByPhone(const std::string& e164, int limit) override {
    return inner_.FindByPhone(e164, limit);
  }
  Result<CasePage> Search(const CaseQuery& q) override { return inner_.Search(q); }
  Status ForEach(const std::function<bool(const Case&)>& visit) override {
    return inner_.ForEach(visit);
  }
  Status Ping() override { return inner_.Ping(); }

 private:
  CaseStore& inner_;
};

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_case_service_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    OpenStore();
  }
  void TearDown() override {
    service_.reset();
    racing_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void OpenStore() {
    service_.reset();
    racing_.reset();
    store_.reset();
    auto opened = SqliteCaseStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    racing_ = std::make_unique<RacingStore>(*store_);
    service_ = std::make_unique<CaseService>(*racing_, workflow_, clock_);
  }

  CaseDraft Draft(const std::string& phone = "8 916 123-45-67") const {
    CaseDraft d;
    d.phone = phone;
    d.topic = "registration";
    d.region = "77";
    d.summary = "Не приходит СМС";
    return d;
  }

  Case MustOpen(const CaseDraft& d) {
    auto r = service_->Open(d, op_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : Case{};
  }

  std::filesystem::path dir_;
  Config config_ = TestConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_ = NineToSixMoscow();
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  ManualClock clock_{Msk(2025, 11, 24, 10)};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<RacingStore> racing_;
  std::unique_ptr<CaseService> service_;
  Actor op_{"op.ivanova"};
};

TEST_F(CaseServiceTest, R14_OpenStoresACaseWithADictatableNumber) {
  Case c = MustOpen(Draft());
  EXPECT_GT(c.id, 0);
  EXPECT_TRUE(CaseNumber::IsValid(c.number)) << c.number;
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.phone, "+79161234567");
  EXPECT_EQ(c.agency, "mincifry");
  EXPECT_EQ(c.created_at, clock_.Now());

  auto got = service_->Get(c.number);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, c.id);
  EXPECT_EQ(got->status, CaseStatus::kNew);
  ASSERT_EQ(got->history.size(), 1u);
  EXPECT_EQ(got->history[0].action, "created");
  EXPECT_EQ(got->history[0].actor, "op.ivanova");
}

TEST_F(CaseServiceTest, OpenRejectsInvalidDraftWithoutStoring) {
  CaseDraft d = Draft();
  d.topic = "weather";
  auto r = service_->Open(d, op_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "topic");
  auto all = service_->FindByPhone("+79161234567", 10);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(CaseServiceTest, R16_GetAcceptsDictatedNumberForms) {
  Case c = MustOpen(Draft());
  const std::string spoken = c.number.substr(0, 3) + " " + c.number.substr(3, 3) + "-" +
                             c.number.substr(6);
  auto got = service_->Get(spoken);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->number, c.number);

  std::string wrong = c.number;
  wrong[4] = wrong[4] == '9' ? '0' : static_cast<char>(wrong[4] + 1);
  EXPECT_EQ(service_->Get(wrong).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(service_->Get("no such").status().code(), Status::Code::kNotFound);
}

TEST_F(CaseServiceTest, R14_ChangesArePersistedWithHistoryAndVersion) {
  Case c = MustOpen(Draft());
  clock_.Advance(minutes{5});
  auto moved = service_->Transition(c.number, CaseStatus::kInProgress, "перезвонили", op_);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->version, 2);
  EXPECT_EQ(moved->updated_at, clock_.Now());

  CasePatch p;
  p.topic = "taxes";
  clock_.Advance(minutes{1});
  ASSERT_TRUE(service_->Update(c.number, p, op_).ok());
  ASSERT_TRUE(service_->AddNote(c.number, "Передано в ФНС", op_).ok());
  ASSERT_TRUE(service_->Link(c.number, {"recording", "rec-1.wav", {}}, op_).ok());

  OpenStore();  // everything must come back from the file
  auto got = service_->Get(c.number);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status, CaseStatus::kInProgress);
  EXPECT_EQ(got->topic, "taxes");
  EXPECT_EQ(got->agency, "fns");
  EXPECT_EQ(got->version, 5);
  ASSERT_EQ(got->history.size(), 5u);
  const char* actions[] = {"created", "transition", "updated", "note", "linked"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(got->history[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(got->history[i].action, actions[i]);
  }
  EXPECT_EQ(got->history[1].detail, "new -> in_progress: перезвонили");
  EXPECT_EQ(got->history[2].detail, "topic: registration -> taxes; agency: mincifry -> fns");
  ASSERT_EQ(got->links.size(), 1u);
  EXPECT_EQ(got->links[0].ref, "rec-1.wav");
}

TEST_F(CaseServiceTest, R16_EscalationDueTimeIsStoredAndClearedOnReturn) {
  Case c = MustOpen(Draft());
  clock_.Set(Msk(2025, 11, 21, 17));  // Friday 17:00
  auto esc = service_->Transition(c.number, CaseStatus::kEscalated, "ФНС", op_);
  ASSERT_TRUE(esc.ok()) << esc.status().ToString();
  auto got = service_->Get(c.number);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->due_at, Msk(2025, 11, 24, 17));

  ASSERT_TRUE(service_->Transition(c.number, CaseStatus::kInProgress, "ответ получен", op_).ok());
  got = service_->Get(c.number);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->due_at);
}

TEST_F(CaseServiceTest, RefusedChangesAreNotWritten) {
  Case c = MustOpen(Draft());
  ASSERT_TRUE(service_->Transition(c.number, CaseStatus::kClosed, "", op_).ok());
  auto r = service_->Transition(c.number, CaseStatus::kInProgress, "", op_);
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(r.status().field(), "to");
  EXPECT_EQ(service_->Get(c.number)->version, 2);
  EXPECT_EQ(service_->Transition("0000000000", CaseStatus::kClosed, "", op_).status().code(),
            Status::Code::kNotFound);
}

TEST_F(CaseServiceTest, NoOpChangesDoNotBumpTheVersion) {
  Case c = MustOpen(Draft());
  CasePatch same;
  same.topic = "registration";
  auto r = service_->Update(c.number, same, op_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 1);
  ASSERT_TRUE(service_->Link(c.number, {"call", "call-7", {}}, op_).ok());
  auto again = service_->Link(c.number, {"call", "call-7", {}}, op_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(racing_->updates, 1);
}

TEST_F(CaseServiceTest, StaleExpectedVersionIsAConflict) {
  Case c = MustOpen(Draft());
  ASSERT_TRUE(service_->AddNote(c.number, "first", op_).ok());  // version 2
  CasePatch p;
  p.priority = Priority::kHigh;
  auto r = service_->Update(c.number, p, op_, /*expected_version=*/1);
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  auto got = service_->Get(c.number);
  EXPECT_EQ(got->priority, Priority::kNormal);
  EXPECT_EQ(got->version, 2);

  auto ok = service_->Update(c.number, p, op_, 2);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->version, 3);
}

TEST_F(CaseServiceTest, ConcurrentWriteWithExpectedVersionIsNotRetried) {
  Case c = MustOpen(Draft());
  racing_->races_left = 1;
  auto r = service_->Transition(c.number, CaseStatus::kInProgress, "", op_, 1);
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(racing_->updates, 1);
  EXPECT_EQ(service_->Get(c.number)->status, CaseStatus::kNew);
}

TEST_F(CaseServiceTest, ConcurrentWriteIsRetriedAndBothChangesSurvive) {
  Case c = MustOpen(Draft());
  racing_->races_left = 2;
  auto r = service_->Transition(c.number, CaseStatus::kInProgress, "взято в работу", op_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(racing_->updates, 3);
  auto got = service_->Get(c.number);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, CaseStatus::kInProgress);
  EXPECT_EQ(got->version, 4);  // two competing notes, then ours
  ASSERT_EQ(got->history.size(), 4u);
  EXPECT_EQ(got->history[1].detail, "competing write");
  EXPECT_EQ(got->history[2].detail, "competing write");
  EXPECT_EQ(got->history[3].seq, 4);
  EXPECT_EQ(got->history[3].action, "transition");
}

TEST_F(CaseServiceTest, EndlessConflictsGiveUpAfterThreeRetries) {
  Case c = MustOpen(Draft());
  racing_->races_left = 100;
  auto r = service_->AddNote(c.number, "note", op_);
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(racing_->updates, 4);  // the first try and three retries
}

TEST_F(CaseServiceTest, R16_FindByPhoneAcceptsAnyWrittenForm) {
  Case a = MustOpen(Draft("+7 916 123-45-67"));
  clock_.Advance(minutes{1});
  Case b = MustOpen(Draft("89161234567"));
  MustOpen(Draft("+79990000000"));
  ASSERT_TRUE(service_->Transition(a.number, CaseStatus::kClosed, "", op_).ok());

  auto found = service_->FindByPhone("8 (916) 123 45 67", 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].number, b.number);  // open first
  EXPECT_EQ((*found)[1].number, a.number);

  EXPECT_EQ(service_->FindByPhone("12345", 10).status().field(), "phone");
  EXPECT_EQ(service_->FindByPhone("89161234567", 0).status().field(), "limit");
  EXPECT_EQ(service_->FindByPhone("89161234567", kMaxPageSize + 1).status().field(), "limit");
}

TEST_F(CaseServiceTest, SearchValidatesAndFilters) {
  Case a = MustOpen(Draft());
  CaseDraft taxes = Draft("+79990000000");
  taxes.topic = "taxes";
  Case b = MustOpen(taxes);

  CaseQuery q;
  q.topic = "taxes";
  auto page = service_->Search(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->cases.size(), 1u);
  EXPECT_EQ(page->cases[0].number, b.number);

  CaseQuery by_phone;
  by_phone.phone = "8 916 123 45 67";
  page = service_->Search(by_phone);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->cases.size(), 1u);
  EXPECT_EQ(page->cases[0].number, a.number);

  CaseQuery bad;
  bad.limit = 0;
  EXPECT_EQ(service_->Search(bad).status().field(), "limit");
  bad.limit = 10;
  bad.phone = "x";
  EXPECT_EQ(service_->Search(bad).status().field(), "phone");
}

TEST(ConfigVocabulary, R15_ReflectsTheConfiguration) {
  ConfigVocabulary v(TestConfig());  // the Config temporary is gone after this line
  EXPECT_TRUE(v.HasTopic("registration"));
  EXPECT_FALSE(v.HasTopic("weather"));
  EXPECT_TRUE(v.HasAgency("fns"));
  EXPECT_FALSE(v.HasAgency("mvd"));
  EXPECT_TRUE(v.HasRegion("16"));
  EXPECT_FALSE(v.HasRegion("99"));
  EXPECT_EQ(v.DefaultAgency("taxes"), "fns");
  EXPECT_EQ(v.DefaultAgency("other"), "");
  EXPECT_EQ(v.DefaultAgency("weather"), "");
}

}  // namespace
}  // namespace gosline
