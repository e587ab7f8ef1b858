// The live feed: the hub on its own, then end to end through the real server
// on 127.0.0.1 with a Beast WebSocket client and real sessions.
#include "http/live_hub.h"

#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "http/http_server.h"
#include "http/live_hub_test_support.h"
#include "http/live_hub_wallboard.h"

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

class Collector : public LiveHub::Subscriber {
 public:
  void Deliver(std::shared_ptr<const std::string> m) override { got.push_back(json::parse(*m)); }
  std::vector<json> got;
};

TEST(LiveHubTest, PublishesToSubscribersOfTheTopicOnly) {
  LiveHub hub;
  auto wall = std::make_shared<Collector>();
  auto op = std::make_shared<Collector>();
  ASSERT_TRUE(hub.Subscribe({"wallboard", "operator/a"}, wall).ok());
  ASSERT_TRUE(hub.Subscribe({"operator/b"}, op).ok());
  EXPECT_EQ(hub.Publish("wallboard", {{"waiting", 3}}), 1u);
  EXPECT_EQ(hub.Publish("operator/b", {{"pop", "x"}}), 1u);
  EXPECT_EQ(hub.Publish("nobody", {{"x", 1}}), 0u);
  ASSERT_EQ(wall->got.size(), 1u);
  EXPECT_EQ(wall->got[0]["topic"], "wallboard");
  EXPECT_EQ(wall->got[0]["data"]["waiting"], 3);
  ASSERT_EQ(op->got.size(), 1u);
  EXPECT_EQ(op->got[0]["data"]["pop"], "x");
  EXPECT_GT(op->got[0]["seq"].get<uint64_t>(), wall->got[0]["seq"].get<uint64_t>());
}

TEST(LiveHubTest, NewSubscriberGetsTheSnapshotFirstAndGoneOnesAreSkipped) {
  LiveHub hub;
  int calls = 0;
  hub.SetSnapshotProvider("wallboard", [&] { return json{{"queues", ++calls}}; });
  auto c = std::make_shared<Collector>();
  auto id = hub.Subscribe({"wallboard"}, c);
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(c->got.size(), 1u);
  EXPECT_EQ(c->got[0]["data"]["queues"], 1);
  {
    auto gone = std::make_shared<Collector>();
    ASSERT_TRUE(hub.Subscribe({"wallboard"}, gone).ok());
  }
  EXPECT_EQ(hub.Publish("wallboard", json::object()), 1u);  // the dead one is not reached
  hub.Unsubscribe(*id);
  EXPECT_EQ(hub.Publish("wallboard", json::object()), 0u);
  EXPECT_EQ(hub.clients(), 1u);  // the expired weak one stays listed until its session ends
}

