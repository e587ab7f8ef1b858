#include "http/interval_report_routes.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/stats/interval_rollup.h"
#include "http/csv_cells.h"

namespace gosline::http {
namespace {

using nlohmann::json;
using stats::DerivedFigures;
using stats::IntervalFigures;
using stats::IntervalRow;
using stats::ReportBucket;

struct Request {
  RollupQuery query;
  bool csv = false;
  std::string table = "rows";
};

// The figures of one row, in the order of the CSV columns; JSON uses the
// same names. A ratio or average with nothing to divide by is null (JSON)
// or an empty cell (CSV).
struct Figure {
  const char* name;
  std::function<std::optional<double>(const IntervalFigures&, const DerivedFigures&)> value;
  bool integer;
};

const std::vector<Figure>& Figures() {
  using F = const IntervalFigures&;
  using D = const DerivedFigures&;
  auto count = [](int64_t IntervalFigures::*m) {
    return [m](F f, D) -> std::optional<double> { return static_cast<double>(f.*m); };
  };
  auto derived = [](std::optional<double> DerivedFigures::*m) {
    return [m](F, D d) { return d.*m; };
  };
  static const std::vector<Figure> kFigures = {
      {"calls", count(&IntervalFigures::calls), true},
      {"offered", count(&IntervalFigures::offered), true},
      {"answered", count(&IntervalFigures::answered), true},
      {"abandoned", count(&IntervalFigures::abandoned), true},
      {"short_abandoned", count(&IntervalFigures::short_abandoned), true},
      {"answered_within_threshold", count(&IntervalFigures::answered_within), true},
      {"service_level_answered", derived(&DerivedFigures::service_level_answered), false},
      {"service_level_offered", derived(&DerivedFigures::service_level_offered), false},
      {"abandon_rate", derived(&DerivedFigures::abandon_rate), false},
      {"asa_seconds", derived(&DerivedFigures::asa_seconds), false},
      {"aht_seconds", derived(&DerivedFigures::aht_seconds), false},
      {"avg_talk_seconds", derived(&DerivedFigures::avg_talk_seconds), false},
      {"avg_wrap_up_seconds", derived(&DerivedFigures::avg_wrap_up_seconds), false},
      {"transfers", count(&IntervalFigures::transfers), true},
      {"callbacks_requested", count(&IntervalFigures::callbacks), true},
      {"ivr_contained", count(&IntervalFigures::ivr_contained), true},
      {"repeat_contacts", count(&IntervalFigures::repeat_contacts), true},
      {"repeat_contact_rate", derived(&DerivedFigures::repeat_contact_rate), false},
      {"first_contact_resolution", derived(&DerivedFigures::first_contact_resolution), false},
      {"fcr_eligible", count(&IntervalFigures::fcr_eligible), true},
      {"fcr_resolved", count(&IntervalFigures::fcr_resolved), true},
  };
  return kFigures;
}

// "2026-12-01T09:00+03:00": the start as the line's staff read it.
std::string LocalTime(Time t, std::chrono::minutes offset) {
  using namespace std::chrono;
  const auto local = floor<minutes>(t + offset);
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const long off = offset.count();
  const long abs_off = off < 0 ? -off : off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld%c%02ld:%02ld",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), off < 0 ? '-' : '+', abs_off / 60,
                abs_off % 60);
  return buf;
}

json FiguresJson(const IntervalFigures& f) {
  const DerivedFigures d = stats::Derive(f);
  json out = json::object();
  for (const Figure& fig : Figures()) {
    const std::optional<double> v = fig.value(f, d);
    if (!v) {
      out[fig.name] = nullptr;
    } else if (fig.integer) {
      out[fig.name] = static_cast<int64_t>(*v);
    } else {
      out[fig.name] = *v;
    }
  }
  return out;
}

json RowJson(const IntervalRow& r, std::chrono::minutes offset, bool with_start) {
  json out = FiguresJson(r.figures);
  if (with_start) {
    out["start"] = FormatIso8601(r.start);
    out["start_local"] = LocalTime(r.start, offset);
  }
  out["key"] = r.key;
  return out;
}

std::string CsvCells(const IntervalFigures& f, std::vector<std::string> cells) {
  const DerivedFigures d = stats::Derive(f);
  for (const Figure& fig : Figures()) {
    const std::optional<double> v = fig.value(f, d);
    if (!v) {
      cells.emplace_back();
    } else if (fig.integer) {
      cells.push_back(std::to_string(static_cast<int64_t>(*v)));
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4f", *v);
      cells.emplace_back(buf);
    }
  }
  return CsvRecord(cells);
}

std::string Csv(const std::vector<IntervalRow>& rows, bool with_start, const std::string& key_name,
                std::chrono::minutes offset) {
  std::vector<std::string> header;
  if (with_start) header.push_back("period_start");
  header.push_back(key_name);
  for (const Figure& fig : Figures()) header.emplace_back(fig.name);
  std::string out = CsvRecord(header);
  for (const IntervalRow& r : rows) {
    std::vector<std::string> cells;
    if (with_start) cells.push_back(LocalTime(r.start, offset));
    cells.push_back(CsvTextCell(r.key));
    out += CsvCells(r.figures, std::move(cells));
  }
  return out;
}

Result<std::optional<std::string>> Param(const QueryParams& q, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& [k, v] : q) {
    if (k != name) continue;
    if (value) return Status::InvalidArgument(name + " is given twice", name);
    value = v;
  }
  return value;
}

