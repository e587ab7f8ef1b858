#include "http/planning_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace gosline::http
