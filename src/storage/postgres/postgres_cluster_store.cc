#include "storage/postgres/postgres_cluster_store.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "storage/postgres/connection_pool.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kChannel = "gosline_cluster";

constexpr const char* kCallColumns =
    "id, node_id, local_call, enqueued_at_ms, state, operator_id, sip_call_id, caller, dialled, "
    "caller_region, language, topic, queue, ivr_path, collected, started_at_ms, case_number, "
    "has_open_case, earlier_cases";

// A list of strings in one text column: each as <length>:<bytes>, so any
// byte may appear in a value.
std::string EncodeList(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += std::to_string(v.size()) + ":" + v;
  return out;
}

Result<std::vector<std::string>> DecodeList(const std::string& text, const std::string& where) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t colon = text.find(':', i);
    if (colon == std::string::npos || colon == i || colon - i > 9) {
      return Status::Corruption(where + ": damaged list");
    }
    size_t n = 0;
    for (size_t k = i; k < colon; ++k) {
      if (text[k] < '0' || text[k] > '9') return Status::Corruption(where + ": damaged list");
      n = n * 10 + size_t(text[k] - '0');
    }
    if (n > text.size() - colon - 1) return Status::Corruption(where + ": damaged list");
    out.push_back(text.substr(colon + 1, n));
    i = colon + 1 + n;
  }
  return out;
}

std::string CallerContext(const std::string& node_id, uint64_t local_call) {
  return "cluster_calls.caller:" + node_id + "." + std::to_string(local_call);
}

// Refuses to go on unless `term` is the current one; holds the leader row
// in share mode until the transaction ends (see the header).
Status CheckTerm(pqxx::transaction_base& tx, int64_t term) {
  const int64_t current =
      tx.exec1("SELECT term FROM cluster_leader WHERE id = 1 FOR SHARE")[0].as<int64_t>();
  if (current != term) {
    return Status::FailedPrecondition("fenced: term " + std::to_string(term) +
                                      " is over, the routing leader's term is " +
                                      std::to_string(current));
  }
  return Status::Ok();
}

void Notify(pqxx::transaction_base& tx, const std::string& payload) {
  tx.exec_params("SELECT pg_notify($1, $2)", kChannel, payload);
}

}  // namespace

// LISTEN on the store's listening connection; any notification wakes the
// waiter. Destroyed before that connection (it unlistens through it).
class PostgresClusterStore::Listener final : public pqxx::notification_receiver {
 public:
  explicit Listener(pqxx::connection& conn) : pqxx::notification_receiver(conn, kChannel) {}
  void operator()(const std::string&, int) override {}
};

PostgresClusterStore::PostgresClusterStore(std::shared_ptr<PostgresDatabase> db,
                                           std::string node_id)
    : db_(std::move(db)), node_id_(std::move(node_id)) {}

PostgresClusterStore::~PostgresClusterStore() {
  MutexLock lock(listen_mu_);
  listener_.reset();
  listen_conn_.reset();
}

Status PostgresClusterStore::Heartbeat(const std::string& node_id) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_params(
        "INSERT INTO cluster_nodes (node_id, heartbeat_at) VALUES ($1, now()) "
        "ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()",
        node_id);
    return Status::Ok();
  });
}

