#include "app/case_status_lookup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "config/config_vocabulary.h"
#include "core/cases/case_number.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline {
namespace {

Config TestConfig() {
  Config cfg;
  cfg.topics = {Topic{"application_status", {{"ru", "Статус"}}, "mincifry", "7", false, true}};
  cfg.agencies = {Agency{"mincifry", "Минцифры"}};
  cfg.regions = {Region{"77", "Москва", std::chrono::minutes(180), ""}};
  return cfg;
}

struct Answer {
  CaseLookupResultEvent result;
  std::thread::id thread;
};

class CaseStatusLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_case_status_lookup_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = SqliteCaseStore::Open((dir_ / "cases.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    service_ = std::make_unique<CaseService>(*store_, workflow_, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Case Open() {
    CaseDraft d;
    d.phone = "+79161234567";
    d.topic = "application_status";
    d.region = "77";
    d.summary = "Где моя справка";
    auto r = service_->Open(d, Actor{"op"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Case{};
  }

  // Asks and waits (bounded) for the answer.
  static Answer Ask(CaseStatusLookup& lookup, const std::string& number,
                    const std::string& phone_last4 = "4567") {
    auto promise = std::make_shared<std::promise<Answer>>();
    std::future<Answer> future = promise->get_future();
    lookup.Lookup(number, phone_last4, [promise](CaseLookupResultEvent r) {
      promise->set_value(Answer{std::move(r), std::this_thread::get_id()});
    });
    EXPECT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return future.get();
  }

  std::filesystem::path dir_;
  Config config_ = TestConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_{WeeklyHours::AllDay(), std::chrono::minutes(180), {}, {}, {}};
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  ManualClock clock_{FromUnixMillis(1'760'000'000'000)};
  std::unique_ptr<SqliteCaseStore> store_;
  std::unique_ptr<CaseService> service_;
};

TEST_F(CaseStatusLookupTest, R16_FoundCaseAnswersItsStatusAndTopicOffTheCallersThread) {
  const Case c = Open();
  ASSERT_TRUE(service_->Transition(c.number, CaseStatus::kInProgress, "taken", Actor{"op"}).ok());
  CaseStatusLookup lookup(*service_);
  const Answer a = Ask(lookup, c.number);
  EXPECT_EQ(a.result.outcome, CaseLookupOutcome::kFound);
  EXPECT_EQ(a.result.status, CaseStatus::kInProgress);
  EXPECT_EQ(a.result.topic, "application_status");
  EXPECT_NE(a.thread, std::this_thread::get_id());
}

TEST_F(CaseStatusLookupTest, R16_UnknownNumberIsNotFound) {
  CaseStatusLookup lookup(*service_);
  const std::string absent = CaseNumber::FromSequence(987654);
  EXPECT_EQ(Ask(lookup, absent).result.outcome, CaseLookupOutcome::kNotFound);
}

// R16: the status is told only with the last 4 digits of the case's phone;
// wrong digits get the unknown case's answer, so the line is no oracle of
// which numbers exist.
TEST_F(CaseStatusLookupTest, R16_WrongPhoneDigitsAreAnsweredAsAnUnknownCase) {
  const Case c = Open();
  CaseStatusLookup lookup(*service_);
  EXPECT_EQ(Ask(lookup, c.number, "4567").result.outcome, CaseLookupOutcome::kFound);
  for (const char* wrong : {"4568", "1234", "", "456", "45678", "+79161234567"}) {
    const Answer a = Ask(lookup, c.number, wrong);
    EXPECT_EQ(a.result.outcome, CaseLookupOutcome::kNotFound) << wrong;
    EXPECT_EQ(a.result.topic, "") << "nothing of the case is told";
  }
}

TEST_F(CaseStatusLookupTest, ManyRequestsFromSeveralThreadsAreEachAnsweredOnce) {
  const Case c = Open();
  CaseStatusLookup lookup(*service_, {2, 10'000});
  std::atomic<int> found{0};
  std::atomic<int> calls{0};
  std::vector<std::thread> askers;
  for (int t = 0; t < 4; ++t) {
    askers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        lookup.Lookup(c.number, "4567", [&](CaseLookupResultEvent r) {
          ++calls;
          if (r.outcome == CaseLookupOutcome::kFound) ++found;
        });
      }
    });
  }
  for (std::thread& t : askers) t.join();
  lookup.Stop();  // answers whatever is still queued
  EXPECT_EQ(calls.load(), 200);
  EXPECT_GT(found.load(), 0);
}

TEST_F(CaseStatusLookupTest, AFullQueueOrAStoppedLookupAnswersErrorAtOnce) {
  const Case c = Open();
  CaseStatusLookup full(*service_, {1, 0});
  Answer a = Ask(full, c.number);
  EXPECT_EQ(a.result.outcome, CaseLookupOutcome::kError);
  EXPECT_EQ(a.thread, std::this_thread::get_id());

  CaseStatusLookup stopped(*service_);
  stopped.Stop();
  EXPECT_EQ(Ask(stopped, c.number).result.outcome, CaseLookupOutcome::kError);
}

}  // namespace
}  // namespace gosline
