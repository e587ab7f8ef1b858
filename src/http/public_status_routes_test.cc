#include "http/public_status_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/openapi.h"

namespace gosline::http {
namespace {

using nlohmann::json;
using std::chrono::minutes;

// 09:00-18:00 Monday to Friday at UTC+3; one 24/7 topic; one topic without a queue.
Config DemoConfig() {
  Config c;
  c.service.name = "Линия";
  c.service.numbers = {"115"};
  HoursSpec business{"business", {}, false};
  for (int d = 0; d < 5; ++d) business.weekly.days[d] = {9 * 60, 18 * 60};
  c.hours = {business, HoursSpec{"24x7", WeeklyHours::AllDay(), true}};
  c.centres = {Centre{"federal", "Федеральный", "business", minutes(180)}};
  c.topics = {Topic{"taxes", {{"ru", "Налоги"}, {"en", "Taxes"}}, "fns", "5", false, true},
              Topic{"tech", {{"ru", "Техподдержка"}, {"en", "Tech"}}, "", "3", false, false},
              Topic{"ivr_only", {{"ru", "Статус"}}, "", "", false, false}};
  c.agencies = {Agency{"fns", "Федеральная налоговая служба"}, Agency{"sfr", "Социальный фонд"}};
  c.queues = {QueueConfig{"q_tax", "taxes", "federal", ""},
              QueueConfig{"q_tech", "tech", "federal", "24x7"}};
  // 2026-12-31 is a holiday in this calendar.
  c.holidays.holidays.insert(std::chrono::sys_days{std::chrono::year{2026} / 12 / 31});
  return c;
}

const Time kTuesdayNoon = *ParseIso8601("2026-12-01T09:00:00Z");     // 12:00 local
const Time kTuesdayNight = *ParseIso8601("2026-12-01T20:00:00Z");    // 23:00 local
const Time kHolidayNoon = *ParseIso8601("2026-12-31T09:00:00Z");

const json& TopicById(const json& status, const std::string& id) {
  for (const json& t : status["topics"]) {
    if (t["id"] == id) return t;
  }
  static const json kNone;
  ADD_FAILURE() << "no topic " << id;
  return kNone;
}

TEST(PublicStatusTest, OpenInBusinessHoursWithHoursAndNames) {
  Config c = DemoConfig();
  EstimatedWaitSource waits;
  json s = BuildPublicStatus(c, kTuesdayNoon, waits);
  EXPECT_EQ(s["open"], true);
  EXPECT_TRUE(s["next_open"].is_null());
  EXPECT_EQ(s["service"], "Линия");
  const json& tax = TopicById(s, "taxes");
  EXPECT_EQ(tax["open"], true);
  EXPECT_EQ(tax["names"]["en"], "Taxes");
  EXPECT_EQ(tax["names"]["ru"], "Налоги");
  EXPECT_TRUE(tax["estimated_wait_seconds"].is_null());  // the centre has not reported
  EXPECT_EQ(tax["hours"]["id"], "business");
  EXPECT_EQ(tax["hours"]["utc_offset_minutes"], 180);
  EXPECT_EQ(tax["hours"]["weekly"][0]["open"], "09:00");
  EXPECT_EQ(tax["hours"]["weekly"][0]["close"], "18:00");
  EXPECT_TRUE(tax["hours"]["weekly"][6]["open"].is_null());
  EXPECT_EQ(TopicById(s, "tech")["hours"]["weekly"][6]["close"], "24:00");
  // A topic with no queue is never "open" for operators.
  EXPECT_EQ(TopicById(s, "ivr_only")["open"], false);
  EXPECT_TRUE(TopicById(s, "ivr_only")["hours"].is_null());
  ASSERT_EQ(s["phone_questions"].size(), 1u);
  EXPECT_EQ(s["phone_questions"][0]["topic"], "taxes");
}

TEST(PublicStatusTest, PublishesAgenciesAndEachTopicsDefaultAgency) {
  Config c = DemoConfig();
  EstimatedWaitSource waits;
  json s = BuildPublicStatus(c, kTuesdayNight, waits);  // closed or not, the lists are there
  ASSERT_EQ(s["agencies"].size(), 2u);
  EXPECT_EQ(s["agencies"][0], (json{{"id", "fns"}, {"name", "Федеральная налоговая служба"}}));
  EXPECT_EQ(s["agencies"][1]["id"], "sfr");
  EXPECT_EQ(s["agencies"][1]["name"], "Социальный фонд");
  EXPECT_EQ(TopicById(s, "taxes")["agency"], "fns");
  EXPECT_TRUE(TopicById(s, "tech")["agency"].is_null());  // no default configured

  c.agencies.clear();
  EXPECT_TRUE(BuildPublicStatus(c, kTuesdayNight, waits)["agencies"].empty());
}

TEST(PublicStatusTest, ClosedAtNightAndOnHolidaysWithNextOpening) {
  Config c = DemoConfig();
  c.queues.pop_back();  // only the business-hours queue
  EstimatedWaitSource waits;
  json night = BuildPublicStatus(c, kTuesdayNight, waits);
  EXPECT_EQ(night["open"], false);
  EXPECT_EQ(night["next_open"], "2026-12-02T06:00:00.000Z");  // Wednesday 09:00 local
  EXPECT_EQ(TopicById(night, "taxes")["next_open"], "2026-12-02T06:00:00.000Z");
  json holiday = BuildPublicStatus(c, kHolidayNoon, waits);
  EXPECT_EQ(holiday["open"], false);
  EXPECT_EQ(TopicById(holiday, "taxes")["open"], false);
}

TEST(PublicStatusTest, EstimatedWaitComesFromTheCentreOnceSet) {
  Config c = DemoConfig();
  EstimatedWaitSource waits;
  waits.Set([](const std::string& topic) -> std::optional<Duration> {
    if (topic == "taxes") return std::chrono::seconds(95);
    return std::nullopt;
  });
  json s = BuildPublicStatus(c, kTuesdayNoon, waits);
  EXPECT_EQ(TopicById(s, "taxes")["estimated_wait_seconds"], 95);
  EXPECT_TRUE(TopicById(s, "tech")["estimated_wait_seconds"].is_null());
  // Closed: no wait is announced even if the centre has a figure.
  EXPECT_TRUE(TopicById(BuildPublicStatus(c, kHolidayNoon, waits), "taxes")["estimated_wait_seconds"]
                  .is_null());
}

TEST(PublicStatusTest, RouteIsPublicCachedBrieflyAndJson) {
  Config c = DemoConfig();
  ManualClock clock(kTuesdayNoon);
  EstimatedWaitSource waits;
  Router router;
  ASSERT_TRUE(AddPublicStatusRoutes(router, c, clock, waits).ok());
  HttpRequest req;
  req.path = kPublicStatusPath;
  HttpResponse r = router.Dispatch(req);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["open"], true);
  bool cached = false;
  for (const auto& [k, v] : r.headers) cached |= k == "Cache-Control" && v == "public, max-age=10";
  EXPECT_TRUE(cached);
  req.method = Method::kPost;
  EXPECT_EQ(router.Dispatch(req).status, 405);

