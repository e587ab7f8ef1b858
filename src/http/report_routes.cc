#include "http/report_routes.h"

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using nlohmann::json;

json Seconds(const std::optional<Duration>& d) {
  if (!d) return nullptr;
  return static_cast<double>(d->count()) / 1000.0;
}
json Ratio(const std::optional<double>& r) { return r ? json(*r) : json(nullptr); }

json FiguresJson(const stats::ReportFigures& f) {
  return {{"key", f.key},
          {"calls", f.calls},
          {"offered", f.offered},
          {"answered", f.answered},
          {"abandoned", f.abandoned},
          {"short_abandoned", f.short_abandoned},
          {"answered_in_service_level", f.answered_in_sl},
          {"service_level", Ratio(f.service_level)},
          {"abandon_rate", Ratio(f.abandon_rate)},
          {"avg_wait_seconds", Seconds(f.avg_wait)},
          {"avg_handle_seconds", Seconds(f.avg_handle_time)},
          {"first_contact_resolution", Ratio(f.first_contact_resolution)},
          {"repeat_contacts", f.repeat_contacts}};
}

// The single value of a query parameter; a repeated one is refused.
Result<std::optional<std::string>> Param(const QueryParams& q, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& [k, v] : q) {
    if (k != name) continue;
    if (value) return Status::InvalidArgument(name + " is given twice", name);
    value = v;
  }
  return value;
}

Result<stats::ReportOptions> OptionsFrom(const QueryParams& q) {
  for (const auto& [k, v] : q) {
    if (k != "from" && k != "to" && k != "group_by") {
      return Status::InvalidArgument("unknown parameter " + k, k);
    }
  }
  stats::ReportOptions o;
  for (const char* name : {"from", "to"}) {
    GOSLINE_ASSIGN_OR_RETURN(auto v, Param(q, name));
    if (!v) return Status::InvalidArgument(std::string(name) + " is required", name);
    auto t = ParseIso8601(*v);
    if (!t) return Status::InvalidArgument(std::string(name) + " is not an ISO 8601 time", name);
    (std::string_view(name) == "from" ? o.from : o.to) = *t;
  }
  GOSLINE_ASSIGN_OR_RETURN(auto g, Param(q, "group_by"));
  if (g) {
    auto grouping = stats::ReportGroupingFromString(*g);
    if (!grouping) {
      return Status::InvalidArgument("group_by must be queue, topic, region or hour", "group_by");
    }
    o.group_by = *grouping;
  }
  GOSLINE_RETURN_IF_ERROR(stats::ValidateReportOptions(o));
  return o;
}

}  // namespace

Status AddReportRoutes(Router& router, ReportCallSource source) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kReportSummaryPath;
  route.role = Role::kSupervisor;
  route.scope = "reports:read";
  route.doc = {.operation_id = "getReportSummary",
               .summary = "Offered, answered, abandoned, service level, average wait and handle "
                          "time, first-contact resolution and repeat contacts (R18)",
               .tag = "reports",
               .query = {{.name = "from", .format = "date-time", .description = "inclusive",
                          .required = true},
                         {.name = "to", .format = "date-time", .description = "exclusive",
                          .required = true},
                         {.name = "group_by", .description = "default queue",
                          .enum_values = {"queue", "topic", "region", "hour"}}},
               .errors = {400, 413}};
  route.handler = [source = std::move(source)](const HttpRequest& req) {
    Result<stats::ReportOptions> o = OptionsFrom(req.query);
    if (!o.ok()) return ErrorResponse(o.status());
    // Repeat contacts and resolution look 7 days either side of the range.
    Result<std::vector<stats::ReportCall>> rows =
        source(o->from - o->repeat_window, o->to + o->repeat_window);
    if (!rows.ok()) return ErrorResponse(rows.status());
    const stats::ReportSummary s = stats::Summarize(*rows, *o);
    json groups = json::array();
    for (const auto& g : s.groups) groups.push_back(FiguresJson(g));
    static constexpr const char* kGroupNames[] = {"queue", "topic", "region", "hour"};
    return JsonResponse(200, {{"from", FormatIso8601(o->from)},
                              {"to", FormatIso8601(o->to)},
                              {"group_by", kGroupNames[static_cast<int>(o->group_by)]},
                              {"service_level_threshold_seconds",
                               o->service_level_threshold.count() / 1000},
                              {"groups", std::move(groups)},
                              {"total", FiguresJson(s.total)}});
  };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
