// CallAdmission (R25) over the real core limiter, time passed in.
#include "telephony/call_admission.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

class CallAdmissionTest : public ::testing::Test {
 protected:
  std::unique_ptr<CallAdmission> Make(AbuseSettings s) {
    auto a = CallAdmission::Create(s, clock_);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? std::move(a).value() : nullptr;
  }
  ManualClock clock_{FromUnixMillis(1'790'000'000'000)};
};

TEST_F(CallAdmissionTest, AFloodFromOneNumberIsBusyWhileOthersGetThrough) {
  AbuseSettings s;
  s.per_number_calls = 3;
  s.per_number_refill_s = 60;
  auto a = Make(s);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(a->Check("+79161234567", "10.0.0.1")) << i;
  std::optional<SipAnswer> busy = a->Check("+79161234567", "10.0.0.1");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 486);
  EXPECT_EQ(busy->reject_reason, CallEndReason::kRefused);
  EXPECT_NE(busy->warning.find("number_rate"), std::string::npos) << busy->warning;
  // Another number (even in the same prefix) is not affected: no line-wide limit.
  EXPECT_FALSE(a->Check("+79161234568", "10.0.0.1"));
  EXPECT_FALSE(a->Check("84951234567", "10.0.0.1"));
  // The bucket refills with time.
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_FALSE(a->Check("+79161234567", "10.0.0.1"));
  auto c = a->counters();
  EXPECT_EQ(c.busy, 1u);
  EXPECT_EQ(c.admitted, 6u);
}

TEST_F(CallAdmissionTest, BlockListDeclinesAllowListIsNeverLimited) {
  AbuseSettings s;
  s.per_number_calls = 1;
  s.block = {"+7900*", "+74950000000"};
  s.allow = {"+74957274747"};
  auto a = Make(s);
  std::optional<SipAnswer> r = a->Check("+79001112233", "x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 603);
  EXPECT_NE(r->warning.find("block_listed"), std::string::npos);
  ASSERT_TRUE(a->Check("8 495 000-00-00", "x"));  // normalised before matching
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(a->Check("+74957274747", "x")) << i;
  EXPECT_EQ(a->counters().block_listed, 2u);

  s.block_status = 403;
  auto forbidden = Make(s);
  EXPECT_EQ(forbidden->Check("+79001112233", "x")->status, 403);
}

TEST_F(CallAdmissionTest, ManyShortCallsFlagTheNumber) {
  AbuseSettings s;
  s.per_number_calls = 100;
  s.flood_short_calls = 3;
  auto a = Make(s);
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(a->Check("+79161112233", "10.0.0.1"));
    clock_.Advance(std::chrono::seconds(1));
    a->OnCallEnded("+79161112233", std::chrono::seconds(2));
  }
  std::optional<SipAnswer> r = a->Check("+79161112233", "10.0.0.1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 603);
  EXPECT_NE(r->warning.find("short_call_flood"), std::string::npos) << r->warning;
  EXPECT_FALSE(a->Check("+79162223344", "10.0.0.1"));  // someone else still gets through
}

TEST_F(CallAdmissionTest, OneNumberFromManySourcesIsDeclined) {
  AbuseSettings s;
  s.per_number_calls = 100;
  s.flood_sources = 3;
  auto a = Make(s);
  EXPECT_FALSE(a->Check("+79165556677", "10.0.0.1"));
  EXPECT_FALSE(a->Check("+79165556677", "10.0.0.2"));
  std::optional<SipAnswer> r = a->Check("+79165556677", "10.0.0.3");
  ASSERT_TRUE(r);
  EXPECT_NE(r->warning.find("many_sources"), std::string::npos) << r->warning;
}

TEST_F(CallAdmissionTest, AnonymousCallersAreAdmittedWithinTheirSourcesShare) {
  AbuseSettings s;
  s.per_number_calls = 1;
  s.per_source_calls = 10;
  s.per_source_refill_ms = 60'000;
  s.per_source_max_calls = 3;
  s.trusted_sources = {"192.0.2.10"};
  auto a = Make(s);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(a->Check("anonymous", "x")) << i;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(a->Check("", "x")) << i;
  // R25: one host withholding its number cannot take every slot of the line.
  std::optional<SipAnswer> busy = a->Check("anonymous", "x");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 486);
  EXPECT_NE(busy->warning.find("source_rate"), std::string::npos) << busy->warning;
  // Calls at once from one address are capped; the trunk is trusted.
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(a->Check("anonymous", "y")) << i;
    a->CallStarted("y");
  }
  busy = a->Check("anonymous", "y");
  ASSERT_TRUE(busy);
  EXPECT_NE(busy->warning.find("source_calls"), std::string::npos) << busy->warning;
  a->CallFinished("y");
  EXPECT_FALSE(a->Check("anonymous", "y"));
  for (int i = 0; i < 50; ++i) {
    EXPECT_FALSE(a->Check("anonymous", "192.0.2.10")) << i;
    a->CallStarted("192.0.2.10");
  }
}

TEST_F(CallAdmissionTest, MalformedListsAreRefusedAndReloadKeepsCounters) {
  AbuseSettings s;
  s.block = {"not a number"};
  auto bad = CallAdmission::Create(s, clock_);
  EXPECT_FALSE(bad.ok());
  s.block = {};
  auto a = Make(s);
  EXPECT_FALSE(a->Check("+79001112233", "x"));
  EXPECT_FALSE(a->SetLists({"'; DROP TABLE calls;--"}, {}).ok());
  ASSERT_TRUE(a->SetLists({"+7900*"}, {}).ok());
  EXPECT_EQ(a->Check("+79001112233", "x")->status, 603);
  EXPECT_EQ(a->counters().admitted, 1u);
}

// The administrator edits the block list in the running server; a
// number at its rate limit, or flagged for flooding, stays so (the limiter
// and its state are kept, only the lists change).
TEST_F(CallAdmissionTest, ListEditsKeepRateLimitBucketsAndFloodFlags) {
  AbuseSettings s;
  s.per_number_calls = 2;
  s.per_number_refill_s = 600;
  s.flood_short_calls = 2;
  auto a = Make(s);
  EXPECT_FALSE(a->Check("+79161110000", "x"));
  EXPECT_FALSE(a->Check("+79161110000", "x"));
  EXPECT_EQ(a->Check("+79161110000", "x")->status, 486);  // bucket empty
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(a->Check("+79162220000", "x"));
    a->OnCallEnded("+79162220000", std::chrono::seconds(1));
  }
  EXPECT_EQ(a->Check("+79162220000", "x")->status, 603);  // flagged: short calls

  ASSERT_TRUE(a->SetLists({"+79163330000"}, {}).ok());
  EXPECT_EQ(a->Check("+79161110000", "x")->status, 486);  // still empty
  EXPECT_EQ(a->Check("+79162220000", "x")->status, 603);  // still flagged
  std::optional<SipAnswer> blocked = a->Check("+79163330000", "x");
  ASSERT_TRUE(blocked);
  EXPECT_NE(blocked->warning.find("block_listed"), std::string::npos) << blocked->warning;

  ASSERT_TRUE(a->SetLists({}, {}).ok());  // removed again: admitted at once
  EXPECT_FALSE(a->Check("+79163330000", "x"));
  EXPECT_EQ(a->Check("+79161110000", "x")->status, 486);
}

}  // namespace
}  // namespace gosline::telephony
