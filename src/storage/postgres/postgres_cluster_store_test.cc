// One queue order for several nodes (R4, R11): the routing leadership and
// its fencing, and the cluster tables, against a real PostgreSQL server.
#include "storage/postgres/postgres_cluster_store.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/common/system_clock.h"
#include "storage/postgres/postgres_database.h"
#include "storage/postgres/postgres_leader_lease.h"
#include "storage/postgres/testing/postgres_server.h"

namespace gosline {
namespace {

using testing::PostgresServer;

// One server for the binary (gtest_discover_tests runs each test in a
// process of its own, so this is one server per test).
class ClusterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    Result<std::string> database = server_->CreateDatabase();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    conninfo_ = server_->ConnInfo(*database);
    db_ = Open();
  }

  std::shared_ptr<PostgresDatabase> Open() {
    PostgresOptions opts;
    opts.conninfo = conninfo_;
    opts.max_connections = 4;
    Result<std::shared_ptr<PostgresDatabase>> db =
        PostgresDatabase::Open(std::move(opts), SystemClock().Now());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? *db : nullptr;
  }

  // As an administrator would: ends the session that holds the lock.
  int TerminateLeaderSessions() {
    pqxx::connection admin(conninfo_);
    pqxx::nontransaction tx(admin);
    pqxx::result r = tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_locks "
        "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()");
    return static_cast<int>(r.size());
  }

  ClusterCall Call(const std::string& node, uint64_t local, int64_t enqueued_ms) {
    ClusterCall c;
    c.node_id = node;
    c.local_call = local;
    c.enqueued_at = FromUnixMillis(enqueued_ms);
    c.sip_call_id = "call-" + std::to_string(local) + "@" + node;
    c.caller = "+7900000000" + std::to_string(local % 10);
    c.language = "ru";
    c.topic = "pensions";
    c.collected = {{"service_code", "12"}, {"note", "a:b\n2:"}};
    c.case_number = "C-" + std::to_string(local);
    c.has_open_case = local % 2 == 0;
    c.earlier_cases = {"C-1", "C-2"};
    return c;
  }

  std::unique_ptr<PostgresServer> server_;
  std::string conninfo_;
  std::shared_ptr<PostgresDatabase> db_;
};

