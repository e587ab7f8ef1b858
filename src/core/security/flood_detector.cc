#include "core/security/flood_detector.h"

#include <algorithm>

namespace gosline::security {
namespace {
constexpr size_t kMaxSourceLength = 64;  // longer source names are cut, to bound memory
}

const char* FloodKindName(FloodKind kind) {
  switch (kind) {
    case FloodKind::kNone: return "none";
    case FloodKind::kShortCalls: return "short_calls";
    case FloodKind::kManySources: return "many_sources";
  }
  return "unknown";
}

FloodDetector::FloodDetector(FloodPolicy policy) : policy_(policy), numbers_(policy.max_tracked) {}

void FloodDetector::Flag(State& s, FloodKind kind, Time now) const {
  s.kind = kind;
  s.flagged_until = std::max(s.flagged_until, now + policy_.flag_for);
}

void FloodDetector::OnAttempt(const std::string& number, std::string_view source, Time now) {
  State& s = numbers_.FindOrInsert(number, [] { return State{}; });
  std::string src(source.substr(0, kMaxSourceLength));
  std::erase_if(s.sources, [&](const auto& e) { return now - e.second >= policy_.sources_window; });
  auto it = std::find_if(s.sources.begin(), s.sources.end(),
                         [&](const auto& e) { return e.first == src; });
  if (it != s.sources.end()) {
    it->second = now;
    return;
  }
  s.sources.emplace_back(std::move(src), now);
  if (s.sources.size() >= policy_.distinct_sources) {
    Flag(s, FloodKind::kManySources, now);
    s.sources.clear();
  }
}

void FloodDetector::OnCallEnded(const std::string& number, Duration talk_time, Time now) {
  if (talk_time >= policy_.short_call_max) return;
  State& s = numbers_.FindOrInsert(number, [] { return State{}; });
  while (!s.short_calls.empty() && now - s.short_calls.front() >= policy_.short_calls_window) {
    s.short_calls.pop_front();
  }
  s.short_calls.push_back(now);
  if (s.short_calls.size() >= policy_.short_calls) {
    Flag(s, FloodKind::kShortCalls, now);
    s.short_calls.clear();
  }
}

FloodKind FloodDetector::Flagged(const std::string& number, Time now) const {
  const State* s = numbers_.Peek(number);
  if (s == nullptr || now >= s->flagged_until) return FloodKind::kNone;
  return s->kind;
}

void FloodDetector::Sweep(Time now) {
  numbers_.EraseIf([&](const std::string&, const State& s) {
    if (now < s.flagged_until) return false;
    bool recent_short = !s.short_calls.empty() &&
                        now - s.short_calls.back() < policy_.short_calls_window;
    bool recent_source = std::any_of(s.sources.begin(), s.sources.end(), [&](const auto& e) {
      return now - e.second < policy_.sources_window;
    });
    return !recent_short && !recent_source;
  });
}

}  // namespace gosline::security
