#include "http/planning_routes.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/planning/erlang.h"
#include "core/planning/forecast.h"

namespace gosline::http {
namespace {

using nlohmann::json;

// The parameters named in `known` (name -> required), each at most once,
// each a finite number; `text_params` are taken as they are into `texts`.
Result<std::map<std::string, double>> Numbers(const QueryParams& query,
                                              const std::map<std::string, bool>& kKnown,
                                              const std::set<std::string>& text_params = {},
                                              std::map<std::string, std::string>* texts = nullptr) {
  std::map<std::string, double> out;
  for (const auto& [name, text] : query) {
    if (text_params.count(name)) {
      if (texts->count(name)) return Status::InvalidArgument(name + " is given twice", name);
      (*texts)[name] = text;
      continue;
    }
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
  static const std::map<std::string, bool> kKnown = {
      {"calls", true},           {"interval_minutes", false}, {"handle_seconds", true},
      {"patience_seconds", false}, {"service_level", false},  {"within_seconds", false},
      {"max_occupancy", false},  {"max_abandon_rate", false}};
  auto numbers = Numbers(request.query, kKnown);
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

// Handle time and patience as the history shows them. Patience by the
// maximum-likelihood estimate for exponential patience with censoring: all
// the time callers spent waiting, divided by the number who gave up.
struct MeasuredCalls {
  std::vector<Time> arrivals;
  std::optional<double> handle_seconds;
  std::optional<double> patience_seconds;
};
MeasuredCalls Measure(const std::vector<stats::ReportCall>& rows, const std::string& topic) {
  MeasuredCalls m;
  double handled = 0, handle_sum = 0, waited_sum = 0, abandoned = 0;
  for (const auto& r : rows) {
    if (!topic.empty() && r.topic != topic) continue;
    m.arrivals.push_back(r.started);
    if (r.outcome == "answered" && r.talk) {
      handled += 1;
      handle_sum += static_cast<double>((*r.talk + r.wrap_up.value_or(Duration{0})).count()) / 1000;
    }
    if (r.wait) waited_sum += static_cast<double>(r.wait->count()) / 1000;
    if (r.outcome == "abandoned") abandoned += 1;
  }
  if (handled > 0) m.handle_seconds = handle_sum / handled;
  if (abandoned > 0 && waited_sum > 0) m.patience_seconds = waited_sum / abandoned;
  return m;
}

HttpResponse ForecastRoute(const PlanningSources& sources, const HttpRequest& request) {
  if (!sources.history || !sources.clock || !sources.config) {
    return ErrorResponse(503, "unavailable", "no call history on this server");
  }
  static const std::map<std::string, bool> kKnown = {
      {"days", false}, {"weeks", false}, {"service_level", false}, {"within_seconds", false},
      {"max_abandon_rate", false}};
  std::map<std::string, std::string> texts;
  auto numbers = Numbers(request.query, kKnown, {"topic"}, &texts);
  if (!numbers.ok()) return ErrorResponse(numbers.status());
  auto get = [&](const char* name, double fallback) {
    auto it = numbers->find(name);
    return it == numbers->end() ? fallback : it->second;
  };
  const std::shared_ptr<const Config> config = sources.config();
  const std::string topic = texts.count("topic") ? texts["topic"] : "";
  if (!topic.empty() && config->FindTopic(topic) == nullptr) {
    return ErrorResponse(400, "invalid_argument", "unknown topic " + topic, "topic");
  }
  planning::ForecastOptions o;
  const double days = get("days", 14), weeks = get("weeks", 6);
  if (days < 1 || days > 62 || days != std::floor(days)) {
    return ErrorResponse(400, "invalid_argument", "days must be a whole number 1..62", "days");
  }
  if (weeks < 1 || weeks > 12 || weeks != std::floor(weeks)) {
    return ErrorResponse(400, "invalid_argument", "weeks must be a whole number 1..12", "weeks");
  }
  o.horizon_days = static_cast<int>(days);
  o.history_weeks = static_cast<int>(weeks);
  o.holidays = config->holidays.holidays;
  for (const Centre& c : config->centres) {
    if (c.id == config->routing.settings.federal_centre) o.utc_offset = c.utc_offset;
  }
  planning::StaffingTarget target;
  target.service_level = get("service_level", 0.8);
  target.within_seconds = get("within_seconds", 30);
  target.max_abandon_rate = get("max_abandon_rate", 1.0);

  const Time now = sources.clock->Now();
  // The averaged weeks, the held-out week and the one before it.
  const Time from = now - std::chrono::hours(24 * 7 * (o.history_weeks + 2));
  auto rows = sources.history(from, now);
  if (!rows.ok()) return ErrorResponse(rows.status());
  const MeasuredCalls measured = Measure(*rows, topic);
  auto forecast = planning::ForecastArrivals(measured.arrivals, now, o);
  if (!forecast.ok()) return ErrorResponse(forecast.status());

  planning::OfferedLoad load;
  load.interval_seconds = static_cast<double>(forecast->interval.count()) / 1000;
  load.handle_seconds = measured.handle_seconds.value_or(180);
  load.patience_seconds = measured.patience_seconds;
  // Intervals with about the same forecast need the same staff: computed once.
  std::map<int64_t, std::optional<uint32_t>> needed;
  json intervals = json::array();
  for (size_t i = 0; i < forecast->calls.size(); ++i) {
    const double calls = forecast->calls[i];
    const int64_t key = std::llround(calls * 10);
    if (!needed.count(key)) {
      load.calls = static_cast<double>(key) / 10;
      auto f = planning::OperatorsNeeded(load, target);
      if (f.ok()) {
        needed[key] = f->operators;
      } else if (f.status().field() == "max_operators") {
        needed[key] = std::nullopt;
      } else {
        return ErrorResponse(f.status());
      }
    }
    const auto& n = needed[key];
    intervals.push_back({{"start", FormatIso8601(forecast->start + forecast->interval * static_cast<int64_t>(i))},
                         {"calls", calls},
                         {"operators", n ? json(*n) : json(nullptr)}});
  }
  auto ratio = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return JsonResponse(
      200, {{"topic", topic.empty() ? json(nullptr) : json(topic)},
            {"start", FormatIso8601(forecast->start)},
            {"interval_minutes", forecast->interval.count() / 60000},
            {"history_calls", measured.arrivals.size()},
            {"handle_seconds", load.handle_seconds},
            {"handle_measured", measured.handle_seconds.has_value()},
            {"patience_seconds", ratio(measured.patience_seconds)},
            {"model", measured.patience_seconds ? "erlang_a" : "erlang_c"},
            {"holdout_error", ratio(forecast->holdout_error)},
            {"naive_error", ratio(forecast->naive_error)},
            {"target", {{"service_level", target.service_level},
                        {"within_seconds", target.within_seconds},
                        {"max_abandon_rate", target.max_abandon_rate}}},
            {"intervals", std::move(intervals)}});
}

}  // namespace

Status AddPlanningRoutes(Router& router, PlanningSources sources) {
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
  GOSLINE_RETURN_IF_ERROR(router.Add(std::move(route)));

  Route forecast;
  forecast.method = Method::kGet;
  forecast.pattern = kForecastPath;
  forecast.role = Role::kSupervisor;
  forecast.scope = "reports:read";
  forecast.doc = {
      .operation_id = "getForecast",
      .summary = "Calls per 15 minutes forecast from history (weekly seasonality, holidays), "
                 "its held-out error, and the operators each interval needs",
      .tag = "reports",
      .query = {{.name = "topic", .description = "one topic; default the whole line"},
                {.name = "days", .description = "horizon, 1..62, default 14"},
                {.name = "weeks", .description = "weeks of history averaged, 1..12, default 6"},
                {.name = "service_level", .description = "target share, default 0.8"},
                {.name = "within_seconds", .description = "threshold, default 30"},
                {.name = "max_abandon_rate", .description = "default 1 (no bound)"}},
      .errors = {400, 413, 503}};
  forecast.handler = [sources = std::move(sources)](const HttpRequest& request) {
    return ForecastRoute(sources, request);
  };
  return router.Add(std::move(forecast));
}

}  // namespace gosline::http
