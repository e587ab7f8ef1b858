// One queue order for two nodes on one PostgreSQL database (R4, R11): the
// real contact centres, cluster adapters and PostgreSQL server; as each
// node's telephony, a connector that writes down what it was asked.
#include "app/cluster/cluster_node.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/cluster/cluster_call_port.h"
#include "app/cluster/cluster_decision_writer.h"
#include "config/config.h"
#include "config/config_vocabulary.h"
#include "core/common/system_clock.h"
#include "storage/postgres/postgres_case_store.h"
#include "storage/postgres/postgres_cluster_store.h"
#include "storage/postgres/postgres_database.h"
#include "storage/postgres/postgres_leader_lease.h"
#include "storage/postgres/testing/postgres_server.h"

namespace gosline::cluster {
namespace {

using namespace std::chrono_literals;
using contact_centre::CallId;

// Every loop that waits for the other threads gives up after this.
constexpr auto kPatience = 20s;

// A node's telephony: the rings it was asked to make, in order.
struct Telephony final : contact_centre::CallConnector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<CallId, std::string>> rings;  // local call, operator
  std::vector<CallId> cancels;
  void RingOperator(const contact_centre::OperatorRing& ring) override {
    std::lock_guard l(mu);
    rings.emplace_back(ring.call, ring.operator_id);
    cv.notify_all();
  }
  void CancelRing(CallId call) override {
    std::lock_guard l(mu);
    cancels.push_back(call);
  }
  void Announce(const contact_centre::WaitAnnouncement&) override {}
  void Hangup(CallId, std::string) override {}
  void ReleaseOperator(CallId) override {}
  size_t RingCount() {
    std::lock_guard l(mu);
    return rings.size();
  }
};

Config CaseConfig() {
  Config cfg;
  cfg.topics = {Topic{"taxes", {{"ru", "Налоги"}}, "", "2", false, false}};
  cfg.regions = {Region{"77", "Москва", std::chrono::minutes(180), ""}};
  return cfg;
}

routing::RoutingTopology Topology() {
  routing::RoutingTopology t;
  t.languages = {"ru"};
  t.topics = {{"taxes", false}};
  t.centres = {"federal"};
  t.queues = {{"federal-taxes", "taxes", "federal"}};
  return t;
}

routing::RoutingConfig Routing() {
  routing::RoutingConfig c;
  c.settings.wrap_up = 0s;
  c.settings.no_answer = 600s;
  c.settings.default_handle_time = 60s;
  c.settings.open_case_weight = 3600s;
  c.operators = {{"ivanova", "Иванова", {{"taxes", 9}}, {"ru"}, {}, "federal"}};
  return c;
}

// One gosline node: its stores, its centre and the cluster adapters.
struct Node {
  Node(const std::string& id, std::shared_ptr<PostgresDatabase> db, CaseService& cases,
       const Clock& clock)
      : store(db, id), lease(db, id), writer(store), port(store, id, cases) {
    auto created = contact_centre::ContactCentre::Create(Topology(), Routing(), {}, cases, nullptr,
                                                         clock);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    centre = std::move(created).value();
    centre->SetConnector(&writer);
    centre->ForwardOperatorStates([this, id, &clock](const std::string& op, const std::string& state,
                                                     const std::string& reason) {
      return store.SetOperatorState({op, state, reason, clock.Now()}, id);
    });
    centre->Start();
    ClusterNodeOptions o;
    o.node_id = id;
    o.leader_poll = 100ms;
    o.heartbeat = 100ms;
    o.node_timeout = 60s;
    o.poll = 50ms;
    node = std::make_unique<ClusterNode>(o, store, lease, *centre, writer, clock);
    node->SetTelephony(&phone);
    port.Start();
    node->Start();
  }
  ~Node() {
    port.Stop();
    node->Stop();
    centre->Stop();
  }

  PostgresClusterStore store;
  PostgresLeaderLease lease;
  ClusterDecisionWriter writer;
  ClusterCallPort port;
  std::unique_ptr<contact_centre::ContactCentre> centre;
  std::unique_ptr<ClusterNode> node;
  Telephony phone;
};

class ClusterNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<testing::PostgresServer>> server = testing::PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    Result<std::string> database = server_->CreateDatabase();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    conninfo_ = server_->ConnInfo(*database);
    PostgresOptions opts;
    opts.conninfo = conninfo_;
    opts.max_connections = 8;
    Result<std::shared_ptr<PostgresDatabase>> db = PostgresDatabase::Open(opts, clock_.Now());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    case_store_ = std::make_unique<PostgresCaseStore>(db_);
    cases_ = std::make_unique<CaseService>(*case_store_, workflow_, clock_);
  }
  void TearDown() override {
    nodes_.clear();
    cases_.reset();
    case_store_.reset();
    db_.reset();
  }

  Node& AddNode(const std::string& id) {
    nodes_.push_back(std::make_unique<Node>(id, db_, *cases_, clock_));
    return *nodes_.back();
  }

  template <typename Pred>
  bool WaitFor(Pred pred) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  contact_centre::WaitingCall Call(CallId local, Time queued, bool open_case) {
    contact_centre::WaitingCall c;
    c.id = local;
    c.sip_call_id = "sip-" + std::to_string(local);
    c.caller = "+7916000000" + std::to_string(local % 10);
    c.dialled = "115";
    c.caller_region = "77";
    c.language = "ru";
    c.topic = "taxes";
    c.started_at = queued;
    c.queued_since = queued;
    contact_centre::CallCase filed;
    filed.number = "T-" + std::to_string(local);
    filed.has_open_case = open_case;
    c.filed = filed;
    return c;
  }

  int TerminateLeaseSessions() {
    pqxx::connection admin(conninfo_);
    pqxx::nontransaction tx(admin);
    return static_cast<int>(tx.exec("SELECT pg_terminate_backend(pid) FROM pg_locks "
                                    "WHERE locktype = 'advisory' AND granted "
                                    "AND pid <> pg_backend_pid()")
                                .size());
  }

  size_t Waiting(Node& n) {
    size_t waiting = 0;
    for (const auto& q : n.centre->Snapshot().queues) waiting += q.waiting;
    return waiting;
  }

  SystemClock clock_;
  Config config_ = CaseConfig();
  ConfigVocabulary vocabulary_{config_};
  BusinessCalendar calendar_{WeeklyHours{}, std::chrono::minutes(180), {}, {}, {}};
  CaseWorkflow workflow_{vocabulary_, calendar_, 1};
  std::unique_ptr<testing::PostgresServer> server_;
  std::string conninfo_;
  std::shared_ptr<PostgresDatabase> db_;
  std::unique_ptr<PostgresCaseStore> case_store_;
  std::unique_ptr<CaseService> cases_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

