#include "storage/sqlite/sqlite_webhook_store.h"

#include <algorithm>

#include "core/common/system_clock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string JoinEvents(const std::vector<std::string>& events) {
  std::string out;
  for (const std::string& e : events) out += (out.empty() ? "" : " ") + e;
  return out;
}

std::vector<std::string> SplitEvents(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

DeliveryState ParseState(const std::string& s) {
  if (s == "delivered") return DeliveryState::kDelivered;
  if (s == "dead") return DeliveryState::kDead;
  return DeliveryState::kPending;
}

constexpr const char* kDeliveryColumns =
    "id, message_id, subscription_id, event, payload, created_at_ms, attempts, "
    "next_attempt_at_ms, state, last_error";

Result<std::vector<WebhookDelivery>> ReadDeliveries(Statement& st) {
  std::vector<WebhookDelivery> out;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    WebhookDelivery d;
    d.id = st.ColumnInt64(0);
    d.message_id = st.ColumnText(1);
    d.subscription_id = st.ColumnInt64(2);
    d.event = st.ColumnText(3);
    d.payload = st.ColumnText(4);
    d.created_at = FromUnixMillis(st.ColumnInt64(5));
    d.attempts = static_cast<int>(st.ColumnInt64(6));
    d.next_attempt_at = FromUnixMillis(st.ColumnInt64(7));
    d.state = ParseState(st.ColumnText(8));
    d.last_error = st.ColumnText(9);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

std::string_view ToString(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending: return "pending";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kDead: return "dead";
  }
  return "pending";
}

SqliteWebhookStore::SqliteWebhookStore(std::unique_ptr<SqliteConnection> conn)
    : conn_(std::move(conn)) {}

SqliteWebhookStore::~SqliteWebhookStore() = default;

Result<std::unique_ptr<SqliteWebhookStore>> SqliteWebhookStore::Open(const std::string& path) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  return std::unique_ptr<SqliteWebhookStore>(new SqliteWebhookStore(std::move(conn)));
}

Result<WebhookSubscription> SqliteWebhookStore::AddSubscription(WebhookSubscription s) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "INSERT INTO webhook_subscriptions (url, events, secret, include_phone, description, "
      "created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st.Bind(1, std::string_view(s.url));
  const std::string events = JoinEvents(s.events);
  st.Bind(2, std::string_view(events));
  st.Bind(3, std::string_view(s.secret));
  st.Bind(4, static_cast<int64_t>(s.include_phone ? 1 : 0));
  st.Bind(5, std::string_view(s.description));
  st.Bind(6, ToUnixMillis(s.created_at));
  GOSLINE_RETURN_IF_ERROR(st.Run());
  s.id = sqlite3_last_insert_rowid(conn_->handle());
  return s;
}

Result<std::vector<WebhookSubscription>> SqliteWebhookStore::SubscriptionsLocked() {
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT id, url, events, secret, include_phone, description, created_at_ms "
      "FROM webhook_subscriptions ORDER BY id"));
  std::vector<WebhookSubscription> out;
  while (true) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    WebhookSubscription s;
    s.id = st.ColumnInt64(0);
    s.url = st.ColumnText(1);
    s.events = SplitEvents(st.ColumnText(2));
    s.secret = st.ColumnText(3);
    s.include_phone = st.ColumnInt64(4) != 0;
    s.description = st.ColumnText(5);
    s.created_at = FromUnixMillis(st.ColumnInt64(6));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<WebhookSubscription>> SqliteWebhookStore::Subscriptions() {
  MutexLock lock(mu_);
  return SubscriptionsLocked();
}

Result<std::optional<WebhookSubscription>> SqliteWebhookStore::Subscription(int64_t id) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(std::vector<WebhookSubscription> all, SubscriptionsLocked());
  for (WebhookSubscription& s : all) {
    if (s.id == id) return std::optional<WebhookSubscription>(std::move(s));
  }
  return std::optional<WebhookSubscription>();
}

Status SqliteWebhookStore::RemoveSubscription(int64_t id) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare("DELETE FROM webhook_subscriptions WHERE id = ?1"));
    st.Bind(1, id);
    GOSLINE_RETURN_IF_ERROR(st.Run());
  }
  if (conn_->changes() == 0) return Status::NotFound("no webhook subscription " + std::to_string(id));
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
        "DELETE FROM webhook_outbox WHERE subscription_id = ?1 AND state = 'pending'"));
    st.Bind(1, id);
    GOSLINE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