Result<int64_t> PostgresClusterStore::AddCall(ClusterCall c, Time at) {
  GOSLINE_ASSIGN_OR_RETURN(std::string caller,
                           SealFieldIf(db_->cipher(), c.caller, CallerContext(c.node_id, c.local_call)));
  std::vector<std::string> collected;
  for (const auto& [k, v] : c.collected) {
    collected.push_back(k);
    collected.push_back(v);
  }
  int64_t id = 0;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    id = tx.exec_params1(
               "INSERT INTO cluster_calls (node_id, local_call, enqueued_at_ms, state, operator_id, "
               "sip_call_id, caller, dialled, caller_region, language, topic, queue, ivr_path, "
               "collected, started_at_ms, case_number, has_open_case, earlier_cases) VALUES "
               "($1, $2, $3, 'waiting', '', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
               "$16) RETURNING id",
               c.node_id, static_cast<int64_t>(c.local_call), ToUnixMillis(c.enqueued_at),
               c.sip_call_id, caller, c.dialled, c.caller_region, c.language, c.topic, c.queue,
               c.ivr_path, EncodeList(collected), ToUnixMillis(c.started_at), c.case_number,
               c.has_open_case, EncodeList(c.earlier_cases))[0]
             .as<int64_t>();
    tx.exec_params(
        "INSERT INTO cluster_events (node_id, call_id, kind, operator_id, fields, at_ms) "
        "VALUES ($1, $2, 'enqueued', '', '', $3)",
        c.node_id, id, ToUnixMillis(at));
    Notify(tx, "events");
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return id;
}

Status PostgresClusterStore::ReportCallEvent(const std::string& node_id, int64_t id,
                                             const std::string& kind,
                                             std::vector<std::string> fields, Time at) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    // The row says what the event did, so a new leader sees it without the event.
    if (kind == "answered") {
      tx.exec_params("UPDATE cluster_calls SET state = 'connected' WHERE id = $1", id);
    } else if (kind == "ring_failed") {
      tx.exec_params("UPDATE cluster_calls SET state = 'waiting', operator_id = '' WHERE id = $1",
                     id);
    } else if (kind == "caller_hung_up" || kind == "operator_hung_up" || kind == "callback") {
      // The caller's call is over (an operator's hang-up ends it too).
      tx.exec_params("DELETE FROM cluster_calls WHERE id = $1", id);
    }
    tx.exec_params(
        "INSERT INTO cluster_events (node_id, call_id, kind, operator_id, fields, at_ms) "
        "VALUES ($1, $2, $3, '', $4, $5)",
        node_id, id, kind, EncodeList(fields), ToUnixMillis(at));
    Notify(tx, "events");
    return Status::Ok();
  });
}

Status PostgresClusterStore::SetOperatorState(const OperatorStateRow& row,
                                              const std::string& node_id) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_params(
        "INSERT INTO cluster_operators (operator_id, state, reason, at_ms) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (operator_id) DO UPDATE SET state = $2, reason = $3, at_ms = $4",
        row.operator_id, row.state, row.reason, ToUnixMillis(row.at));
    tx.exec_params(
        "INSERT INTO cluster_events (node_id, call_id, kind, operator_id, fields, at_ms) "
        "VALUES ($1, 0, 'operator_state', $2, $3, $4)",
        node_id, row.operator_id, EncodeList({row.state, row.reason}), ToUnixMillis(row.at));
    Notify(tx, "events");
    return Status::Ok();
  });
}

Result<std::vector<ClusterDecision>> PostgresClusterStore::TakeDecisions(
    const std::string& node_id) {
  std::vector<ClusterDecision> out;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& r : tx.exec_params(
             "DELETE FROM cluster_decisions WHERE node_id = $1 "
             "RETURNING seq, term, call_id, local_call, kind, operator_id, fields",
             node_id)) {
      ClusterDecision d;
      d.seq = r[0].as<int64_t>();
      d.term = r[1].as<int64_t>();
      d.call = r[2].as<int64_t>();
      d.local_call = static_cast<uint64_t>(r[3].as<int64_t>());
      d.kind = r[4].as<std::string>();
      d.operator_id = r[5].as<std::string>();
      GOSLINE_ASSIGN_OR_RETURN(
          d.fields, DecodeList(r[6].as<std::string>(), "cluster_decisions " + std::to_string(d.seq)));
      out.push_back(std::move(d));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::sort(out.begin(), out.end(),
            [](const ClusterDecision& a, const ClusterDecision& b) { return a.seq < b.seq; });
  return out;
}

