#include "core/security/retention.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace gosline::security {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

const Time kT0 = FromUnixMillis(1'760'000'000'000);  // 2025-10-09

RetainedRecord Rec(std::string id, RetainedKind kind, Time at, bool open = false,
                   std::optional<Time> closed = std::nullopt) {
  return RetainedRecord{std::move(id), kind, at, open, closed};
}

// A simulated clock: the job runs once an hour over a store, deleting what
// the plan names, for as long as the test says.
struct SimulatedStore {
  std::vector<RetainedRecord> records;
  std::vector<std::pair<std::string, Time>> deleted;  // id, when

  void RunJob(const RetentionPolicy& policy, Time now) {
    RetentionPlan plan = PlanRetention(records, policy, now);
    for (const std::string& id : plan.delete_ids) {
      deleted.emplace_back(id, now);
      std::erase_if(records, [&](const RetainedRecord& r) { return r.id == id; });
    }
  }
  std::optional<Time> DeletedAt(const std::string& id) const {
    for (const auto& [d, at] : deleted) {
      if (d == id) return at;
    }
    return std::nullopt;
  }
};

TEST(RetentionTest, R23DefaultsAreThirtyDaysAndFiveYears) {
  RetentionPolicy p;
  EXPECT_TRUE(ValidateRetentionPolicy(p).ok());
  EXPECT_EQ(p.call_metadata, Days(30));
  EXPECT_EQ(p.personal_data, Days(30));
  // Never less than five calendar years: 2025-10-09 + 5 years = 2030-10-09.
  Time five_years = kT0 + Days(365 * 5 + 1);  // 2028 is a leap year
  EXPECT_GE(kT0 + p.recording, five_years);
}

TEST(RetentionTest, R23SimulatedClockDeletesOnTime) {
  RetentionPolicy policy;
  SimulatedStore store;
  store.records = {
      Rec("meta-1", RetainedKind::kCallMetadata, kT0),
      Rec("pd-1", RetainedKind::kPersonalData, kT0 + hours(5)),
      Rec("pd-open", RetainedKind::kPersonalData, kT0, /*open=*/true),
      Rec("pd-closed-late", RetainedKind::kPersonalData, kT0, false, kT0 + Days(20)),
      Rec("rec-1", RetainedKind::kRecording, kT0),
  };
  // Hourly for 40 days.
  for (Time now = kT0; now <= kT0 + Days(40); now += hours(1)) store.RunJob(policy, now);
  EXPECT_EQ(store.DeletedAt("meta-1"), kT0 + Days(30));
  EXPECT_EQ(store.DeletedAt("pd-1"), kT0 + Days(30) + hours(5));
  EXPECT_EQ(store.DeletedAt("pd-closed-late"), std::nullopt);  // closed on day 20: due day 50
  EXPECT_EQ(store.DeletedAt("pd-open"), std::nullopt);
  EXPECT_EQ(store.DeletedAt("rec-1"), std::nullopt);

  // Daily on to six years: the recording goes after five, the open case's
  // data stays, the late-closed case's data goes on day 50.
  for (Time now = kT0 + Days(41); now <= kT0 + Days(6 * 365); now += Days(1)) {
    store.RunJob(policy, now);
  }
  EXPECT_EQ(store.DeletedAt("pd-closed-late"), kT0 + Days(50));
  EXPECT_EQ(store.DeletedAt("rec-1"), kT0 + Days(5 * 365 + 2));
  EXPECT_EQ(store.DeletedAt("pd-open"), std::nullopt);
  ASSERT_EQ(store.records.size(), 1u);
  EXPECT_EQ(store.records[0].id, "pd-open");
}

TEST(RetentionTest, R23NothingIsDeletedOneMillisecondEarly) {
  RetentionPolicy policy;
  std::vector<RetainedRecord> recs = {Rec("a", RetainedKind::kPersonalData, kT0)};
  EXPECT_TRUE(PlanRetention(recs, policy, kT0 + Days(30) - milliseconds(1)).delete_ids.empty());
  EXPECT_EQ(PlanRetention(recs, policy, kT0 + Days(30)).delete_ids, std::vector<std::string>{"a"});
}

TEST(RetentionTest, ConfigurablePeriodsAndNextDue) {
  RetentionPolicy policy;
  policy.personal_data = Days(7);
  policy.recording = Days(365);
  std::vector<RetainedRecord> recs = {
      Rec("pd", RetainedKind::kPersonalData, kT0),
      Rec("meta", RetainedKind::kCallMetadata, kT0),
      Rec("rec", RetainedKind::kRecording, kT0),
  };
  RetentionPlan plan = PlanRetention(recs, policy, kT0 + Days(8));
  EXPECT_EQ(plan.delete_ids, std::vector<std::string>{"pd"});
  EXPECT_EQ(plan.next_due, kT0 + Days(30));
  plan = PlanRetention(recs, policy, kT0 + Days(31));
  EXPECT_EQ(plan.next_due, kT0 + Days(365));
}

TEST(RetentionTest, RefusesPeriodsUnderOneDay) {
  RetentionPolicy policy;
  policy.personal_data = Duration(0);
  Status st = ValidateRetentionPolicy(policy);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "retention.personal_data");
  policy = {};
  policy.recording = -Days(5);
  EXPECT_EQ(ValidateRetentionPolicy(policy).field(), "retention.recording");
}

}  // namespace
}  // namespace gosline::security
