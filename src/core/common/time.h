// Time as the core sees it: a UTC instant with millisecond resolution, always
// passed in by the caller. The core never reads a clock (see README, design).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gosline {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;
using Duration = std::chrono::milliseconds;

inline int64_t ToUnixMillis(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnixMillis(int64_t ms) { return Time(Duration(ms)); }

// RFC 3339 / ISO 8601 in UTC with milliseconds: "2026-11-25T09:30:00.000Z".
std::string FormatIso8601(Time t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" and "YYYY-MM-DD" (midnight UTC).
std::optional<Time> ParseIso8601(std::string_view text);

}  // namespace gosline
