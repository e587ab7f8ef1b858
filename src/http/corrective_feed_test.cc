// R13: supervisors see each corrective action on the wallboard feed, in the
// snapshot, in /metrics and in the audit log, with its reason.
#include "http/corrective_feed.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "http/centre_metrics.h"
#include "http/centre_snapshot_json.h"
#include "http/prometheus_text.h"

namespace gosline::http {
namespace {

const Time kAt = FromUnixMillis(1'795'600'800'000);  // 2026-11-25T10:00:00Z

struct Inbox final : LiveHub::Subscriber {
  std::vector<nlohmann::json> messages;
  void Deliver(std::shared_ptr<const std::string> m) override {
    messages.push_back(nlohmann::json::parse(*m));
  }
};

corrective::Transition Started() {
  corrective::Transition t;
  t.rule = "taxes-backlog";
  t.activate = true;
  t.cause = "threshold";
  t.reason = corrective::Reason{corrective::Figure::kQueueLength, "federal-taxes", 12, 10,
                                kAt - std::chrono::minutes(2)};
  t.at = kAt;
  corrective::CorrectiveAction overflow;
  overflow.kind = corrective::ActionKind::kOpenOverflow;
  overflow.from_queue = "federal-taxes";
  overflow.to_queue = "federal-other";
  corrective::CorrectiveAction page;
  page.kind = corrective::ActionKind::kPageSupervisors;
  t.actions = {overflow, page};
  return t;
}

TEST(CorrectiveFeedTest, R13_EachTransitionIsAuditedAndSentToTheWallboard) {
  LiveHub hub;
  auto inbox = std::make_shared<Inbox>();
  ASSERT_TRUE(hub.Subscribe({kWallboardTopic}, inbox).ok());
  std::vector<std::vector<std::string>> audited;
  auto feed = CorrectiveFeed(hub, [&](const std::string& actor, const std::string& action,
                                      const std::string& object, const std::string& detail) {
    audited.push_back({actor, action, object, detail});
  });
  feed(Started());
  corrective::Transition ended = Started();
  ended.activate = false;
  ended.cause = "recovered";
  feed(ended);

  ASSERT_EQ(audited.size(), 2u);
  EXPECT_EQ(audited[0][0], "system");
  EXPECT_EQ(audited[0][1], "corrective.activate");
  EXPECT_EQ(audited[0][2], "taxes-backlog");
  EXPECT_NE(audited[0][3].find("queue_length of federal-taxes = 12 (threshold 10)"), std::string::npos)
      << audited[0][3];
  EXPECT_NE(audited[0][3].find("since 2026-11-25T09:58:00.000Z"), std::string::npos) << audited[0][3];
  EXPECT_NE(audited[0][3].find("open_overflow federal-taxes -> federal-other"), std::string::npos);
  EXPECT_EQ(audited[1][1], "corrective.deactivate");

  ASSERT_EQ(inbox->messages.size(), 2u);
  const nlohmann::json& m = inbox->messages[0].contains("data") ? inbox->messages[0]["data"]
                                                                : inbox->messages[0];
  EXPECT_EQ(m["type"], "corrective");
  EXPECT_EQ(m["rule"], "taxes-backlog");
  EXPECT_EQ(m["state"], "active");
  EXPECT_EQ(m["page"], true);
  EXPECT_EQ(m["value"], 12);
  EXPECT_EQ(m["threshold"], 10);
}

TEST(CorrectiveFeedTest, R13_SnapshotAndMetricsListEveryRule) {
  contact_centre::CentreSnapshot s;
  s.at = kAt;
  contact_centre::CorrectiveView on;
  on.rule = "taxes-backlog";
  on.active = true;
  on.figure = "queue_length";
  on.queue = "federal-taxes";
  on.value = 12;
  on.threshold = 10;
  on.since = kAt;
  on.activations = 3;
  on.actions = {"page_supervisors"};
  contact_centre::CorrectiveView off;
  off.rule = "sl-low";
  off.figure = "ewt_seconds";
  off.value = std::numeric_limits<double>::infinity();  // nobody could take the calls
  s.corrective = {on, off};

  const nlohmann::json j = ToJson(s);
  ASSERT_EQ(j["corrective"].size(), 2u);
  EXPECT_EQ(j["corrective"][0]["active"], true);
  EXPECT_EQ(j["corrective"][0]["since"], "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(j["corrective"][0]["actions"][0], "page_supervisors");
  EXPECT_TRUE(j["corrective"][1]["value"].is_null());
  EXPECT_TRUE(j["corrective"][1]["since"].is_null());

  PrometheusText t;
  WriteCentreMetrics(s, t);
  EXPECT_NE(t.text().find("gosline_corrective_action_active{rule=\"taxes-backlog\"} 1\n"),
            std::string::npos)
      << t.text();
  EXPECT_NE(t.text().find("gosline_corrective_action_active{rule=\"sl-low\"} 0\n"), std::string::npos);
  EXPECT_NE(t.text().find("gosline_corrective_activations_total{rule=\"taxes-backlog\"} 3\n"),
            std::string::npos);
}

}  // namespace
}  // namespace gosline::http