// The longest range each bucket size may cover.
std::chrono::hours MaxRange(ReportBucket b) {
  using std::chrono::hours;
  switch (b) {
    case ReportBucket::k15Minutes: return hours(24 * 31);
    case ReportBucket::kHour: return hours(24 * 92);
    default: return hours(24 * 732);
  }
}

Result<Request> Parse(const QueryParams& q, std::chrono::minutes offset) {
  for (const auto& [k, v] : q) {
    if (k != "from" && k != "to" && k != "by" && k != "dimension" && k != "format" &&
        k != "table") {
      return Status::InvalidArgument("unknown parameter " + k, k);
    }
  }
  Request r;
  r.query.utc_offset = offset;
  for (const char* name : {"from", "to"}) {
    GOSLINE_ASSIGN_OR_RETURN(auto v, Param(q, name));
    if (!v) return Status::InvalidArgument(std::string(name) + " is required", name);
    auto t = ParseIso8601(*v);
    if (!t) return Status::InvalidArgument(std::string(name) + " is not an ISO 8601 time", name);
    if (stats::IntervalStart(*t) != *t) {
      return Status::InvalidArgument(std::string(name) + " must fall on a quarter hour", name);
    }
    (std::string_view(name) == "from" ? r.query.from : r.query.to) = *t;
  }
  if (r.query.from >= r.query.to) return Status::InvalidArgument("from must be before to", "from");
  GOSLINE_ASSIGN_OR_RETURN(auto by, Param(q, "by"));
  if (by) {
    auto bucket = stats::ReportBucketFromString(*by);
    if (!bucket) return Status::InvalidArgument("by must be 15m, hour, day, week or month", "by");
    r.query.bucket = *bucket;
  }
  if (r.query.to - r.query.from > MaxRange(r.query.bucket)) {
    return Status::InvalidArgument(
        "the range is too long for by=" + std::string(stats::ToString(r.query.bucket)) +
            " (at most " + std::to_string(MaxRange(r.query.bucket).count() / 24) +
            " days); choose a larger grouping or a shorter range",
        "to");
  }
  GOSLINE_ASSIGN_OR_RETURN(auto dim, Param(q, "dimension"));
  if (dim) {
    auto d = stats::RollupDimensionFromString(*dim);
    if (!d) {
      return Status::InvalidArgument(
          "dimension must be total, line, queue, topic, agency, region or operator", "dimension");
    }
    r.query.dimension = *d;
  }
  GOSLINE_ASSIGN_OR_RETURN(auto format, Param(q, "format"));
  if (format && *format != "json" && *format != "csv") {
    return Status::InvalidArgument("format must be json or csv", "format");
  }
  r.csv = format && *format == "csv";
  GOSLINE_ASSIGN_OR_RETURN(auto table, Param(q, "table"));
  if (table) {
    if (*table != "rows" && *table != "over_time" && *table != "by_key") {
      return Status::InvalidArgument("table must be rows, over_time or by_key", "table");
    }
    r.table = *table;
  }
  return r;
}

std::string FileName(const Request& r) {
  std::string from = LocalTime(r.query.from, r.query.utc_offset).substr(0, 10);
  std::string to = LocalTime(r.query.to, r.query.utc_offset).substr(0, 10);
  return "gosline-report-" + r.table + "-" + std::string(stats::ToString(r.query.dimension)) +
         "-" + std::string(stats::ToString(r.query.bucket)) + "-" + from + "-" + to + ".csv";
}

