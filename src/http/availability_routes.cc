#include "http/availability_routes.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/stats/availability.h"

namespace gosline::http {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month;

// "2026-12" -> the month; nullopt when malformed.
std::optional<year_month> ParseMonth(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  char tail = 0;
  if (text.size() != 7 || std::sscanf(text.c_str(), "%4d-%2u%c", &y, &m, &tail) != 2) {
    return std::nullopt;
  }
  const year_month ym{std::chrono::year{y}, std::chrono::month{m}};
  if (!ym.ok() || y < 2000 || y > 2200) return std::nullopt;
  return ym;
}

HttpResponse Availability(const AvailabilitySource& s, const HttpRequest& request) {
  if (s.probes == nullptr || s.clock == nullptr) {
    return ErrorResponse(503, "unavailable",
                         "line probing is off on this node (cluster.probe_target)");
  }
  std::optional<std::string> month_text;
  for (const auto& [name, value] : request.query) {
    if (name != "month") return ErrorResponse(400, "invalid_argument", "unknown parameter " + name, name);
    if (month_text) return ErrorResponse(400, "invalid_argument", "month is given twice", "month");
    month_text = value;
  }
  const Time now = s.clock->Now();
  year_month month;
  if (month_text) {
    auto parsed = ParseMonth(*month_text);
    if (!parsed) return ErrorResponse(400, "invalid_argument", "month must be YYYY-MM", "month");
    month = *parsed;
  } else {
    const std::chrono::year_month_day today{std::chrono::floor<days>(now + s.utc_offset)};
    month = today.year() / today.month();
  }
  const Time from = Time(sys_days(month / 1)) - s.utc_offset;
  const Time end = Time(sys_days((month + std::chrono::months(1)) / 1)) - s.utc_offset;
  const Time to = std::min(end, now);
  if (to <= from) return ErrorResponse(400, "invalid_argument", "month is in the future", "month");
  auto probes = s.probes->Read(from, to);
  if (!probes.ok()) return ErrorResponse(probes.status());
  const stats::AvailabilityReport r = stats::ComputeAvailability(*probes, from, to, s.probe_interval);
  json nodes = json::array();
  for (const auto& n : r.nodes) {
    nodes.push_back({{"node", n.node},
                     {"availability", n.availability},
                     {"counted_seconds", n.counted.count() / 1000},
                     {"up_seconds", n.up.count() / 1000},
                     {"probes", n.probes},
                     {"failed_probes", n.failed_probes}});
  }
  char month_name[16];
  std::snprintf(month_name, sizeof month_name, "%04d-%02u", static_cast<int>(month.year()),
                static_cast<unsigned>(month.month()));
  return JsonResponse(
      200, {{"month", month_name},
            {"from", FormatIso8601(from)},
            {"to", FormatIso8601(to)},
            {"complete", to == end},
            {"probe_interval_seconds", s.probe_interval.count() / 1000},
            {"target", r.target},
            {"line", {{"availability", r.availability ? json(*r.availability) : json(nullptr)},
                      {"counted_seconds", r.counted.count() / 1000},
                      {"up_seconds", r.up.count() / 1000},
                      {"meets_target", r.availability ? json(*r.availability >= r.target)
                                                      : json(nullptr)}}},
            {"nodes", std::move(nodes)}});
}

}  // namespace

Status AddAvailabilityRoutes(Router& router, AvailabilitySource source) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kAvailabilityPath;
  route.role = Role::kSupervisor;
  route.scope = "reports:read";
  route.doc = {.operation_id = "getAvailability",
               .summary = "The month's availability of the line and of each node, from the "
                          "probes through the SIP front (R4)",
               .tag = "reports",
               .query = {{.name = "month", .description = "YYYY-MM, line local time; default "
                                                          "this month so far"}},
               .errors = {400, 503}};
  route.handler = [source](const HttpRequest& request) { return Availability(source, request); };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
