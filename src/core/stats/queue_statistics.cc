#include "core/stats/queue_statistics.h"

#include <algorithm>

namespace gosline::stats {
namespace {

std::optional<double> Ratio(size_t num, size_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

QueueStatistics::QueueStatistics(StatsConfig c) : config_(c) {}

Time QueueStatistics::DayStart(Time t) const {
  const Time local = t + config_.day_offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  return Time(std::chrono::duration_cast<Duration>(day.time_since_epoch())) - config_.day_offset;
}

void QueueStatistics::Add(std::string_view queue, Event e) {
  auto it = queues_.find(queue);
  if (it == queues_.end()) it = queues_.emplace(std::string(queue), QueueLog{}).first;
  auto& events = it->second.events;
  // Events normally arrive in time order; a late one is put where it belongs.
  auto pos = std::upper_bound(events.begin(), events.end(), e.at,
                              [](Time t, const Event& x) { return t < x.at; });
  events.insert(pos, e);
  // Keep what the current window or the current local day can still need.
  const Time latest = events.back().at;
  const Time keep_from = std::min(DayStart(latest), latest - config_.window);
  while (!events.empty() && events.front().at < keep_from) events.pop_front();
}

void QueueStatistics::CallQueued(std::string_view queue, Time at) {
  Add(queue, {Kind::kQueued, at, Duration::zero()});
}
void QueueStatistics::CallAnswered(std::string_view queue, Duration waited, Time at) {
  Add(queue, {Kind::kAnswered, at, waited});
}
void QueueStatistics::CallAbandoned(std::string_view queue, Duration waited, Time at) {
  Add(queue, {Kind::kAbandoned, at, waited});
}
void QueueStatistics::CallEnded(std::string_view queue, Duration talk, Time at) {
  Add(queue, {Kind::kEnded, at, talk});
}

QueueFigures QueueStatistics::Compute(const QueueLog& log, Time now) const {
  QueueFigures f;
  const Time window_start = now - config_.window;  // exclusive
  const Time day_start = DayStart(now);            // inclusive
  std::vector<Duration> waits_today;
  Duration wait_sum{0}, talk_sum{0};
  size_t talks = 0;
  for (const Event& e : log.events) {
    if (e.at > now) break;
    const bool in_window = e.at > window_start;
    const bool today = e.at >= day_start;
    if (!in_window && !today) continue;
    switch (e.kind) {
      case Kind::kQueued:
        f.offered_window += in_window;
        f.offered_today += today;
        break;
      case Kind::kAnswered: {
        const bool in_sl = e.value <= config_.service_level_threshold;
        f.answered_window += in_window;
        f.answered_today += today;
        f.answered_in_sl_window += in_window && in_sl;
        f.answered_in_sl_today += today && in_sl;
        if (today) {
          waits_today.push_back(e.value);
          wait_sum += e.value;
        }
        break;
      }
      case Kind::kAbandoned:
        if (e.value < config_.short_abandon) break;
        f.abandoned_window += in_window;
        f.abandoned_today += today;
        break;
      case Kind::kEnded:
        if (today) {
          talk_sum += e.value;
          ++talks;
        }
        break;
    }
  }
  f.service_level_window = Ratio(f.answered_in_sl_window, f.answered_window + f.abandoned_window);
  f.service_level_today = Ratio(f.answered_in_sl_today, f.answered_today + f.abandoned_today);
  if (!waits_today.empty()) {
    f.avg_wait_today = wait_sum / static_cast<int64_t>(waits_today.size());
    std::sort(waits_today.begin(), waits_today.end());
    const size_t n = waits_today.size();
    f.median_wait_today =
        n % 2 == 1 ? waits_today[n / 2] : (waits_today[n / 2 - 1] + waits_today[n / 2]) / 2;
  }
  if (talks > 0) f.avg_talk_today = talk_sum / static_cast<int64_t>(talks);
  return f;
}

QueueFigures QueueStatistics::Figures(std::string_view queue, Time now) const {
  auto it = queues_.find(queue);
  if (it == queues_.end()) return QueueFigures{};
  return Compute(it->second, now);
}

std::vector<std::pair<std::string, QueueFigures>> QueueStatistics::All(Time now) const {
  std::vector<std::pair<std::string, QueueFigures>> out;
  out.reserve(queues_.size());
  for (const auto& [name, log] : queues_) out.emplace_back(name, Compute(log, now));
  return out;
}

}  // namespace gosline::stats
