// CallSetupSlot: what new calls are answered with, replaced whole while
// calls in progress keep theirs (configuration applied live).
#include "telephony/call_setup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace gosline::telephony {
namespace {

std::shared_ptr<const CallSetup> MakeSetup(std::vector<std::string> numbers, std::string greeting) {
  auto prompts = PromptLibrary::Load({}, "/nonexistent");  // no prompts: nothing to make
  EXPECT_TRUE(prompts.ok());
  return std::make_shared<const CallSetup>(CallSetup{
      DialledNumbers(numbers),
      [greeting] { return std::make_unique<GreetingCallFlow>(greeting); }, *prompts});
}

TEST(CallSetupTest, ANumberAddedAnswersANumberRemovedDoesNotCallsInProgressKeepTheirs) {
  CallSetupSlot slot;
  EXPECT_EQ(slot.Current(), nullptr);
  slot.Replace(MakeSetup({"115", "8-800-100-70-10"}, "old"));
  const std::shared_ptr<const CallSetup> in_progress = slot.Current();
  EXPECT_TRUE(in_progress->numbers.Contains("88001007010"));
  EXPECT_FALSE(in_progress->numbers.Contains("122"));

  slot.Replace(MakeSetup({"115", "+7 (122)"}, "new"));
  const std::shared_ptr<const CallSetup> next = slot.Current();
  EXPECT_TRUE(next->numbers.Contains("7122"));
  EXPECT_FALSE(next->numbers.Contains("88001007010"));  // removed: like any unknown number
  EXPECT_TRUE(next->numbers.Contains("115;phone-context=+7"));
  // The call admitted before the change still has its numbers, flow and prompts.
  EXPECT_TRUE(in_progress->numbers.Contains("88001007010"));
  EXPECT_NE(in_progress->prompts, next->prompts);
  ASSERT_NE(in_progress->make_flow(), nullptr);
}

// The SIP thread reads per INVITE while the editor replaces: every read sees
// one whole setup, never a mix (run under ASan/UBSan in the sanitizer build).
TEST(CallSetupTest, ReadersAlwaysSeeAWholeSetupWhileItIsReplaced) {
  CallSetupSlot slot;
  slot.Replace(MakeSetup({"100"}, "a"));
  std::atomic<bool> done{false};
  std::atomic<int> mixed{0};
  std::thread reader([&] {
    for (int i = 0; i < 20000 && !done.load(); ++i) {
      std::shared_ptr<const CallSetup> s = slot.Current();
      if (s->numbers.Contains("100") == s->numbers.Contains("200")) ++mixed;
    }
  });
  for (int i = 0; i < 200; ++i) slot.Replace(MakeSetup({i % 2 ? "200" : "100"}, "b"));
  done = true;
  reader.join();
  EXPECT_EQ(mixed.load(), 0);
}

}  // namespace
}  // namespace gosline::telephony
