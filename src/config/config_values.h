// The small text formats inside the config file, parsed without YAML so they
// can be tested on their own. Each returns nullopt when the text is not in its
// format; the loader turns that into a file:line error saying what was expected.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/business_calendar.h"

namespace gosline::config_values {

// "HH:MM-HH:MM" (close may be "24:00", close after open) or "closed".
std::optional<DailyHours> ParseDailyHours(std::string_view text);
// "+03:00", "-01:30", "+00:00"; from -12:00 to +14:00.
std::optional<std::chrono::minutes> ParseUtcOffset(std::string_view text);
// "2026-01-01", a real calendar date.
std::optional<std::chrono::sys_days> ParseDate(std::string_view text);
// Whole decimal number with optional leading '-', no spaces, no '+', no fractions.
std::optional<long long> ParseInteger(std::string_view text);
// Digits or '+' then digits, 2..15 digits (E.164 maximum): "115", "88001007010", "+74957274747".
bool IsDialledNumber(std::string_view text);
// What a caller keys to jump to a topic (R5): 1-4 digits.
bool IsServiceCode(std::string_view text);
// Federal subject code: two digits, "01".."99".
bool IsRegionCode(std::string_view text);
// Language code: two lowercase letters ("ru", "en", "tt").
bool IsLanguageCode(std::string_view text);
// An id others refer to: starts with a letter or digit; letters, digits, '_', '-'.
bool IsIdentifier(std::string_view text);

// yaml-cpp counts columns in bytes; people and editors count characters. Turns
// 1-based byte column `byte_column` on 1-based `line` of UTF-8 `text` into a
// 1-based character column (unchanged when the line is not there).
int CharacterColumn(std::string_view text, int line, int byte_column);

// The candidate closest to `word` by edit distance, when it is close enough to
// be a likely typo ("servce_code" -> "service_code"); empty otherwise.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace gosline::config_values
