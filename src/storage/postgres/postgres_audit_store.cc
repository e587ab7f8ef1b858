#include "storage/postgres/postgres_audit_store.h"

#include <limits>
#include <optional>
#include <utility>

#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kLockHead = "gosline_audit_lock_head";
constexpr const char* kReadHead = "gosline_audit_read_head";
constexpr const char* kInsert = "gosline_audit_insert";
constexpr const char* kMoveHead = "gosline_audit_move_head";
constexpr const char* kRead = "gosline_audit_read";

// The content columns travel as hex text (decode/encode on the server), so
// any bytes, NUL included, are kept as they are.
constexpr const char* kColumns =
    "seq, at_ms, encode(actor, 'hex'), encode(action, 'hex'), encode(object, 'hex'), "
    "encode(detail, 'hex'), prev_hash, hash";

std::string ToHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string FromHex(const std::string& hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1]));
  }
  return out;
}

AuditRecord RowToRecord(const pqxx::row& row) {
  AuditRecord r;
  r.seq = row[0].as<int64_t>();
  r.at = FromUnixMillis(row[1].as<int64_t>());
  r.actor = FromHex(row[2].as<std::string>());
  r.action = FromHex(row[3].as<std::string>());
  r.object = FromHex(row[4].as<std::string>());
  r.detail = FromHex(row[5].as<std::string>());
  r.prev_hash = row[6].as<std::string>();
  r.hash = row[7].as<std::string>();
  return r;
}

// The head row as the log's head: seq 0 is the row the migration made,
// before the first record (an empty log).
std::optional<AuditAnchor> HeadOf(const pqxx::row& row) {
  const int64_t seq = row[0].as<int64_t>();
  if (seq == 0) return std::nullopt;
  return AuditAnchor{seq, row[1].as<std::string>()};
}

}  // namespace

PostgresAuditStore::PostgresAuditStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  pool.Prepare(kLockHead, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  pool.Prepare(kReadHead, "SELECT seq, hash FROM audit_head WHERE id = 1");
  pool.Prepare(kInsert,
               "INSERT INTO audit_log (seq, at_ms, actor, action, object, detail, prev_hash, hash) "
               "VALUES ($1, $2, decode($3, 'hex'), decode($4, 'hex'), decode($5, 'hex'), "
               "decode($6, 'hex'), $7, $8)");
  pool.Prepare(kMoveHead, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1");
  pool.Prepare(kRead, "SELECT " + std::string(kColumns) +
                          " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2");
}

Status PostgresAuditStore::Append(AuditRecord& record, const Chain& chain) {
  AuditRecord written;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    // Held until COMMIT: an append on any node waits here for the one
    // before it, then reads the head that one left.
    pqxx::row head = tx.exec_prepared1(kLockHead);
    written = record;  // a retried transaction chains afresh
    chain(written, HeadOf(head));
    tx.exec_prepared(kInsert, written.seq, ToUnixMillis(written.at), ToHex(written.actor),
                     ToHex(written.action), ToHex(written.object), ToHex(written.detail),
                     written.prev_hash, written.hash);
    tx.exec_prepared(kMoveHead, written.seq, written.hash);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  record = std::move(written);
  return Status::Ok();
}

Result<std::vector<AuditRecord>> PostgresAuditStore::Read(int64_t from_seq, size_t limit) {
  std::vector<AuditRecord> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(kRead, from_seq, static_cast<int64_t>(limit))) {
      out.push_back(RowToRecord(row));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<AuditAnchor>> PostgresAuditStore::Head() {
  std::optional<AuditAnchor> head;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result rows = tx.exec_prepared(kReadHead);
    head = rows.empty() ? std::nullopt : HeadOf(rows[0]);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return head;
}

Status PostgresAuditStore::Scan(const std::function<void(const std::optional<AuditAnchor>&)>& head,
                                const std::function<bool(const AuditRecord&)>& visit) {
  // One REPEATABLE READ transaction: the head and every record from one
  // snapshot. Read in pages by seq, so a long log is never in memory whole.
  constexpr int64_t kPage = 1000;
  bool started = false;
  return db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    // The pool runs fn again after a lost connection; the caller has then
    // seen part of the log already, so the scan is refused, not repeated.
    if (started) return Status::Unavailable("audit log: connection lost during the scan");
    started = true;
    pqxx::result rows = tx.exec_prepared(kReadHead);
    head(rows.empty() ? std::nullopt : HeadOf(rows[0]));
    int64_t from = std::numeric_limits<int64_t>::min();
    for (;;) {
      pqxx::result page = tx.exec_prepared(kRead, from, kPage);
      for (const pqxx::row& row : page) {
        AuditRecord r = RowToRecord(row);
        if (!visit(r) || r.seq == std::numeric_limits<int64_t>::max()) return Status::Ok();
        from = r.seq + 1;
      }
      if (page.size() < static_cast<size_t>(kPage)) return Status::Ok();
    }
  });
}

}  // namespace gosline