TEST(LiveHubTest, RefusesClientsOverTheLimitAndSurvivesBadUtf8) {
  LiveHub::Options o;
  o.max_clients = 1;
  LiveHub hub(o);
  auto a = std::make_shared<Collector>();
  auto b = std::make_shared<Collector>();
  ASSERT_TRUE(hub.Subscribe({"t"}, a).ok());
  EXPECT_EQ(hub.Subscribe({"t"}, b).status().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(hub.Publish("t", {{"name", std::string("\xff\xfe")}}), 1u);
  ASSERT_EQ(a->got.size(), 1u);
}

TEST(LiveHubTest, TopicsFollowTheRole) {
  HttpRequest op;
  op.principal = "user:ivanova";
  op.principal_role = "operator";
  EXPECT_EQ(LiveTopicsFor(op), std::vector<std::string>{"operator/ivanova"});
  HttpRequest sup = op;
  sup.principal_role = "supervisor";
  EXPECT_EQ(LiveTopicsFor(sup), (std::vector<std::string>{"operator/ivanova", "wallboard"}));
}

// --- end to end -------------------------------------------------------------

class LiveServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = staff_.NewRouter();
    ASSERT_TRUE(AddLiveRoute(*router_).ok());
    LiveHub::Options o;
    o.max_queued_messages = 8;
    hub_ = std::make_shared<LiveHub>(o);
    HttpConfig c;
    c.listen = "127.0.0.1";
    c.port = 0;
    c.threads = 2;
    server_ = std::make_unique<HttpServer>(c, *router_);
    server_->SetLiveHub(hub_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(2));
  }

  struct Client {
    net::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
  };

  // Opens a WebSocket to /api/v1/live; the handshake's HTTP status comes back.
  int Connect(Client& c, const std::string& authorization) {
    tcp::resolver resolver(c.ioc);
    net::connect(c.ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(server_->port())));
    c.ws.set_option(websocket::stream_base::decorator([authorization](websocket::request_type& r) {
      if (!authorization.empty()) r.set(bhttp::field::authorization, authorization);
    }));
    websocket::response_type res;
    beast::error_code ec;
    c.ws.handshake(res, "127.0.0.1", kLivePath, ec);
    return static_cast<int>(res.result_int());
  }

  json Read(Client& c) {
    beast::flat_buffer buf;
    c.ws.read(buf);
    return json::parse(beast::buffers_to_string(buf.data()));
  }

  // Waits (bounded) until the hub has `n` subscribed clients.
  bool WaitForClients(size_t n) {
    for (int i = 0; i < 5000 && hub_->clients() != n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return hub_->clients() == n;
  }

  testing::StaffFixture staff_;
  std::unique_ptr<Router> router_;
  std::shared_ptr<LiveHub> hub_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(LiveServerTest, SupervisorGetsSnapshotAndWallboardOperatorOnlyTheirOwn) {
  hub_->SetSnapshotProvider("wallboard", [] { return json{{"snapshot", true}}; });
  Client sup, op;
  ASSERT_EQ(Connect(sup, staff_.BearerFor("supervisor")), 101);
  ASSERT_EQ(Connect(op, staff_.BearerFor("operator")), 101);
  ASSERT_TRUE(WaitForClients(2));
  json first = Read(sup);
  EXPECT_EQ(first["topic"], "wallboard");
  EXPECT_EQ(first["data"]["snapshot"], true);

  EXPECT_EQ(hub_->Publish("wallboard", {{"waiting", 4}}), 1u);
  EXPECT_EQ(hub_->Publish(OperatorTopic("u-operator"), {{"pop", "case 1"}}), 1u);
  json wall = Read(sup);
  EXPECT_EQ(wall["data"]["waiting"], 4);
  json own = Read(op);  // the operator's first message is their own, not the wallboard
  EXPECT_EQ(own["topic"], "operator/u-operator");
  EXPECT_EQ(own["data"]["pop"], "case 1");
}

TEST_F(LiveServerTest, RefusesWithoutSessionWrongRoleAndPlainHttp) {
  Client none, admin, forged;
  EXPECT_EQ(Connect(none, ""), 401);
  EXPECT_EQ(Connect(admin, staff_.BearerFor("administrator")), 403);
  EXPECT_EQ(Connect(forged, "Bearer not-a-token"), 401);
  EXPECT_EQ(hub_->clients(), 0u);

  net::io_context ioc;
  beast::tcp_stream s(ioc);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, kLivePath, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::authorization, staff_.BearerFor("supervisor"));
  bhttp::write(s, req);
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  EXPECT_EQ(res.result_int(), 426u);
  EXPECT_EQ(json::parse(res.body())["error"]["code"], "upgrade_required");
}

TEST_F(LiveServerTest, SlowClientIsDisconnectedAndOthersKeepGettingMessages) {
  Client slow, fast;
  ASSERT_EQ(Connect(slow, staff_.BearerFor("supervisor")), 101);  // never reads
  ASSERT_EQ(Connect(fast, staff_.BearerFor("operator")), 101);
  ASSERT_TRUE(WaitForClients(2));
  const json big = {{"blob", std::string(256 * 1024, 'x')}};
  // Loopback buffers absorb a few MB; then the slow client's queue fills.
  for (int i = 0; i < 2000 && hub_->dropped() == 0; ++i) {
    hub_->Publish("wallboard", big);
    if (i % 8 == 7) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(hub_->dropped(), 1u);
  ASSERT_TRUE(WaitForClients(1));
  EXPECT_EQ(hub_->Publish(OperatorTopic("u-operator"), {{"still", "here"}}), 1u);
  EXPECT_EQ(Read(fast)["data"]["still"], "here");
}

TEST_F(LiveServerTest, StopClosesLiveClientsWithGoingAway) {
  Client sup;
  ASSERT_EQ(Connect(sup, staff_.BearerFor("supervisor")), 101);
  ASSERT_TRUE(WaitForClients(1));
  std::thread stopper([&] { server_->Stop(std::chrono::seconds(5)); });
  beast::flat_buffer buf;
  beast::error_code ec;
  sup.ws.read(buf, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(sup.ws.reason().code, websocket::close_code::going_away);
  stopper.join();
  EXPECT_EQ(server_->active_connections(), 0u);
  EXPECT_EQ(hub_->clients(), 0u);
}

}  // namespace
}  // namespace gosline::http

