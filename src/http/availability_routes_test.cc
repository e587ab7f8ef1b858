#include "http/availability_routes.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "storage/sqlite/sqlite_probe_store.h"

namespace gosline::http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(AvailabilityRoutesTest, TheMonthSoFarPerNodeAndForTheLine) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gosline-availability-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = SqliteProbeStore::Open((dir / "line.db").string());
  ASSERT_TRUE(store.ok());
  // December in Moscow starts at 2026-11-30T21:00Z. Now: 10 hours later.
  const Time month = *ParseIso8601("2026-11-30T21:00:00Z");
  ManualClock clock(month + 10h);
  for (Time t = month + 30s; t < month + 10h; t += 1min) {
    ASSERT_TRUE((*store)->Append({t, "node-a", true, "200 OK"}).ok());
    // node-b fails for the first hour.
    ASSERT_TRUE((*store)->Append({t, "node-b", t >= month + 1h, "x"}).ok());
  }
  // A probe of November is not December's.
  ASSERT_TRUE((*store)->Append({month - 1min, "node-b", false, "timeout"}).ok());

  Router router;
  ASSERT_TRUE(AddAvailabilityRoutes(router, {.probes = store->get(), .clock = &clock}).ok());
  HttpRequest req;
  req.path = kAvailabilityPath;
  HttpResponse r = router.Dispatch(req);
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["month"], "2026-12");
  EXPECT_EQ(body["complete"], false);
  EXPECT_DOUBLE_EQ(body["line"]["availability"].get<double>(), 1.0);
  EXPECT_EQ(body["line"]["meets_target"], true);
  ASSERT_EQ(body["nodes"].size(), 2u);
  EXPECT_EQ(body["nodes"][1]["node"], "node-b");
  EXPECT_NEAR(body["nodes"][1]["availability"].get<double>(), 0.9, 0.001);
  EXPECT_EQ(body["nodes"][1]["failed_probes"], 60);

  req.query = {{"month", "2026-11"}};
  body = json::parse(router.Dispatch(req).body);
  EXPECT_EQ(body["complete"], true);
  EXPECT_EQ(body["nodes"].size(), 1u);
  EXPECT_DOUBLE_EQ(body["line"]["availability"].get<double>(), 0.0);
  EXPECT_EQ(body["line"]["meets_target"], false);

  for (const char* bad : {"2026-13", "26-12", "2026-1", "2026-12x", "2027-01"}) {
    req.query = {{"month", bad}};
    HttpResponse refused = router.Dispatch(req);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(json::parse(refused.body)["error"]["field"], "month") << bad;
  }
  std::filesystem::remove_all(dir);
}

TEST(AvailabilityRoutesTest, WithoutProbingItSaysSo) {
  Router router;
  ASSERT_TRUE(AddAvailabilityRoutes(router, {}).ok());
  HttpRequest req;
  req.path = kAvailabilityPath;
  EXPECT_EQ(router.Dispatch(req).status, 503);
}

}  // namespace
}  // namespace gosline::http
