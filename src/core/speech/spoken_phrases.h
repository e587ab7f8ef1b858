// Turning what a recogniser heard into what the IVR asked for: which intent a
// text names (by its phrases and synonyms), whether it is "yes" or "no", and
// the digits of a number said digit by digit. Pure text matching; the
// phrases are lower case words, as recognisers write them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gosline {

// Lower case (ASCII and Cyrillic), punctuation to spaces, single spaces.
std::string NormalisePhrase(std::string_view text);

// The intent with a phrase found in `text` as whole words; the longest such
// phrase wins (so "tax certificate" beats "certificate"), ties by intent id.
// nullopt when no phrase is found.
std::optional<std::string> MatchIntent(
    std::string_view text, const std::map<std::string, std::vector<std::string>>& phrases);

// Words for "yes" and "no" in a language ("en", "ru"); empty for others.
const std::vector<std::string>& YesPhrases(std::string_view language);
const std::vector<std::string>& NoPhrases(std::string_view language);

// The words for the ten digits in a language ("zero".."nine", "ноль".."девять"),
// index = digit; empty for a language without them.
const std::vector<std::string>& DigitWords(std::string_view language);
// "one two three" -> "123"; nullopt when a word is not a digit or nothing was said.
std::optional<std::string> DigitsFromWords(std::string_view text, std::string_view language);

}  // namespace gosline
