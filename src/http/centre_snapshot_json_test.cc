// The contact centre's views as the API and the wallboard send them.
#include "http/centre_snapshot_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using namespace std::chrono_literals;
using contact_centre::CentreSnapshot;
using contact_centre::OperatorView;
using contact_centre::QueueView;

const Time kAt = *ParseIso8601("2026-12-01T09:30:00Z");

OperatorView Ivanova() {
  OperatorView o;
  o.id = "ivanova";
  o.name = "Иванова";
  o.centre = "moscow";
  o.skills = {{"passport", 3}};
  o.languages = {"ru"};
  o.state = "on_call";
  o.since = kAt - 90s;
  o.call = 42;
  return o;
}

QueueView Passport() {
  QueueView q;
  q.id = "passport";
  q.topic = "passport";
  q.centre = "moscow";
  q.waiting = 3;
  q.longest_wait = 75500ms;
  q.logged_in = 2;
  q.on_call = 1;
  q.figures.offered_today = 10;
  q.figures.service_level_today = 0.5;
  q.figures.avg_wait_today = 20s;
  return q;
}

TEST(CentreSnapshotJsonTest, OperatorCarriesTimesAsIsoAndTheCallAsString) {
  const nlohmann::json j = ToJson(Ivanova());
  EXPECT_EQ(j.at("id"), "ivanova");
  EXPECT_EQ(j.at("state"), "on_call");
  EXPECT_EQ(j.at("since"), "2026-12-01T09:28:30.000Z");
  EXPECT_EQ(j.at("call"), "42");
  EXPECT_EQ(j.at("skills").at("passport"), 3);

  OperatorView idle = Ivanova();
  idle.call.reset();
  EXPECT_TRUE(ToJson(idle).at("call").is_null());
}

TEST(CentreSnapshotJsonTest, QueueWaitsInWholeSecondsAndNullWhenUnknown) {
  const nlohmann::json j = ToJson(Passport());
  EXPECT_EQ(j.at("waiting"), 3);
  EXPECT_EQ(j.at("longest_wait_seconds"), 75);
  EXPECT_TRUE(j.at("estimated_wait_seconds").is_null()) << "nobody who could take a call";
  EXPECT_EQ(j.at("operators").at("logged_in"), 2);
  EXPECT_EQ(j.at("operators").at("on_call"), 1);
  const nlohmann::json& today = j.at("statistics").at("today");
  EXPECT_EQ(today.at("offered"), 10);
  EXPECT_EQ(today.at("service_level"), 0.5);
  EXPECT_EQ(today.at("average_wait_seconds"), 20);
  EXPECT_TRUE(today.at("median_wait_seconds").is_null());
  EXPECT_TRUE(j.at("statistics").at("window").at("service_level").is_null());

  QueueView estimated = Passport();
  estimated.estimated_wait = 2min;
  EXPECT_EQ(ToJson(estimated).at("estimated_wait_seconds"), 120);
}

TEST(CentreSnapshotJsonTest, SnapshotIsTheWallboardMessage) {
  CentreSnapshot s;
  s.at = kAt;
  s.queues = {Passport()};
  s.operators = {Ivanova()};
  const nlohmann::json j = ToJson(s);
  EXPECT_EQ(j.at("type"), "centre");
  EXPECT_EQ(j.at("at"), "2026-12-01T09:30:00.000Z");
  ASSERT_EQ(j.at("queues").size(), 1u);
  EXPECT_EQ(j.at("queues")[0], ToJson(Passport()));
  ASSERT_EQ(j.at("operators").size(), 1u);
  EXPECT_EQ(j.at("operators")[0], ToJson(Ivanova()));

  CentreSnapshot quiet;
  quiet.at = kAt;
  const nlohmann::json empty = ToJson(quiet);
  EXPECT_TRUE(empty.at("queues").is_array());
  EXPECT_TRUE(empty.at("queues").empty());
  EXPECT_TRUE(empty.at("operators").is_array());
}

}  // namespace
}  // namespace gosline::http