namespace gosline::http {
namespace {

json QueueJson(const std::string& id, nlohmann::json sl, int answered, int abandoned,
               double longest) {
  return {{"id", id},
          {"waiting", 2},
          {"longest_wait_seconds", longest},
          {"statistics",
           {{"window", {{"answered", answered}, {"abandoned", abandoned}, {"service_level", sl}}},
            {"today", {{"service_level", sl}}}}}};
}

json Snapshot(const std::string& at, std::vector<json> queues, std::vector<json> operators = {}) {
  return {{"type", "centre"}, {"at", at}, {"queues", queues}, {"operators", operators}};
}

TEST(WallboardFeedTest, PublishesSnapshotsAlarmsAndOperatorChanges) {
  LiveHub hub;
  auto wall = std::make_shared<Collector>();
  auto ivanova = std::make_shared<Collector>();
  ASSERT_TRUE(hub.Subscribe({kWallboardTopic}, wall).ok());
  ASSERT_TRUE(hub.Subscribe({OperatorTopic("ivanova")}, ivanova).ok());
  auto alarms = stats::AlarmEvaluator::Create(WallboardFeed::DefaultAlarmRules());
  ASSERT_TRUE(alarms.ok());
  WallboardFeed feed(hub, std::move(alarms).value());
  const json op = {{"id", "ivanova"}, {"state", "ready"}};

  feed.OnCentreSnapshot(Snapshot("2026-12-01T06:00:00Z", {QueueJson("q", 0.9, 9, 0, 10)}, {op}));
  ASSERT_EQ(wall->got.size(), 1u);
  EXPECT_EQ(wall->got[0]["data"]["type"], "centre");
  EXPECT_TRUE(wall->got[0]["data"]["alarms"].empty());
  ASSERT_EQ(ivanova->got.size(), 1u);
  EXPECT_EQ(ivanova->got[0]["data"]["type"], "operator");

  // The longest wait passes 120 s: raised at once; the same operator entry is not resent.
  feed.OnCentreSnapshot(Snapshot("2026-12-01T06:00:01Z", {QueueJson("q", 0.9, 9, 0, 130)}, {op}));
  ASSERT_EQ(wall->got.size(), 3u);
  EXPECT_EQ(wall->got[1]["data"]["type"], "alarm");
  EXPECT_EQ(wall->got[1]["data"]["rule"], "longest_wait_high");
  EXPECT_EQ(wall->got[1]["data"]["state"], "raised");
  EXPECT_EQ(wall->got[2]["data"]["alarms"].size(), 1u);
  EXPECT_EQ(ivanova->got.size(), 1u);
  EXPECT_EQ(feed.WithAlarms(json::object())["alarms"].size(), 1u);

  // 100 s is inside the band: nothing; 80 s clears it.
  feed.OnCentreSnapshot(Snapshot("2026-12-01T06:00:02Z", {QueueJson("q", 0.9, 9, 0, 100)}));
  EXPECT_EQ(wall->got.size(), 4u);
  feed.OnCentreSnapshot(Snapshot("2026-12-01T06:00:03Z", {QueueJson("q", 0.9, 9, 0, 80)}));
  ASSERT_EQ(wall->got.size(), 6u);
  EXPECT_EQ(wall->got[4]["data"]["state"], "cleared");
  EXPECT_TRUE(wall->got[5]["data"]["alarms"].empty());

  // Malformed input is ignored, never thrown on.
  feed.OnCentreSnapshot(json::array());
  feed.OnCentreSnapshot(json{{"at", 5}, {"queues", "x"}, {"operators", {1, 2}}});
  EXPECT_EQ(wall->got.size(), 7u);
}

}  // namespace
}  // namespace gosline::http