HttpResponse Answer(ReportRollupStore& store, const IntervalReportOptions& o,
                    const HttpRequest& req) {
  Result<Request> r = Parse(req.query, o.utc_offset);
  if (!r.ok()) return ErrorResponse(r.status());
  // Every call ended before the request is in the figures.
  Result<size_t> caught_up = store.CatchUp();
  if (!caught_up.ok()) return ErrorResponse(caught_up.status());
  RollupQuery total_query = r->query;
  total_query.dimension = stats::RollupDimension::kTotal;
  Result<std::vector<IntervalRow>> over_time = store.Read(total_query);
  if (!over_time.ok()) return ErrorResponse(over_time.status());
  Result<std::vector<IntervalRow>> rows = r->query.dimension == stats::RollupDimension::kTotal
                                              ? over_time
                                              : store.Read(r->query);
  if (!rows.ok()) return ErrorResponse(rows.status());
  const std::vector<IntervalRow> by_key = stats::TotalsByKey(*rows, r->query.from);
  IntervalFigures total;
  for (const IntervalRow& row : *over_time) total += row.figures;

  const std::string dimension(stats::ToString(r->query.dimension));
  if (r->csv) {
    HttpResponse res;
    res.content_type = "text/csv; charset=utf-8";
    if (r->table == "over_time") {
      res.body = Csv(*over_time, true, "total", o.utc_offset);
    } else if (r->table == "by_key") {
      res.body = Csv(by_key, false, dimension, o.utc_offset);
    } else {
      res.body = Csv(*rows, true, dimension, o.utc_offset);
    }
    res.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"" + FileName(*r) + "\"");
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }
  json over = json::array(), rows_json = json::array(), keys = json::array();
  for (const IntervalRow& row : *over_time) over.push_back(RowJson(row, o.utc_offset, true));
  for (const IntervalRow& row : *rows) rows_json.push_back(RowJson(row, o.utc_offset, true));
  for (const IntervalRow& row : by_key) keys.push_back(RowJson(row, o.utc_offset, false));
  return JsonResponse(
      200, {{"from", FormatIso8601(r->query.from)},
            {"to", FormatIso8601(r->query.to)},
            {"by", stats::ToString(r->query.bucket)},
            {"dimension", dimension},
            {"utc_offset_minutes", o.utc_offset.count()},
            {"service_level_threshold_seconds", o.service_level_threshold.count() / 1000},
            {"short_abandon_seconds", o.short_abandon.count() / 1000},
            {"over_time", std::move(over)},
            {"rows", std::move(rows_json)},
            {"by_key", std::move(keys)},
            {"total", FiguresJson(total)}});
}

}  // namespace

void AddIntervalReportSchemas(json& s) {
  json figures = json::object();
  for (const Figure& f : Figures()) {
    figures[f.name] = f.integer ? json{{"type", "integer"}, {"format", "int64"}}
                                : json{{"type", "number"}, {"nullable", true}};
  }
  figures["key"] = {{"type", "string"},
                    {"description", "the dimension's value; \"\" for the whole line, \"(none)\" "
                                    "for calls without one"}};
  figures["start"] = {{"type", "string"}, {"format", "date-time"}};
  figures["start_local"] = {{"type", "string"}, {"description", "2026-12-01T09:00+03:00"}};
  s["IntervalFigures"] = {{"type", "object"}, {"properties", std::move(figures)}};
  const json list = {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/IntervalFigures"}}}};
  s["IntervalReport"] = {
      {"type", "object"},
      {"properties",
       {{"from", {{"type", "string"}, {"format", "date-time"}}},
        {"to", {{"type", "string"}, {"format", "date-time"}}},
        {"by", {{"type", "string"}}},
        {"dimension", {{"type", "string"}}},
        {"utc_offset_minutes", {{"type", "integer"}}},
        {"service_level_threshold_seconds", {{"type", "integer"}}},
        {"short_abandon_seconds", {{"type", "integer"}}},
        {"over_time", list},
        {"rows", list},
        {"by_key", list},
        {"total", {{"$ref", "#/components/schemas/IntervalFigures"}}}}}};
}

Status AddIntervalReportRoutes(Router& router, IntervalReportOptions options) {
  if (options.store == nullptr) return Status::InvalidArgument("no rollup store", "store");
  Route route;
  route.method = Method::kGet;
  route.pattern = kIntervalReportPath;
  route.role = Role::kReportReader;
  route.scope = "reports:read";
  route.doc = {
      .operation_id = "getIntervalReport",
      .summary = "Offered, answered, abandoned (short abandons apart), service level of answered "
                 "and of offered calls, ASA, AHT, talk and wrap-up, transfers, callbacks, "
                 "IVR-contained calls, repeat contacts and first-contact resolution per 15 "
                 "minutes, hour, day, week or month, by line, queue, topic, agency, region or "
                 "operator (R13, R18); format=csv gives one table as CSV (RFC 4180)",
      .tag = "reports",
      .response_schema = "IntervalReport",
      .query = {{.name = "from", .format = "date-time",
                 .description = "inclusive, on a quarter hour", .required = true},
                {.name = "to", .format = "date-time",
                 .description = "exclusive, on a quarter hour; at most 31 days by 15m, 92 by "
                                "hour, 732 otherwise",
                 .required = true},
                {.name = "by", .description = "default hour",
                 .enum_values = {"15m", "hour", "day", "week", "month"}},
                {.name = "dimension", .description = "default total",
                 .enum_values = {"total", "line", "queue", "topic", "agency", "region",
                                 "operator"}},
                {.name = "format", .description = "default json", .enum_values = {"json", "csv"}},
                {.name = "table", .description = "the table a CSV holds; default rows",
                 .enum_values = {"rows", "over_time", "by_key"}}},
      .response_headers = {"Content-Disposition"},
      .errors = {400}};
  route.handler = [o = options](const HttpRequest& req) { return Answer(*o.store, o, req); };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