TEST_F(ClusterNodeTest, R11_TheStandbyTakesOverAndAnswersTheCallersInTheirOriginalOrder) {
  Node& a = AddNode("node-a");
  ASSERT_TRUE(WaitFor([&] { return a.node->leading(); }));
  Node& b = AddNode("node-b");

  // Six callers, on both nodes; two with an open case (R9: an hour's head start).
  const Time t0 = clock_.Now() - 10min;
  struct Placed {
    Node* node;
    CallId local;
  };
  std::vector<Placed> callers = {{&b, 1}, {&a, 2}, {&b, 3}, {&a, 4}, {&b, 5}, {&a, 6}};
  for (size_t i = 0; i < callers.size(); ++i) {
    const bool open_case = callers[i].local == 4 || callers[i].local == 5;
    callers[i].node->port.CallEnqueued(Call(callers[i].local, t0 + i * 10s, open_case), clock_.Now());
  }
  ASSERT_TRUE(WaitFor([&] { return Waiting(a) == 6; })) << "the leader has " << Waiting(a);
  EXPECT_FALSE(b.node->leading());

  // The leader's session ends (its node cut off from the database).
  ASSERT_EQ(TerminateLeaseSessions(), 1);
  ASSERT_TRUE(WaitFor([&] { return b.node->leading(); })) << "the standby never took over";
  ASSERT_TRUE(WaitFor([&] { return !a.node->leading(); })) << "the old leader still leads";
  ASSERT_TRUE(WaitFor([&] { return Waiting(b) == 6; })) << "the new leader has " << Waiting(b);

  // The operator becomes ready through the old leader's node (HTTP there).
  ASSERT_TRUE(a.centre->SetOperatorState("ivanova", "ready", "").ok());
  std::vector<CallId> order;
  for (int i = 0; i < 6; ++i) {
    size_t rung = 0;
    ASSERT_TRUE(WaitFor([&] {
      rung = a.phone.RingCount() + b.phone.RingCount();
      return rung == order.size() + 1;
    })) << "ring " << i + 1 << " never came";
    // The node that holds the call was asked to ring, for its own call.
    Node* holder = nullptr;
    CallId local = 0;
    for (Node* n : {&a, &b}) {
      std::lock_guard l(n->phone.mu);
      for (const auto& [call, op] : n->phone.rings) {
        if (std::find(order.begin(), order.end(), call) == order.end()) {
          holder = n;
          local = call;
          EXPECT_EQ(op, "ivanova");
        }
      }
    }
    ASSERT_NE(holder, nullptr);
    order.push_back(local);
    holder->port.OperatorAnswered(local, clock_.Now());
    holder->port.OperatorHungUp(local, clock_.Now());
  }
  // Open cases first (R9), then by when each caller first entered the queue.
  EXPECT_EQ(order, (std::vector<CallId>{4, 5, 1, 2, 3, 6}));
}

TEST_F(ClusterNodeTest, R4_ANodeThatDrainsHandsTheLeadershipOver) {
  Node& a = AddNode("node-a");
  ASSERT_TRUE(WaitFor([&] { return a.node->leading(); }));
  Node& b = AddNode("node-b");
  a.port.CallEnqueued(Call(1, clock_.Now() - 1min, false), clock_.Now());
  ASSERT_TRUE(WaitFor([&] { return Waiting(a) == 1; }));
  a.node->Resign();
  ASSERT_TRUE(WaitFor([&] { return b.node->leading(); }));
  EXPECT_FALSE(a.node->leading());
  ASSERT_TRUE(b.centre->SetOperatorState("ivanova", "ready", "").ok());
  // The draining node still carries out the decisions for its calls.
  ASSERT_TRUE(WaitFor([&] { return a.phone.RingCount() == 1; }));
  EXPECT_EQ(b.phone.RingCount(), 0u);
}

}  // namespace
}  // namespace gosline::cluster