Result<bool> PostgresClusterStore::WaitForChange(Duration max) {
  MutexLock lock(listen_mu_);
  try {
    if (listener_ == nullptr || !listen_conn_->is_open()) {
      listener_.reset();
      listen_conn_.reset();
      GOSLINE_ASSIGN_OR_RETURN(listen_conn_, db_->pool().ConnectDedicated());
      listener_ = std::make_unique<Listener>(*listen_conn_);
      // Listening from now: whatever was written before is found by polling.
      return true;
    }
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(max).count();
    const int got = listen_conn_->await_notification(static_cast<long>(us / 1000000),
                                                         static_cast<long>(us % 1000000));
    return got > 0;
  } catch (const std::exception& e) {
    listener_.reset();
    listen_conn_.reset();
    return Status::Unavailable(std::string("postgres: cluster notifications: ") + e.what());
  }
}

Result<ClusterCall> PostgresClusterStore::ReadCall(const pqxx::row& r) const {
  ClusterCall c;
  c.id = r[0].as<int64_t>();
  const std::string where = "cluster_calls row " + std::to_string(c.id);
  c.node_id = r[1].as<std::string>();
  c.local_call = static_cast<uint64_t>(r[2].as<int64_t>());
  c.enqueued_at = FromUnixMillis(r[3].as<int64_t>());
  c.state = r[4].as<std::string>();
  c.operator_id = r[5].as<std::string>();
  c.sip_call_id = r[6].as<std::string>();
  c.caller = r[7].as<std::string>();
  if (IsSealedField(c.caller)) {
    if (db_->cipher() == nullptr) {
      return Status::Corruption(where + ": column caller: encrypted, but the store has no data key");
    }
    Result<std::string> plain = db_->cipher()->Unseal(c.caller, CallerContext(c.node_id, c.local_call));
    if (!plain.ok()) {
      return Status::Corruption(where + ": column caller: cannot decrypt: " + plain.status().message());
    }
    c.caller = std::move(*plain);
  }
  c.dialled = r[8].as<std::string>();
  c.caller_region = r[9].as<std::string>();
  c.language = r[10].as<std::string>();
  c.topic = r[11].as<std::string>();
  c.queue = r[12].as<std::string>();
  c.ivr_path = r[13].as<std::string>();
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> collected,
                           DecodeList(r[14].as<std::string>(), where + ": column collected"));
  if (collected.size() % 2 != 0) return Status::Corruption(where + ": column collected: odd list");
  for (size_t i = 0; i + 1 < collected.size(); i += 2) {
    c.collected.emplace_back(std::move(collected[i]), std::move(collected[i + 1]));
  }
  c.started_at = FromUnixMillis(r[15].as<int64_t>());
  c.case_number = r[16].as<std::string>();
  c.has_open_case = r[17].as<bool>();
  GOSLINE_ASSIGN_OR_RETURN(c.earlier_cases,
                           DecodeList(r[18].as<std::string>(), where + ": column earlier_cases"));
  return c;
}