TEST_F(ClusterStoreTest, OneOfTwoCandidatesLeadsAndTheOtherTakesOverWhenItsSessionEnds) {
  ASSERT_NE(db_, nullptr);
  PostgresLeaderLease a(db_, "node-a");
  PostgresLeaderLease b(db_, "node-b");
  Result<std::optional<int64_t>> got_a = a.TryAcquire();
  ASSERT_TRUE(got_a.ok()) << got_a.status().ToString();
  ASSERT_TRUE(got_a->has_value());
  Result<std::optional<int64_t>> got_b = b.TryAcquire();
  ASSERT_TRUE(got_b.ok()) << got_b.status().ToString();
  EXPECT_FALSE(got_b->has_value()) << "two leaders at once";
  EXPECT_TRUE(a.Check(**got_a).ok());

  // The leader's backend goes (as when its node is killed or cut off).
  ASSERT_EQ(TerminateLeaderSessions(), 1);
  std::optional<int64_t> term_b;
  for (int i = 0; i < 100 && !term_b; ++i) {
    got_b = b.TryAcquire();
    ASSERT_TRUE(got_b.ok()) << got_b.status().ToString();
    if (got_b->has_value()) term_b = **got_b;
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(term_b.has_value()) << "the standby never took over";
  EXPECT_GT(*term_b, **got_a);
  EXPECT_FALSE(a.Check(**got_a).ok()) << "the old leader still believes it leads";
  EXPECT_TRUE(b.Check(*term_b).ok());

  // The old leader cannot lead again while the new one holds the lock.
  got_a = a.TryAcquire();
  ASSERT_TRUE(got_a.ok()) << got_a.status().ToString();
  EXPECT_FALSE(got_a->has_value());
  // Released (drain): the other takes over at once, under a later term.
  b.Release();
  got_a = a.TryAcquire();
  ASSERT_TRUE(got_a.ok()) << got_a.status().ToString();
  ASSERT_TRUE(got_a->has_value());
  EXPECT_GT(**got_a, *term_b);
}

TEST_F(ClusterStoreTest, TheOldLeadersDecisionIsRefusedOnceANewTermBegan) {
  ASSERT_NE(db_, nullptr);
  PostgresClusterStore store(db_, "node-a");
  Result<int64_t> call = store.AddCall(Call("node-a", 7, 1000), FromUnixMillis(1000));
  ASSERT_TRUE(call.ok()) << call.status().ToString();

  PostgresLeaderLease a(db_, "node-a");
  PostgresLeaderLease b(db_, "node-b");
  Result<std::optional<int64_t>> old_term = a.TryAcquire();
  ASSERT_TRUE(old_term.ok() && old_term->has_value());

  ClusterDecision ring;
  ring.call = *call;
  ring.kind = "ring";
  ring.operator_id = "ivanova";
  ring.fields = {"sip:ivanova@127.0.0.1:5090", "C-7", "pensions", "77"};
  EXPECT_TRUE(store.Decide(**old_term, ring).ok());

  ASSERT_EQ(TerminateLeaderSessions(), 1);
  Result<std::optional<int64_t>> new_term = b.TryAcquire();
  for (int i = 0; i < 100 && new_term.ok() && !new_term->has_value(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    new_term = b.TryAcquire();
  }
  ASSERT_TRUE(new_term.ok() && new_term->has_value());

  // The old leader has not noticed yet and decides again: refused.
  ring.operator_id = "petrov";
  Status fenced = store.Decide(**old_term, ring);
  EXPECT_EQ(fenced.code(), Status::Code::kFailedPrecondition) << fenced.ToString();
  Result<std::vector<int64_t>> removed = store.RemoveCallsOfDeadNodes(**old_term, std::chrono::hours(1));
  EXPECT_EQ(removed.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(store.TakeEvents(**old_term).status().code(), Status::Code::kFailedPrecondition);

  // The node holding the call got the first ring only.
  Result<std::vector<ClusterDecision>> got = store.TakeDecisions("node-a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].operator_id, "ivanova");
  EXPECT_EQ((*got)[0].local_call, 7u);
  EXPECT_EQ((*got)[0].term, **old_term);
  EXPECT_EQ((*got)[0].fields, ring.fields);
  // Taken once.
  got = store.TakeDecisions("node-a");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
  // The new leader decides.
  EXPECT_TRUE(store.Decide(**new_term, ring).ok());
}

TEST_F(ClusterStoreTest, ANewLeaderRebuildsTheCallsInTheirOriginalOrderWithTheirData) {
  ASSERT_NE(db_, nullptr);
  PostgresClusterStore node_a(db_, "node-a");
  PostgresClusterStore node_b(db_, "node-b");
  ASSERT_TRUE(node_a.Heartbeat("node-a").ok());
  ASSERT_TRUE(node_b.Heartbeat("node-b").ok());
  // Reported out of order: the table keeps the callers' own times.
  ASSERT_TRUE(node_b.AddCall(Call("node-b", 2, 3000), FromUnixMillis(3000)).ok());
  Result<int64_t> call_1 = node_a.AddCall(Call("node-a", 1, 1000), FromUnixMillis(1000));
  ASSERT_TRUE(call_1.ok());
  ASSERT_TRUE(node_a.AddCall(Call("node-a", 3, 2000), FromUnixMillis(2000)).ok());
  Result<int64_t> call_4 = node_a.AddCall(Call("node-a", 4, 2500), FromUnixMillis(2500));
  ASSERT_TRUE(call_4.ok());
  ASSERT_TRUE(node_a.ReportCallEvent("node-a", *call_4, "caller_hung_up", {}, FromUnixMillis(2600)).ok());
  ASSERT_TRUE(node_b.SetOperatorState({"ivanova", "ready", "", FromUnixMillis(100)}, "node-b").ok());
  ASSERT_TRUE(node_a.SetOperatorState({"petrov", "not_ready", "lunch", FromUnixMillis(200)}, "node-a").ok());

  PostgresLeaderLease lease(db_, "node-b");
  Result<std::optional<int64_t>> term = lease.TryAcquire();
  ASSERT_TRUE(term.ok() && term->has_value());
  Result<ClusterSnapshot> snap = node_b.TakeSnapshot(**term);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  ASSERT_EQ(snap->calls.size(), 3u);
  EXPECT_EQ(snap->calls[0].local_call, 1u);
  EXPECT_EQ(snap->calls[1].local_call, 3u);
  EXPECT_EQ(snap->calls[2].local_call, 2u);
  const ClusterCall& first = snap->calls[0];
  const ClusterCall expected = Call("node-a", 1, 1000);
  EXPECT_EQ(first.node_id, "node-a");
  EXPECT_EQ(first.enqueued_at, FromUnixMillis(1000));
  EXPECT_EQ(first.caller, expected.caller);
  EXPECT_EQ(first.collected, expected.collected);
  EXPECT_EQ(first.case_number, "C-1");
  EXPECT_FALSE(first.has_open_case);
  EXPECT_TRUE(snap->calls[2].has_open_case);
  EXPECT_EQ(first.earlier_cases, expected.earlier_cases);
  EXPECT_EQ(first.state, "waiting");
  ASSERT_EQ(snap->operators.size(), 2u);
  EXPECT_EQ(snap->operators[0].operator_id, "ivanova");
  EXPECT_EQ(snap->operators[1].reason, "lunch");
  // What the snapshot reflects is not handed over again as events.
  Result<std::vector<ClusterEvent>> events = node_b.TakeEvents(**term);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_TRUE(events->empty());

  // After the snapshot, events arrive in order, an enqueue with its row.
  ASSERT_TRUE(node_a.AddCall(Call("node-a", 5, 4000), FromUnixMillis(4000)).ok());
  ASSERT_TRUE(node_a.ReportCallEvent("node-a", *call_1, "ring_failed", {"busy"}, FromUnixMillis(4100)).ok());
  events = node_b.TakeEvents(**term);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, "enqueued");
  ASSERT_TRUE((*events)[0].enqueued.has_value());
  EXPECT_EQ((*events)[0].enqueued->local_call, 5u);
  EXPECT_EQ((*events)[1].kind, "ring_failed");
  EXPECT_EQ((*events)[1].call, first.id);
  EXPECT_EQ((*events)[1].fields, std::vector<std::string>{"busy"});

  // A node whose heartbeat stopped loses its calls; the others keep theirs.
  {
    pqxx::connection admin(conninfo_);
    pqxx::work tx(admin);
    tx.exec("UPDATE cluster_nodes SET heartbeat_at = now() - interval '1 hour' "
            "WHERE node_id = 'node-a'");
    tx.commit();
  }
  Result<std::vector<int64_t>> removed = node_b.RemoveCallsOfDeadNodes(**term, std::chrono::seconds(10));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->size(), 3u);
  snap = node_b.TakeSnapshot(**term);
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->calls.size(), 1u);
  EXPECT_EQ(snap->calls[0].node_id, "node-b");
}

TEST_F(ClusterStoreTest, ADecisionWakesTheNodeThatHoldsTheCall) {
  ASSERT_NE(db_, nullptr);
  PostgresClusterStore node_a(db_, "node-a");
  PostgresClusterStore leader(db_, "node-b");
  // The first wait opens the listening session.
  ASSERT_TRUE(node_a.WaitForChange(std::chrono::milliseconds(1)).ok());
  Result<int64_t> call = node_a.AddCall(Call("node-a", 1, 1000), FromUnixMillis(1000));
  ASSERT_TRUE(call.ok());
  PostgresLeaderLease lease(db_, "node-b");
  Result<std::optional<int64_t>> term = lease.TryAcquire();
  ASSERT_TRUE(term.ok() && term->has_value());
  ClusterDecision announce;
  announce.call = *call;
  announce.kind = "announce";
  announce.fields = {"1", ""};
  ASSERT_TRUE(leader.Decide(**term, announce).ok());
  bool woken = false;
  for (int i = 0; i < 50 && !woken; ++i) {
    Result<bool> w = node_a.WaitForChange(std::chrono::milliseconds(100));
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    woken = *w;
  }
  EXPECT_TRUE(woken);
}

}  // namespace
}  // namespace gosline
