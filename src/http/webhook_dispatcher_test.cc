// The webhooks' delivery worker (R27) on a real SQLite outbox and a manual
// clock: a receiver that cannot be reached is retried with doubling pauses
// until 24 h after the event, then dead-lettered; a replay sends it again.
#include "http/webhook_dispatcher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <filesystem>

#include "storage/sqlite/sqlite_webhook_store.h"

namespace gosline::http {
namespace {
namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;

const Time kT0 = *ParseIso8601("2026-12-07T10:00:00Z");

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int ClosedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const int port = a.local_endpoint().port();
  a.close();
  return port;
}

TEST(WebhookScheduleTest, R27PausesDoubleUpToAnHourAndStopAfterADay) {
  WebhookDeliveryOptions o;
  EXPECT_EQ(NextWebhookAttempt(kT0, 1, kT0, o), kT0 + seconds(5));
  EXPECT_EQ(NextWebhookAttempt(kT0, 2, kT0, o), kT0 + seconds(10));
  EXPECT_EQ(NextWebhookAttempt(kT0, 4, kT0, o), kT0 + seconds(40));
  EXPECT_EQ(NextWebhookAttempt(kT0, 30, kT0 + hours(1), o), kT0 + hours(2));
  EXPECT_EQ(NextWebhookAttempt(kT0, 30, kT0 + hours(23) + std::chrono::minutes(30), o), std::nullopt);
}

TEST(WebhookDispatcherTest, R27UnreachableReceiverIsRetriedThenDeadLetteredAndReplayed) {
  std::string tmpl = (fs::temp_directory_path() / "gosline-webhooks-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const fs::path dir = tmpl;
  {
    auto store = SqliteWebhookStore::Open((dir / "gosline.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ManualClock clock(kT0);
    WebhookSubscription s;
    s.url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
    s.events = {"case.created"};
    s.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    ASSERT_TRUE((*store)->AddSubscription(s).ok());
    auto queued = (*store)->Enqueue("case.created", kT0, [](const WebhookSubscription&, const std::string&) {
      return std::string(R"({"type":"case.created"})");
    });
    ASSERT_TRUE(queued.ok());
    ASSERT_EQ(*queued, 1);

    WebhookDeliveryOptions o;
    o.timeout = std::chrono::milliseconds(500);
    WebhookDispatcher dispatcher(**store, clock, o);  // not started: passes run here
    EXPECT_EQ(dispatcher.DeliverDue(), 0);
    auto pending = (*store)->Deliveries(DeliveryState::kPending, 10);
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ((*pending)[0].attempts, 1);
    EXPECT_EQ((*pending)[0].next_attempt_at, kT0 + seconds(5));
    EXPECT_NE((*pending)[0].last_error, "");
    // Not due yet: nothing is tried.
    EXPECT_EQ(dispatcher.DeliverDue(), 0);
    EXPECT_EQ((*store)->Deliveries(DeliveryState::kPending, 10)->at(0).attempts, 1);
    // Every hour for a day: then it is dead.
    for (int i = 0; i < 40; ++i) {
      clock.Advance(hours(1));
      dispatcher.DeliverDue();
      if ((*store)->Deliveries(DeliveryState::kDead, 10)->size() == 1) break;
    }
    auto dead = (*store)->Deliveries(DeliveryState::kDead, 10);
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_LE(clock.Now(), kT0 + hours(25));
    EXPECT_TRUE((*store)->Deliveries(DeliveryState::kPending, 10)->empty());
    // The administrator replays it: pending again, attempts counted anew.
    ASSERT_TRUE((*store)->Replay((*dead)[0].id, clock.Now()).ok());
    EXPECT_EQ((*store)->Replay((*dead)[0].id, clock.Now()).code(), Status::Code::kNotFound);
    auto replayed = (*store)->Due(clock.Now(), 10);
    ASSERT_EQ(replayed->size(), 1u);
    EXPECT_EQ((*replayed)[0].attempts, 0);
    EXPECT_EQ((*replayed)[0].message_id, (*dead)[0].message_id);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gosline::http