  // Documented with its schema, agencies included.
  json doc = BuildOpenApiDocument(router, "1");
  EXPECT_EQ(doc["paths"][kPublicStatusPath]["get"]["responses"]["200"]["content"]["application/json"]
               ["schema"]["$ref"],
            "#/components/schemas/PublicStatus");
  const json& schema = doc["components"]["schemas"]["PublicStatus"];
  EXPECT_EQ(schema["properties"]["agencies"]["items"]["properties"]["name"]["type"], "string");
  EXPECT_EQ(schema["properties"]["topics"]["items"]["properties"]["agency"]["nullable"], true);
}

// The route asks its provider on every request: an edit of the hours shows at once.
TEST(PublicStatusTest, FollowsTheLiveConfig) {
  auto live = std::make_shared<const Config>(DemoConfig());
  ManualClock clock(kTuesdayNoon);
  EstimatedWaitSource waits;
  Router router;
  ASSERT_TRUE(AddPublicStatusRoutes(router, [&live] { return live; }, clock, waits).ok());
  HttpRequest req;
  req.path = kPublicStatusPath;
  EXPECT_EQ(TopicById(json::parse(router.Dispatch(req).body), "taxes")["open"], true);
  Config edited = DemoConfig();
  edited.holidays.holidays.insert(std::chrono::sys_days{std::chrono::year{2026} / 12 / 1});
  live = std::make_shared<const Config>(std::move(edited));
  EXPECT_EQ(TopicById(json::parse(router.Dispatch(req).body), "taxes")["open"], false);
}

}  // namespace
}  // namespace gosline::http
