// Flood detection (R25) for one caller number, two patterns:
//  - many short calls: robocalls and "wangiri" that ring and hang up;
//  - one number from many sources: a spoofed number presented by several
//    trunks/peers at once, which one real phone cannot do.
// A detected number stays flagged for `flag_for`. Times are passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/time.h"
#include "core/security/bounded_lru.h"

namespace gosline::security {

struct FloodPolicy {
  uint32_t short_calls = 5;                                  // this many ...
  Duration short_call_max = std::chrono::seconds(10);        // ... calls shorter than this ...
  Duration short_calls_window = std::chrono::minutes(10);    // ... within this
  uint32_t distinct_sources = 4;                             // this many sources ...
  Duration sources_window = std::chrono::minutes(10);        // ... within this
  Duration flag_for = std::chrono::hours(1);
  size_t max_tracked = 100'000;
};

enum class FloodKind { kNone, kShortCalls, kManySources };

const char* FloodKindName(FloodKind kind);

class FloodDetector {
 public:
  explicit FloodDetector(FloodPolicy policy = {});

  // A call from `number` arrives through `source` (trunk, peer address).
  void OnAttempt(const std::string& number, std::string_view source, Time now);
  // A call from `number` ended after `talk_time`.
  void OnCallEnded(const std::string& number, Duration talk_time, Time now);
  FloodKind Flagged(const std::string& number, Time now) const;

  void Sweep(Time now);
  size_t tracked() const { return numbers_.size(); }

 private:
  struct State {
    std::deque<Time> short_calls;                      // at most `short_calls` recent
    std::vector<std::pair<std::string, Time>> sources;  // at most `distinct_sources`
    Time flagged_until{};
    FloodKind kind = FloodKind::kNone;
  };
  void Flag(State& s, FloodKind kind, Time now) const;

  FloodPolicy policy_;
  BoundedLru<State> numbers_;
};

}  // namespace gosline::security
