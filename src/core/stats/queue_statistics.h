// Live per-queue statistics for the wallboard (R18): offered, answered,
// abandoned and service level over a sliding window and since local midnight.
// Pure: every event carries its time; nothing here reads a clock.
//
// Which calls count:
//  - offered   = every CallQueued;
//  - answered  = every CallAnswered; "in service level" when waited <= threshold;
//  - abandoned = CallAbandoned with waited >= short_abandon (default 5 s); callers
//    who hang up sooner (misdials, IVR slips) are not counted anywhere except offered.
//  - service level = answered within threshold / (answered + counted abandoned),
//    nullopt when that denominator is zero.
// A call is placed in the window/day by the time of the event that ends its
// wait (answer/abandon), the queued count by the time it entered; average and
// median wait are over answered calls (ASA), average talk over CallEnded.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/time.h"

namespace gosline::stats {

struct StatsConfig {
  Duration service_level_threshold{std::chrono::seconds(30)};
  Duration window{std::chrono::minutes(15)};
  // Local time = UTC + day_offset; "today" starts at local midnight (Moscow: +3 h).
  Duration day_offset{std::chrono::hours(3)};
  // Abandoned calls that waited less than this are not counted as abandoned.
  Duration short_abandon{std::chrono::seconds(5)};
};

struct QueueFigures {
  size_t offered_window = 0, answered_window = 0, abandoned_window = 0, answered_in_sl_window = 0;
  std::optional<double> service_level_window;  // answered within SL / (answered + abandoned)
  size_t offered_today = 0, answered_today = 0, abandoned_today = 0, answered_in_sl_today = 0;
  std::optional<double> service_level_today;
  std::optional<Duration> avg_wait_today, median_wait_today, avg_talk_today;

  bool operator==(const QueueFigures&) const = default;
};

class QueueStatistics {
 public:
  explicit QueueStatistics(StatsConfig c = {});

  void CallQueued(std::string_view queue, Time at);
  void CallAnswered(std::string_view queue, Duration waited, Time at);
  void CallAbandoned(std::string_view queue, Duration waited, Time at);
  void CallEnded(std::string_view queue, Duration talk, Time at);

  QueueFigures Figures(std::string_view queue, Time now) const;
  std::vector<std::pair<std::string, QueueFigures>> All(Time now) const;

  const StatsConfig& config() const { return config_; }

 private:
  enum class Kind { kQueued, kAnswered, kAbandoned, kEnded };
  struct Event {
    Kind kind;
    Time at;
    Duration value;  // waited (answered/abandoned) or talk (ended)
  };
  struct QueueLog {
    std::deque<Event> events;  // in arrival order; pruned to the current day and window
  };

  // Start of the local day containing t, as a UTC instant.
  Time DayStart(Time t) const;
  void Add(std::string_view queue, Event e);
  QueueFigures Compute(const QueueLog& log, Time now) const;

  StatsConfig config_;
  std::map<std::string, QueueLog, std::less<>> queues_;
};

}  // namespace gosline::stats