Result<ClusterSnapshot> PostgresClusterStore::TakeSnapshot(int64_t term) {
  ClusterSnapshot snap;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    snap = ClusterSnapshot{};
    // One snapshot for the events forgotten and the tables read: a node's
    // write is either in both or in neither.
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    GOSLINE_RETURN_IF_ERROR(CheckTerm(tx, term));
    tx.exec("DELETE FROM cluster_events");
    for (const pqxx::row& r : tx.exec(std::string("SELECT ") + kCallColumns +
                                      " FROM cluster_calls ORDER BY enqueued_at_ms, id")) {
      GOSLINE_ASSIGN_OR_RETURN(ClusterCall c, ReadCall(r));
      snap.calls.push_back(std::move(c));
    }
    for (const pqxx::row& r :
         tx.exec("SELECT operator_id, state, reason, at_ms FROM cluster_operators "
                 "ORDER BY at_ms, operator_id")) {
      snap.operators.push_back(OperatorStateRow{r[0].as<std::string>(), r[1].as<std::string>(),
                                                r[2].as<std::string>(),
                                                FromUnixMillis(r[3].as<int64_t>())});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return snap;
}

Result<std::vector<ClusterEvent>> PostgresClusterStore::TakeEvents(int64_t term) {
  std::vector<ClusterEvent> out;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    GOSLINE_RETURN_IF_ERROR(CheckTerm(tx, term));
    for (const pqxx::row& r :
         tx.exec("DELETE FROM cluster_events "
                 "RETURNING seq, node_id, call_id, kind, operator_id, fields, at_ms")) {
      ClusterEvent e;
      e.seq = r[0].as<int64_t>();
      e.node_id = r[1].as<std::string>();
      e.call = r[2].as<int64_t>();
      e.kind = r[3].as<std::string>();
      e.operator_id = r[4].as<std::string>();
      GOSLINE_ASSIGN_OR_RETURN(
          e.fields, DecodeList(r[5].as<std::string>(), "cluster_events " + std::to_string(e.seq)));
      e.at = FromUnixMillis(r[6].as<int64_t>());
      out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(),
              [](const ClusterEvent& a, const ClusterEvent& b) { return a.seq < b.seq; });
    for (ClusterEvent& e : out) {
      if (e.kind != "enqueued") continue;
      pqxx::result row = tx.exec_params(
          std::string("SELECT ") + kCallColumns + " FROM cluster_calls WHERE id = $1", e.call);
      // Gone already: the caller hung up, and that event follows.
      if (row.empty()) continue;
      GOSLINE_ASSIGN_OR_RETURN(ClusterCall c, ReadCall(row[0]));
      e.enqueued = std::move(c);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status PostgresClusterStore::Decide(int64_t term, ClusterDecision d) {
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    GOSLINE_RETURN_IF_ERROR(CheckTerm(tx, term));
    pqxx::result found =
        tx.exec_params("SELECT node_id, local_call FROM cluster_calls WHERE id = $1", d.call);
    if (found.empty()) return Status::NotFound("no cluster call " + std::to_string(d.call));
    const std::string node = found[0][0].as<std::string>();
    const int64_t local = found[0][1].as<int64_t>();
    if (d.kind == "ring") {
      tx.exec_params("UPDATE cluster_calls SET state = 'ringing', operator_id = $2 WHERE id = $1",
                     d.call, d.operator_id);
    } else if (d.kind == "cancel_ring" || d.kind == "release") {
      tx.exec_params("UPDATE cluster_calls SET state = 'waiting', operator_id = '' WHERE id = $1",
                     d.call);
    }
    tx.exec_params(
        "INSERT INTO cluster_decisions (term, node_id, call_id, local_call, kind, operator_id, "
        "fields) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        term, node, d.call, local, d.kind, d.operator_id, EncodeList(d.fields));
    Notify(tx, "decisions:" + node);
    return Status::Ok();
  });
}

Result<std::vector<int64_t>> PostgresClusterStore::RemoveCallsOfDeadNodes(int64_t term,
                                                                          Duration timeout) {
  std::vector<int64_t> removed;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    removed.clear();
    GOSLINE_RETURN_IF_ERROR(CheckTerm(tx, term));
    // A node that never beat (no row) is as dead as one that stopped.
    const std::string dead =
        "SELECT c.node_id FROM cluster_calls c LEFT JOIN cluster_nodes n USING (node_id) "
        "WHERE n.heartbeat_at IS NULL OR n.heartbeat_at < now() - make_interval(secs => $1 / 1000.0)";
    for (const pqxx::row& r :
         tx.exec_params("DELETE FROM cluster_calls WHERE node_id IN (" + dead + ") RETURNING id",
                        static_cast<int64_t>(ms))) {
      removed.push_back(r[0].as<int64_t>());
    }
    if (!removed.empty()) {
      tx.exec_params("DELETE FROM cluster_decisions WHERE call_id = ANY($1::bigint[])",
                     [&] {
                       std::string a = "{";
                       for (int64_t id : removed) a += (a.size() > 1 ? "," : "") + std::to_string(id);
                       return a + "}";
                     }());
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::sort(removed.begin(), removed.end());
  return removed;
}

}  // namespace gosline