Result<int> SqliteWebhookStore::Enqueue(const std::string& event, Time at, const Render& render) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(std::vector<WebhookSubscription> subs, SubscriptionsLocked());
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  int rows = 0;
  for (const WebhookSubscription& s : subs) {
    if (std::find(s.events.begin(), s.events.end(), event) == s.events.end()) continue;
    // The id is known before the row: the payload may carry it.
    GOSLINE_ASSIGN_OR_RETURN(Statement next, conn_->Prepare(
        "SELECT COALESCE(MAX(id), 0) + 1 FROM webhook_outbox"));
    GOSLINE_ASSIGN_OR_RETURN(bool row, next.Step());
    if (!row) return Status::Internal("webhook_outbox: no next id");
    const int64_t id = next.ColumnInt64(0);
    const std::string message_id = "msg_" + std::to_string(ToUnixMillis(at)) + "_" + std::to_string(id);
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
        "INSERT INTO webhook_outbox (id, message_id, subscription_id, event, payload, created_at_ms, "
        "attempts, next_attempt_at_ms, state, last_error) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?6, 'pending', '')"));
    st.Bind(1, id);
    st.Bind(2, std::string_view(message_id));
    st.Bind(3, s.id);
    st.Bind(4, std::string_view(event));
    const std::string payload = render(s, message_id);
    st.Bind(5, std::string_view(payload));
    st.Bind(6, ToUnixMillis(at));
    GOSLINE_RETURN_IF_ERROR(st.Run());
    ++rows;
  }
  GOSLINE_RETURN_IF_ERROR(tx.Commit());
  return rows;
}

Result<std::vector<WebhookDelivery>> SqliteWebhookStore::Due(Time now, int limit) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      std::string("SELECT ") + kDeliveryColumns +
      " FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at_ms <= ?1 "
      "ORDER BY next_attempt_at_ms, id LIMIT ?2"));
  st.Bind(1, ToUnixMillis(now));
  st.Bind(2, static_cast<int64_t>(limit));
  return ReadDeliveries(st);
}

Result<std::optional<Time>> SqliteWebhookStore::NextDue() {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT MIN(next_attempt_at_ms) FROM webhook_outbox WHERE state = 'pending'"));
  GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnIsNull(0)) return std::optional<Time>();
  return std::optional<Time>(FromUnixMillis(st.ColumnInt64(0)));
}

Status SqliteWebhookStore::MarkDelivered(int64_t id, int attempts, Time at) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE webhook_outbox SET state = 'delivered', attempts = ?2, delivered_at_ms = ?3, "
      "last_error = '' WHERE id = ?1"));
  st.Bind(1, id);
  st.Bind(2, static_cast<int64_t>(attempts));
  st.Bind(3, ToUnixMillis(at));
  return st.Run();
}

Status SqliteWebhookStore::MarkFailed(int64_t id, int attempts, Time next_attempt,
                                      const std::string& error, bool dead) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE webhook_outbox SET state = ?2, attempts = ?3, next_attempt_at_ms = ?4, "
      "last_error = ?5 WHERE id = ?1 AND state = 'pending'"));
  st.Bind(1, id);
  st.Bind(2, std::string_view(dead ? "dead" : "pending"));
  st.Bind(3, static_cast<int64_t>(attempts));
  st.Bind(4, ToUnixMillis(next_attempt));
  st.Bind(5, std::string_view(error).substr(0, 500));
  return st.Run();
}

Result<std::vector<WebhookDelivery>> SqliteWebhookStore::Deliveries(DeliveryState state, int limit) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      std::string("SELECT ") + kDeliveryColumns +
      " FROM webhook_outbox WHERE state = ?1 ORDER BY id DESC LIMIT ?2"));
  st.Bind(1, ToString(state));
  st.Bind(2, static_cast<int64_t>(limit));
  return ReadDeliveries(st);
}

Status SqliteWebhookStore::Replay(int64_t id, Time now) {
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_attempt_at_ms = ?2 "
      "WHERE id = ?1 AND state = 'dead'"));
  st.Bind(1, id);
  st.Bind(2, ToUnixMillis(now));
  GOSLINE_RETURN_IF_ERROR(st.Run());
  if (conn_->changes() == 0) return Status::NotFound("no dead-lettered delivery " + std::to_string(id));
  return Status::Ok();
}

}  // namespace gosline
