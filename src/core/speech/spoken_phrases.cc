#include "core/speech/spoken_phrases.h"

#include <array>
#include <sstream>

namespace gosline {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Whether `phrase` occurs in `words` as consecutive whole words.
bool Contains(const std::vector<std::string>& words, const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > words.size()) return false;
  for (size_t i = 0; i + phrase.size() <= words.size(); ++i) {
    bool all = true;
    for (size_t j = 0; j < phrase.size() && all; ++j) all = words[i + j] == phrase[j];
    if (all) return true;
  }
  return false;
}

}  // namespace

std::string NormalisePhrase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = true;  // no leading space
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xD0 && i + 1 < text.size()) {  // Cyrillic А-П, Р-Я, Ё
      const auto n = static_cast<unsigned char>(text[i + 1]);
      ++i;
      space = false;
      if (n >= 0x90 && n <= 0x9F) {
        out += static_cast<char>(0xD0);
        out += static_cast<char>(n + 0x20);
      } else if (n >= 0xA0 && n <= 0xAF) {
        out += static_cast<char>(0xD1);
        out += static_cast<char>(n - 0x20);
      } else if (n == 0x81) {
        out += static_cast<char>(0xD1);
        out += static_cast<char>(0x91);
      } else {
        out += static_cast<char>(c);
        out += static_cast<char>(n);
      }
      continue;
    }
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') {
      out += static_cast<char>(c);
      space = false;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
      space = false;
    } else if (!space) {
      out += ' ';
      space = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<std::string> MatchIntent(
    std::string_view text, const std::map<std::string, std::vector<std::string>>& phrases) {
  const std::vector<std::string> words = Words(NormalisePhrase(text));
  std::optional<std::string> best;
  size_t best_len = 0;
  for (const auto& [intent, list] : phrases) {
    for (const std::string& phrase : list) {
      const std::vector<std::string> p = Words(NormalisePhrase(phrase));
      if (p.size() > best_len && Contains(words, p)) {
        best = intent;
        best_len = p.size();
      }
    }
  }
  return best;
}

const std::vector<std::string>& YesPhrases(std::string_view language) {
  static const std::vector<std::string> kEn{"yes", "yeah", "correct", "right"};
  static const std::vector<std::string> kRu{"да", "верно", "правильно"};
  static const std::vector<std::string> kNone;
  if (language == "en") return kEn;
  if (language == "ru") return kRu;
  return kNone;
}

const std::vector<std::string>& NoPhrases(std::string_view language) {
  static const std::vector<std::string> kEn{"no", "nope", "wrong"};
  static const std::vector<std::string> kRu{"нет", "неверно"};
  static const std::vector<std::string> kNone;
  if (language == "en") return kEn;
  if (language == "ru") return kRu;
  return kNone;
}

const std::vector<std::string>& DigitWords(std::string_view language) {
  static const std::vector<std::string> kEn{"zero", "one", "two",   "three", "four",
                                            "five", "six", "seven", "eight", "nine"};
  static const std::vector<std::string> kRu{"ноль", "один", "два",  "три",    "четыре",
                                            "пять", "шесть", "семь", "восемь", "девять"};
  static const std::vector<std::string> kNone;
  if (language == "en") return kEn;
  if (language == "ru") return kRu;
  return kNone;
}

std::optional<std::string> DigitsFromWords(std::string_view text, std::string_view language) {
  const std::vector<std::string>& names = DigitWords(language);
  std::string digits;
  for (const std::string& w : Words(NormalisePhrase(text))) {
    bool found = false;
    for (size_t d = 0; d < names.size() && !found; ++d) {
      if (names[d] == w) {
        digits += static_cast<char>('0' + d);
        found = true;
      }
    }
    if (!found && language == "en" && w == "oh") {  // "oh" for zero, as people say it
      digits += '0';
      found = true;
    }
    if (!found) return std::nullopt;
  }
  if (digits.empty()) return std::nullopt;
  return digits;
}

}  // namespace gosline
