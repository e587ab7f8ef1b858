#include "core/ivr/ivr_digit_collector.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

IvrDigitInput CaseNumberInput() { return IvrDigitInput{10, 10, '#', Duration{8000}, Duration{4000}}; }

TEST(IvrDigitCollectorTest, R16_CompletesAtMaxDigitsWithoutTerminator) {
  const IvrDigitInput in = CaseNumberInput();
  std::string got;
  for (char c : std::string("000000042")) EXPECT_EQ(OnEntryKey(in, got, c), DigitEntry::kNeedMore);
  EXPECT_EQ(OnEntryKey(in, got, '1'), DigitEntry::kComplete);
  EXPECT_EQ(got, "0000000421");
}

TEST(IvrDigitCollectorTest, R5_TerminatorEndsAnEntryLongEnough) {
  const IvrDigitInput in{1, 4, '#', Duration{5000}, Duration{3000}};
  std::string got;
  EXPECT_EQ(OnEntryKey(in, got, '#'), DigitEntry::kInvalid);  // nothing keyed yet
  EXPECT_EQ(OnEntryKey(in, got, '1'), DigitEntry::kNeedMore);
  EXPECT_EQ(OnEntryKey(in, got, '2'), DigitEntry::kNeedMore);
  EXPECT_EQ(OnEntryKey(in, got, '#'), DigitEntry::kComplete);
  EXPECT_EQ(got, "12");
}

TEST(IvrDigitCollectorTest, R5_StarOrLetterIsInvalidInsideAnEntry) {
  const IvrDigitInput in{1, 4, '#', Duration{5000}, Duration{3000}};
  std::string got = "1";
  EXPECT_EQ(OnEntryKey(in, got, '*'), DigitEntry::kInvalid);
  EXPECT_EQ(OnEntryKey(in, got, 'A'), DigitEntry::kInvalid);
  EXPECT_EQ(got, "1");
}

TEST(IvrDigitCollectorTest, R5_TimeoutMeansNoInputShortOrComplete) {
  const IvrDigitInput in{2, 4, '#', Duration{5000}, Duration{3000}};
  EXPECT_EQ(OnEntryTimeout(in, ""), DigitEntry::kNoInput);
  EXPECT_EQ(OnEntryTimeout(in, "1"), DigitEntry::kInvalid);
  EXPECT_EQ(OnEntryTimeout(in, "12"), DigitEntry::kComplete);
  EXPECT_EQ(EntryTimeout(in, ""), Duration{5000});
  EXPECT_EQ(EntryTimeout(in, "1"), Duration{3000});
}

TEST(IvrDigitCollectorTest, R5_NoTerminatorConfiguredTreatsHashAsWrongKey) {
  const IvrDigitInput in{1, 3, 0, Duration{5000}, Duration{3000}};
  std::string got = "12";
  EXPECT_EQ(OnEntryKey(in, got, '#'), DigitEntry::kInvalid);
}

}  // namespace
}  // namespace gosline
