#include "config/config_values.h"

#include <algorithm>
#include <charconv>

namespace gosline::config_values {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z'); }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// Exactly `width` digits as a number, or -1.
int FixedDigits(std::string_view s, size_t width) {
  if (s.size() != width || !AllDigits(s)) return -1;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "HH:MM" as minutes from midnight; 24:00 allowed only when `allow_end_of_day`.
std::optional<int> ParseClock(std::string_view s, bool allow_end_of_day) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const int h = FixedDigits(s.substr(0, 2), 2);
  const int m = FixedDigits(s.substr(3, 2), 2);
  if (h < 0 || m < 0 || m > 59) return std::nullopt;
  if (h == 24 && m == 0 && allow_end_of_day) return 24 * 60;
  if (h > 23) return std::nullopt;
  return h * 60 + m;
}

// Optimal string alignment distance: insertions, deletions, substitutions and
// swaps of neighbours ("agnecy"), the usual typing mistakes, each cost 1.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<DailyHours> ParseDailyHours(std::string_view text) {
  if (text == "closed") return DailyHours{};
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  const auto open = ParseClock(text.substr(0, 5), false);
  const auto close = ParseClock(text.substr(6, 5), true);
  if (!open || !close || *close <= *open) return std::nullopt;
  return DailyHours{*open, *close};
}

std::optional<std::chrono::minutes> ParseUtcOffset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  const int h = FixedDigits(text.substr(1, 2), 2);
  const int m = FixedDigits(text.substr(4, 2), 2);
  if (h < 0 || m < 0 || m > 59) return std::nullopt;
  const int total = h * 60 + m;
  const int sign = text[0] == '-' ? -1 : 1;
  if ((sign > 0 && total > 14 * 60) || (sign < 0 && total > 12 * 60)) return std::nullopt;
  return std::chrono::minutes(sign * total);
}

std::optional<std::chrono::sys_days> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = FixedDigits(text.substr(0, 4), 4);
  const int m = FixedDigits(text.substr(5, 2), 2);
  const int d = FixedDigits(text.substr(8, 2), 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y),
                                        std::chrono::month(static_cast<unsigned>(m)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::optional<long long> ParseInteger(std::string_view text) {
  long long v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

bool IsDialledNumber(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  return AllDigits(text) && text.size() >= 2 && text.size() <= 15;
}

bool IsServiceCode(std::string_view text) { return AllDigits(text) && text.size() <= 4; }

bool IsRegionCode(std::string_view text) { return FixedDigits(text, 2) >= 1; }

bool IsLanguageCode(std::string_view text) {
  return text.size() == 2 && IsLower(text[0]) && IsLower(text[1]);
}

bool IsIdentifier(std::string_view text) {
  if (text.empty() || !IsAlnum(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return IsAlnum(c) || c == '_' || c == '-'; });
}

int CharacterColumn(std::string_view text, int line, int byte_column) {
  if (line < 1 || byte_column < 1) return byte_column;
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return byte_column;
    ++start;
  }
  const std::string_view before = text.substr(start, static_cast<size_t>(byte_column - 1));
  // Count the bytes that start a character: all but UTF-8 continuation bytes.
  const auto chars = std::count_if(before.begin(), before.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return static_cast<int>(chars) + 1;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  // One edit per four letters, at least one: "servce_code" matches, "colour" vs "name" does not.
  const size_t limit = std::max<size_t>(1, word.size() / 4);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace gosline::config_values
