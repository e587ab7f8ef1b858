#include "core/common/time.h"

#include <cstdio>

namespace gosline {
namespace {

// Reads exactly n decimal digits at text[pos]; -1 if any is not a digit.
int ReadDigits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char ch = text[i];
    if (ch < '0' || ch > '9') return -1;
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace

std::string FormatIso8601(Time t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<milliseconds> tod(t - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()), static_cast<int>(tod.subseconds().count()));
  return buf;
}

std::optional<Time> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  // Date part: YYYY-MM-DD.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = ReadDigits(text, 0, 4);
  const int mo = ReadDigits(text, 5, 2);
  const int d = ReadDigits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const sys_days date{ymd};
  if (text.size() == 10) return Time(date);

  // Time part: THH:MM:SS[.fff...]
  if (text.size() < 19 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const int hh = ReadDigits(text, 11, 2);
  const int mm = ReadDigits(text, 14, 2);
  const int ss = ReadDigits(text, 17, 2);
  if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int scale = 100;
    // Keep millisecond precision; further digits are truncated. Bounded to 9.
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 9) {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }

  // Zone: Z or ±HH:MM.
  if (pos >= text.size()) return std::nullopt;
  int offset_minutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    if (pos + 6 != text.size() || text[pos + 3] != ':') return std::nullopt;
    const int oh = ReadDigits(text, pos + 1, 2);
    const int om = ReadDigits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  // Local wall time minus its offset gives UTC.
  const Time utc = Time(date) + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{millis} -
                   minutes{offset_minutes};
  // An offset can carry a time at either end of the calendar out of years
  // 0000-9999 in UTC ("9999-12-31T23:59:59-01:00"), which FormatIso8601 would
  // write as a year this parser refuses: an exported case could then not be
  // imported again. Such times are refused here instead.
  constexpr sys_days kFirstDay{year{0} / January / 1};
  constexpr sys_days kPastLastDay{year{10000} / January / 1};
  if (utc < Time(kFirstDay) || utc >= Time(kPastLastDay)) return std::nullopt;
  return utc;
}

}  // namespace gosline
