// R21: refusals are counted per address and minute, one record each.
#include "core/security/refusal_tally.h"

#include <gtest/gtest.h>

namespace gosline::security {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Time kT0 = FromUnixMillis(1'760'000'040'000);  // a minute's start

Refusal From(const std::string& address, const std::string& object = "/api/v1/cases") {
  return Refusal{address, "anonymous", object, "searchCases GET status 401"};
}

TEST(RefusalTallyTest, OneCountPerAddressAndMinuteWithTheFirstRefusalAsExample) {
  RefusalTally tally;
  tally.Add(From("192.0.2.1", "case:1"), kT0);
  for (int i = 0; i < 999; ++i) tally.Add(From("192.0.2.1", "case:2"), kT0 + milliseconds(i));
  tally.Add(From("192.0.2.2"), kT0 + seconds(59));
  EXPECT_TRUE(tally.TakeFinished(kT0 + seconds(59)).empty()) << "the minute is not over";
  std::vector<RefusalCount> done = tally.TakeFinished(kT0 + seconds(60));
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].first.address, "192.0.2.1");
  EXPECT_EQ(done[0].count, 1000u);
  EXPECT_EQ(done[0].first.object, "case:1");
  EXPECT_EQ(done[0].minute, kT0);
  EXPECT_EQ(done[1].count, 1u);
  EXPECT_TRUE(tally.TakeFinished(kT0 + seconds(120)).empty()) << "taken once";
}

TEST(RefusalTallyTest, ANewMinuteClosesThePreviousOne) {
  RefusalTally tally;
  tally.Add(From("192.0.2.1"), kT0);
  tally.Add(From("192.0.2.1"), kT0 + seconds(61));
  std::vector<RefusalCount> done = tally.TakeFinished(kT0 + seconds(61));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].count, 1u);
  done = tally.TakeAll();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].minute, kT0 + seconds(60));
}

TEST(RefusalTallyTest, ManyAddressesShareOneBoundedOverflowCount) {
  RefusalTally tally(100);
  for (int i = 0; i < 100'000; ++i) tally.Add(From("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)), kT0);
  EXPECT_EQ(tally.addresses_counted(), 101u);
  uint64_t total = 0;
  uint64_t overflow = 0;
  for (const RefusalCount& c : tally.TakeAll()) {
    total += c.count;
    if (c.first.address == RefusalTally::kOverflowAddress) overflow = c.count;
  }
  EXPECT_EQ(total, 100'000u) << "nothing is lost";
  EXPECT_EQ(overflow, 100'000u - 100u);
}

}  // namespace
}  // namespace gosline::security
