#include "core/speech/spoken_phrases.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

TEST(SpokenPhrasesTest, NormalisesCaseAndPunctuation) {
  EXPECT_EQ(NormalisePhrase("  A Certificate, please! "), "a certificate please");
  EXPECT_EQ(NormalisePhrase("СПРАВКА Ёлка"), "справка ёлка");
  EXPECT_EQ(NormalisePhrase(""), "");
}

TEST(SpokenPhrasesTest, MatchesIntentByWholeWordsLongestPhraseFirst) {
  const std::map<std::string, std::vector<std::string>> phrases{
      {"certificates", {"certificate", "certificates"}},
      {"tax", {"tax", "tax certificate"}},
      {"pension", {"pension"}}};
  EXPECT_EQ(MatchIntent("certificate", phrases), "certificates");
  EXPECT_EQ(MatchIntent("i need a certificate please", phrases), "certificates");
  EXPECT_EQ(MatchIntent("tax certificate", phrases), "tax");  // longer phrase wins
  EXPECT_EQ(MatchIntent("taxes", phrases), std::nullopt);     // whole words only
  EXPECT_EQ(MatchIntent("", phrases), std::nullopt);
  EXPECT_EQ(MatchIntent("PENSION", phrases), "pension");
}

TEST(SpokenPhrasesTest, DigitsSaidOneByOne) {
  EXPECT_EQ(DigitsFromWords("one two three oh nine", "en"), "12309");
  EXPECT_EQ(DigitsFromWords("ноль один девять", "ru"), "019");
  EXPECT_EQ(DigitsFromWords("one banana", "en"), std::nullopt);
  EXPECT_EQ(DigitsFromWords("", "en"), std::nullopt);
  EXPECT_EQ(DigitsFromWords("one", "de"), std::nullopt);
}

TEST(SpokenPhrasesTest, YesAndNoPerLanguage) {
  EXPECT_FALSE(YesPhrases("en").empty());
  EXPECT_FALSE(NoPhrases("ru").empty());
  EXPECT_TRUE(YesPhrases("xx").empty());
}

}  // namespace
}  // namespace gosline
