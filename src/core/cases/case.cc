#include "core/cases/case.h"

#include <array>
#include <utility>

namespace gosline {
namespace {

// One table per enum keeps names and parsing in step.
constexpr std::array<std::pair<Channel, std::string_view>, 4> kChannels{{
    {Channel::kCall, "call"},
    {Channel::kChat, "chat"},
    {Channel::kApp, "app"},
    {Channel::kCallback, "callback"},
}};
constexpr std::array<std::pair<CaseStatus, std::string_view>, 6> kStatuses{{
    {CaseStatus::kNew, "new"},
    {CaseStatus::kInProgress, "in_progress"},
    {CaseStatus::kEscalated, "escalated"},
    {CaseStatus::kWaitingCitizen, "waiting_citizen"},
    {CaseStatus::kResolved, "resolved"},
    {CaseStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<Priority, std::string_view>, 4> kPriorities{{
    {Priority::kLow, "low"},
    {Priority::kNormal, "normal"},
    {Priority::kHigh, "high"},
    {Priority::kUrgent, "urgent"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(Channel c) { return NameOf(kChannels, c); }
std::string_view ToString(CaseStatus s) { return NameOf(kStatuses, s); }
std::string_view ToString(Priority p) { return NameOf(kPriorities, p); }
std::optional<Channel> ParseChannel(std::string_view s) { return ValueOf(kChannels, s); }
std::optional<CaseStatus> ParseCaseStatus(std::string_view s) { return ValueOf(kStatuses, s); }
std::optional<Priority> ParsePriority(std::string_view s) { return ValueOf(kPriorities, s); }

}  // namespace gosline
