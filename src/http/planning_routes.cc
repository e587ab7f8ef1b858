#include "http/planning_routes.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/planning/erlang.h"

namespace gosline::http {
namespace {

using nlohmann::json;

// The parameters, each at most once, each a finite number.
Result<std::map<std::string, double>> Numbers(const QueryParams& query) {
  static const std::map<std::string, bool> kKnown = {
      {"calls", true},           {"interval_minutes", false}, {"handle_seconds", true},
      {"patience_seconds", false}, {"service_level", false},  {"within_seconds", false},
      {"max_occupancy", false},  {"max_abandon_rate", false}};
  std::map<std::string, double> out;
  for (const auto& [name, text] : query) {
    if (!kKnown.count(name)) return Status::InvalidArgument("unknown parameter " + name, name);
    if (out.count(name)) return Status::InvalidArgument(name + " is given twice", name);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
      return Status::InvalidArgument(name + " must be a number", name);
    }
    out[name] = v;
  }
  for (const auto& [name, required] : kKnown) {
    if (required && !out.count(name)) return Status::InvalidArgument(name + " is required", name);
  }
  return out;
}

json FiguresJson(const planning::StaffingFigures& f) {
  auto finite = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  return {{"operators", f.operators},
          {"service_level", f.service_level},
          {"probability_of_waiting", f.probability_of_waiting},
          {"average_answer_seconds", finite(f.average_answer_seconds)},
          {"average_wait_seconds", finite(f.average_wait_seconds)},
          {"abandon_rate", f.abandon_rate},
          {"occupancy", finite(f.occupancy)}};
}

HttpResponse Staffing(const HttpRequest& request) {
  auto numbers = Numbers(request.query);
  if (!numbers.ok()) return ErrorResponse(numbers.status());
  auto get = [&](const char* name, double fallback) {
    auto it = numbers->find(name);
    return it == numbers->end() ? fallback : it->second;
  };
  planning::OfferedLoad load;
  load.calls = get("calls", 0);
  load.interval_seconds = get("interval_minutes", 15) * 60;
  load.handle_seconds = get("handle_seconds", 180);
  if (numbers->count("patience_seconds")) load.patience_seconds = get("patience_seconds", 0);
  planning::StaffingTarget target;
  target.service_level = get("service_level", 0.8);
  target.within_seconds = get("within_seconds", 30);
  target.max_occupancy = get("max_occupancy", 1.0);
  target.max_abandon_rate = get("max_abandon_rate", 1.0);
  if (load.interval_seconds <= 0) {
    return ErrorResponse(Status::InvalidArgument("interval_minutes must be > 0", "interval_minutes"));
  }

  json body = {{"erlangs", load.Erlangs()},
               {"target", {{"service_level", target.service_level},
                           {"within_seconds", target.within_seconds},
                           {"max_occupancy", target.max_occupancy},
                           {"max_abandon_rate", target.max_abandon_rate}}}};
  // Erlang C always (the figure planners compare with), Erlang A when
  // callers' patience is known.
  planning::OfferedLoad patient = load;
  patient.patience_seconds.reset();
  auto c = planning::OperatorsNeeded(patient, target);
  if (!c.ok()) return ErrorResponse(c.status());
  body["erlang_c"] = FiguresJson(*c);
  if (load.patience_seconds) {
    auto a = planning::OperatorsNeeded(load, target);
    if (!a.ok()) return ErrorResponse(a.status());
    body["erlang_a"] = FiguresJson(*a);
  } else {
    body["erlang_a"] = nullptr;
  }
  return JsonResponse(200, body);
}

}  // namespace

Status AddPlanningRoutes(Router& router) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kStaffingPath;
  route.role = Role::kSupervisor;
  route.scope = "reports:read";
  route.doc = {
      .operation_id = "getStaffing",
      .summary = "Operators an interval needs for a service-level target, by Erlang C and "
                 "(with patience_seconds) Erlang A",
      .tag = "reports",
      .query = {{.name = "calls", .description = "calls arriving in the interval", .required = true},
                {.name = "interval_minutes", .description = "default 15"},
                {.name = "handle_seconds", .description = "average handle time", .required = true},
                {.name = "patience_seconds",
                 .description = "average patience before hanging up; enables Erlang A"},
                {.name = "service_level", .description = "target share, default 0.8"},
                {.name = "within_seconds", .description = "threshold, default 30"},
                {.name = "max_occupancy", .description = "default 1 (no bound)"},
                {.name = "max_abandon_rate", .description = "Erlang A only; default 1 (no bound)"}},
      .errors = {400}};
  route.handler = &Staffing;
  return router.Add(std::move(route));
}

}  // namespace gosline::http
