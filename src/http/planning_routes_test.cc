#include "http/planning_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/common/clock.h"

namespace gosline::http {
namespace {

using nlohmann::json;

HttpResponse Get(Router& router, QueryParams query) {
  HttpRequest req;
  req.path = kStaffingPath;
  req.query = std::move(query);
  return router.Dispatch(req);
}

TEST(PlanningRoutesTest, AnswersTheOperatorsNeededByBothModels) {
  Router router;
  ASSERT_TRUE(AddPlanningRoutes(router).ok());
  // 100 calls in 30 minutes at 180 s: Erlang C needs 14 for 80% in 20 s.
  HttpResponse r = Get(router, {{"calls", "100"},
                                {"interval_minutes", "30"},
                                {"handle_seconds", "180"},
                                {"within_seconds", "20"},
                                {"patience_seconds", "60"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_DOUBLE_EQ(body["erlangs"].get<double>(), 10.0);
  EXPECT_EQ(body["erlang_c"]["operators"], 14);
  EXPECT_NEAR(body["erlang_c"]["service_level"].get<double>(), 0.888, 1e-3);
  ASSERT_TRUE(body["erlang_a"].is_object());
  EXPECT_LE(body["erlang_a"]["operators"].get<int>(), 14);
  EXPECT_GT(body["erlang_a"]["abandon_rate"].get<double>(), 0);

  HttpResponse c_only = Get(router, {{"calls", "100"}, {"handle_seconds", "180"}});
  ASSERT_EQ(c_only.status, 200);
  EXPECT_TRUE(json::parse(c_only.body)["erlang_a"].is_null());
}

TEST(PlanningRoutesTest, RefusesBadParametersByName) {
  Router router;
  ASSERT_TRUE(AddPlanningRoutes(router).ok());
  for (const auto& [query, field] : std::vector<std::pair<QueryParams, std::string>>{
           {{{"handle_seconds", "180"}}, "calls"},
           {{{"calls", "ten"}, {"handle_seconds", "180"}}, "calls"},
           {{{"calls", "10"}, {"handle_seconds", "180"}, {"calls", "11"}}, "calls"},
           {{{"calls", "10"}, {"handle_seconds", "nan"}}, "handle_seconds"},
           {{{"calls", "10"}, {"handle_seconds", "180"}, {"colour", "red"}}, "colour"},
           {{{"calls", "10"}, {"handle_seconds", "180"}, {"service_level", "1.5"}},
            "service_level"},
           {{{"calls", "10"}, {"handle_seconds", "180"}, {"interval_minutes", "0"}},
            "interval_minutes"}}) {
    HttpResponse r = Get(router, query);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_EQ(json::parse(r.body)["error"]["field"], field) << r.body;
  }
}

// Eight weeks of history: every day 10:00-11:00 Moscow time, four calls per
// 15 minutes about taxes, three answered (talk 120 s + wrap-up 30 s after a
// 10 s wait) and one abandoned after 40 s; and one call about tech a day.
std::vector<stats::ReportCall> History(Time now) {
  std::vector<stats::ReportCall> rows;
  const auto today = std::chrono::floor<std::chrono::days>(now + std::chrono::hours(3));
  for (int d = 1; d <= 56; ++d) {
    const Time day = Time(today - std::chrono::days(d)) - std::chrono::hours(3);
    for (int slot = 0; slot < 4; ++slot) {
      for (int i = 0; i < 4; ++i) {
        stats::ReportCall r;
        r.started = day + std::chrono::hours(10) + std::chrono::minutes(15 * slot + 3 * i);
        r.topic = "taxes";
        if (i < 3) {
          r.outcome = "answered";
          r.wait = std::chrono::seconds(10);
          r.talk = std::chrono::seconds(120);
          r.wrap_up = std::chrono::seconds(30);
        } else {
          r.outcome = "abandoned";
          r.wait = std::chrono::seconds(40);
        }
        rows.push_back(r);
      }
    }
    stats::ReportCall tech;
    tech.started = day + std::chrono::hours(15);
    tech.topic = "tech";
    tech.outcome = "answered";
    tech.talk = std::chrono::seconds(600);
    rows.push_back(tech);
  }
  return rows;
}

Config PlanningConfig() {
  Config c;
  c.centres = {Centre{"federal", "Федеральный", "", std::chrono::minutes(180)}};
  c.topics = {Topic{"taxes", {{"ru", "Налоги"}}, "", "", false, true},
              Topic{"tech", {{"ru", "Техподдержка"}}, "", "", false, false}};
  return c;
}

TEST(PlanningRoutesTest, ForecastsFromHistoryWithMeasuredHandleTimeAndPatience) {
  const Time now = *ParseIso8601("2026-12-01T09:00:00Z");  // a Tuesday, 12:00 in Moscow
  ManualClock clock(now);
  auto config = std::make_shared<const Config>(PlanningConfig());
  std::vector<stats::ReportCall> rows = History(now);
  Time asked_from{}, asked_to{};
  Router router;
  ASSERT_TRUE(AddPlanningRoutes(router, {.history = [&](Time from, Time to) {
                                           asked_from = from;
                                           asked_to = to;
                                           return Result<std::vector<stats::ReportCall>>(rows);
                                         },
                                         .config = [config] { return config; },
                                         .clock = &clock})
                  .ok());
  HttpRequest req;
  req.path = kForecastPath;
  req.query = {{"topic", "taxes"}, {"days", "7"}};
  HttpResponse r = router.Dispatch(req);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_EQ(asked_to, now);
  EXPECT_EQ(asked_from, now - std::chrono::hours(24 * 7 * 8));
  // Tomorrow, local midnight.
  EXPECT_EQ(body["start"], "2026-12-01T21:00:00.000Z");
  EXPECT_EQ(body["history_calls"], 56 * 16);
  EXPECT_DOUBLE_EQ(body["handle_seconds"].get<double>(), 150.0);
  // Waits: 3 x 10 s + 40 s per slot, one abandonment per slot: 70 s.
  EXPECT_DOUBLE_EQ(body["patience_seconds"].get<double>(), 70.0);
  EXPECT_EQ(body["model"], "erlang_a");
  ASSERT_EQ(body["intervals"].size(), 7u * 96u);
  const json& ten = body["intervals"][40];  // 10:00 local
  EXPECT_EQ(ten["start"], "2026-12-02T07:00:00.000Z");
  EXPECT_DOUBLE_EQ(ten["calls"].get<double>(), 4.0);
  EXPECT_GE(ten["operators"].get<int>(), 1);
  const json& night = body["intervals"][12];  // 03:00 local
  EXPECT_DOUBLE_EQ(night["calls"].get<double>(), 0.0);
  EXPECT_EQ(night["operators"], 0);
  EXPECT_NEAR(body["holdout_error"].get<double>(), 0.0, 1e-9);

  // The whole line adds the tech calls at 15:00.
  req.query = {{"days", "1"}};
  const json line = json::parse(router.Dispatch(req).body);
  EXPECT_EQ(line["history_calls"], 56 * 17);
  EXPECT_DOUBLE_EQ(line["intervals"][60]["calls"].get<double>(), 1.0);

  req.query = {{"topic", "astrology"}};
  HttpResponse bad = router.Dispatch(req);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "topic");
  req.query = {{"days", "100"}};
  EXPECT_EQ(json::parse(router.Dispatch(req).body)["error"]["field"], "days");
}

TEST(PlanningRoutesTest, ForecastWithoutHistoryIsUnavailable) {
  Router router;
  ASSERT_TRUE(AddPlanningRoutes(router).ok());
  HttpRequest req;
  req.path = kForecastPath;
  EXPECT_EQ(router.Dispatch(req).status, 503);
}

}  // namespace
}  // namespace gosline::http
