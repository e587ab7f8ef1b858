#include "core/cases/case_number.h"

#include <gtest/gtest.h>

#include <random>

namespace gosline {
namespace {

TEST(CaseNumber, KnownDammCheckDigit) {
  // The worked example from Damm's algorithm descriptions: 572 -> 4.
  EXPECT_EQ(CaseNumber::CheckDigit("572"), 4);
  EXPECT_TRUE(CaseNumber::CheckDigit("5724") == 0);
}

TEST(CaseNumber, FromSequencePadsToNineDigitsPlusCheck) {
  const std::string n = CaseNumber::FromSequence(421);
  ASSERT_EQ(n.size(), 10u);
  EXPECT_EQ(n.substr(0, 9), "000000421");
  EXPECT_EQ(n[9] - '0', CaseNumber::CheckDigit("000000421"));
  EXPECT_TRUE(CaseNumber::IsValid(n));
  EXPECT_EQ(CaseNumber::FromSequence(CaseNumber::kMaxSequence).substr(0, 9), "999999999");
}

TEST(CaseNumber, FromSequenceOutOfRangeIsEmpty) {
  EXPECT_EQ(CaseNumber::FromSequence(0), "");
  EXPECT_EQ(CaseNumber::FromSequence(-5), "");
  EXPECT_EQ(CaseNumber::FromSequence(CaseNumber::kMaxSequence + 1), "");
}

TEST(CaseNumber, IsValidRejectsWrongShape) {
  const std::string n = CaseNumber::FromSequence(77);
  EXPECT_FALSE(CaseNumber::IsValid(n.substr(0, 9)));
  EXPECT_FALSE(CaseNumber::IsValid(n + "0"));
  EXPECT_FALSE(CaseNumber::IsValid(""));
  EXPECT_FALSE(CaseNumber::IsValid("00000a0771"));
}

TEST(CaseNumber, NormalizeAcceptsDictatedForms) {
  const std::string n = CaseNumber::FromSequence(123456);
  const std::string spaced = n.substr(0, 3) + " " + n.substr(3, 3) + "-" + n.substr(6, 2) + "." +
                             n.substr(8);
  EXPECT_EQ(CaseNumber::Normalize(spaced), n);
  EXPECT_EQ(CaseNumber::Normalize(" " + n + " "), n);
  EXPECT_EQ(CaseNumber::Normalize(n), n);
}

TEST(CaseNumber, NormalizeRejectsInvalid) {
  std::string n = CaseNumber::FromSequence(123456);
  EXPECT_FALSE(CaseNumber::Normalize(n.substr(0, 9)));
  EXPECT_FALSE(CaseNumber::Normalize(n + "/"));
  EXPECT_FALSE(CaseNumber::Normalize("#" + n));
  n[9] = static_cast<char>('0' + (n[9] - '0' + 1) % 10);
  EXPECT_FALSE(CaseNumber::Normalize(n));
  EXPECT_FALSE(CaseNumber::Normalize(""));
  EXPECT_FALSE(CaseNumber::Normalize("--- ..."));
}

// R16 (status by phone): a citizen mis-dictating one digit, or swapping two
// neighbours, must get "no such number" rather than someone else's case.
TEST(CaseNumber, R16_EverySingleDigitErrorIsDetected) {
  std::mt19937_64 rng(20260101);
  std::uniform_int_distribution<int64_t> seq(1, CaseNumber::kMaxSequence);
  for (int round = 0; round < 2000; ++round) {
    const std::string n = CaseNumber::FromSequence(round < 100 ? round + 1 : seq(rng));
    ASSERT_TRUE(CaseNumber::IsValid(n));
    for (size_t pos = 0; pos < n.size(); ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == n[pos]) continue;
        std::string wrong = n;
        wrong[pos] = d;
        EXPECT_FALSE(CaseNumber::IsValid(wrong)) << n << " -> " << wrong;
      }
    }
  }
}

TEST(CaseNumber, R16_EveryAdjacentTranspositionIsDetected) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> seq(1, CaseNumber::kMaxSequence);
  for (int round = 0; round < 5000; ++round) {
    const std::string n = CaseNumber::FromSequence(seq(rng));
    for (size_t pos = 0; pos + 1 < n.size(); ++pos) {
      if (n[pos] == n[pos + 1]) continue;
      std::string swapped = n;
      std::swap(swapped[pos], swapped[pos + 1]);
      EXPECT_FALSE(CaseNumber::IsValid(swapped)) << n << " -> " << swapped;
    }
  }
  // The pair Luhn misses.
  const std::string n = CaseNumber::FromSequence(90);
  std::string swapped = n;
  std::swap(swapped[7], swapped[8]);
  EXPECT_FALSE(CaseNumber::IsValid(swapped));
}

TEST(CaseNumber, ConsecutiveSequencesGiveDistinctNumbers) {
  std::string prev;
  for (int64_t s = 1; s <= 1000; ++s) {
    const std::string n = CaseNumber::FromSequence(s);
    EXPECT_NE(n, prev);
    EXPECT_EQ(std::stoll(n.substr(0, 9)), s);
    prev = n;
  }
}

}  // namespace
}  // namespace gosline
