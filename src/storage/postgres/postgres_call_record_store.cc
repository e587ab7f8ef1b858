#include "storage/postgres/postgres_call_record_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "storage/postgres/case_rows.h"
#include "storage/postgres/connection_pool.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

const std::string kColumns =
    "call_id, from_number, caller_e164, dialled, region, started_at_ms, answered_at_ms, "
    "ended_at_ms, end_reason, sip_status, language, ivr_path, topic, queue, case_number, "
    "digits, prompts, ivr_end";

constexpr const char* kInsert = "gosline_call_record_insert";
constexpr const char* kByCallId = "gosline_call_record_by_call_id";
constexpr const char* kRecent = "gosline_call_record_recent";
constexpr const char* kByCaller = "gosline_call_record_by_caller";

void PrepareStatements(ConnectionPool& pool) {
  pool.Prepare(kInsert, "INSERT INTO call_records (" + kColumns +
                            ", caller_hmac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                            "$11, $12, $13, $14, $15, $16, $17, $18, $19)");
  pool.Prepare(kByCallId, "SELECT " + kColumns +
                              ", id FROM call_records WHERE call_id = $1 ORDER BY id");
  pool.Prepare(kRecent, "SELECT * FROM (SELECT " + kColumns +
                            ", id FROM call_records ORDER BY id DESC LIMIT $1) r ORDER BY id");
  pool.Prepare(kByCaller, "SELECT " + kColumns +
                              ", id FROM call_records WHERE caller_hmac = ANY($1::text[]) "
                              "ORDER BY started_at_ms, id LIMIT $2");
}

// The columns above, then id.
constexpr int kIdColumn = 18;

std::optional<std::string> OptText(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str(), f.size());
}

// A caller's number as stored: sealed under the cipher, else in clear.
Result<std::optional<std::string>> Unsealed(const RowCipher* cipher,
                                            std::optional<std::string> value,
                                            std::string_view column, const CallRecordRow& r,
                                            int64_t row_id) {
  if (!value || !IsSealedField(*value)) return value;
  const std::string where = "call_records row " + std::to_string(row_id) + ": column " +
                            std::string(column) + ": ";
  if (cipher == nullptr) {
    return Status::Corruption(where + "encrypted, but the store was opened without a data key");
  }
  Result<std::string> plain = cipher->Unseal(
      *value, SealedCallRecordContext(column, r.call_id, ToUnixMillis(r.started)));
  if (!plain.ok()) return Status::Corruption(where + "cannot decrypt: " + plain.status().message());
  return std::optional<std::string>(std::move(*plain));
}

Result<std::optional<std::string>> SealedOrClear(const RowCipher* cipher,
                                                 const std::optional<std::string>& value,
                                                 std::string_view column, const CallRecordRow& r) {
  if (!value || cipher == nullptr) return value;
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed,
      cipher->Seal(*value, SealedCallRecordContext(column, r.call_id, ToUnixMillis(r.started))));
  return std::optional<std::string>(std::move(sealed));
}

Result<CallRecordRow> ReadRow(const pqxx::row& s, const RowCipher* cipher) {
  CallRecordRow r;
  r.call_id = s[0].as<std::string>();
  r.started = FromUnixMillis(s[5].as<int64_t>());
  const int64_t row_id = s[kIdColumn].as<int64_t>();
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> from,
                           Unsealed(cipher, OptText(s[1]), "from_number", r, row_id));
  r.from = from.value_or("");
  GOSLINE_ASSIGN_OR_RETURN(r.caller_e164,
                           Unsealed(cipher, OptText(s[2]), "caller_e164", r, row_id));
  r.dialled = s[3].as<std::string>();
  r.region = OptText(s[4]);
  if (!s[6].is_null()) r.answered = FromUnixMillis(s[6].as<int64_t>());
  r.ended = FromUnixMillis(s[7].as<int64_t>());
  r.end_reason = s[8].as<std::string>();
  r.sip_status = s[9].as<int>();
  r.language = s[10].as<std::string>();
  r.ivr_path = s[11].as<std::string>();
  r.topic = s[12].as<std::string>();
  r.queue = s[13].as<std::string>();
  r.case_number = s[14].as<std::string>();
  // The keys pressed may hold a case number or a phone (R22): sealed like the caller's number.
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> digits,
                           Unsealed(cipher, OptText(s[15]), "digits", r, row_id));
  r.digits = digits.value_or("");
  r.prompts = s[16].as<std::string>();
  r.ivr_end = s[17].as<std::string>();
  return r;
}

Status Insert(pqxx::transaction_base& tx, const CallRecordRow& r, const RowCipher* cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> from,
                           SealedOrClear(cipher, r.from, "from_number", r));
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> e164,
                           SealedOrClear(cipher, r.caller_e164, "caller_e164", r));
  GOSLINE_ASSIGN_OR_RETURN(std::optional<std::string> digits,
                           SealedOrClear(cipher, r.digits, "digits", r));
  std::optional<std::string> hash = r.caller_e164;
  if (cipher != nullptr && r.caller_e164) {
    GOSLINE_ASSIGN_OR_RETURN(std::string h, cipher->PhoneHash(*r.caller_e164));
    hash = std::move(h);
  }
  std::optional<int64_t> answered;
  if (r.answered) answered = ToUnixMillis(*r.answered);
  tx.exec_prepared(kInsert, r.call_id, from.value_or(""), e164, r.dialled, r.region,
                   ToUnixMillis(r.started), answered, ToUnixMillis(r.ended), r.end_reason,
                   r.sip_status, r.language, r.ivr_path, r.topic, r.queue, r.case_number,
                   digits.value_or(""), r.prompts, r.ivr_end, hash);
  return Status::Ok();
}

}  // namespace

PostgresCallRecordStore::PostgresCallRecordStore(std::shared_ptr<PostgresDatabase> db,
                                                 Options opts)
    : db_(std::move(db)),
      batcher_({opts.max_queued, opts.max_batch},
               [this](const std::vector<CallRecordRow>& rows) { return WriteBatch(rows); }) {
  // Before the constructor returns, so before any row can be appended.
  PrepareStatements(db_->pool());
}

PostgresCallRecordStore::~PostgresCallRecordStore() {
  // Owners that must know call Close() first; rows lost here are counted in stats().failed.
  Close().IgnoreError();
}

Status PostgresCallRecordStore::Append(CallRecordRow row) { return batcher_.Append(std::move(row)); }
Status PostgresCallRecordStore::Flush() { return batcher_.Flush(); }
Status PostgresCallRecordStore::Close() { return batcher_.Close(); }

Status PostgresCallRecordStore::WriteBatch(const std::vector<CallRecordRow>& rows) {
  // The pool runs the batch again on a fresh connection after a lost one.
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    for (const CallRecordRow& r : rows) GOSLINE_RETURN_IF_ERROR(Insert(tx, r, db_->cipher()));
    return Status::Ok();
  });
}

template <typename... Args>
Result<std::vector<CallRecordRow>> PostgresCallRecordStore::Query(const char* statement,
                                                                  Args&&... args) {
  std::vector<CallRecordRow> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(statement, args...)) {
      GOSLINE_ASSIGN_OR_RETURN(CallRecordRow r, ReadRow(row, db_->cipher()));
      out.push_back(std::move(r));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<CallRecordRow>> PostgresCallRecordStore::FindByCallId(
    const std::string& call_id) {
  if (call_id.empty()) return std::vector<CallRecordRow>{};
  return Query(kByCallId, call_id);
}

Result<std::vector<CallRecordRow>> PostgresCallRecordStore::Recent(int limit) {
  return Query(kRecent, std::max(1, limit));
}

Result<std::vector<CallRecordRow>> PostgresCallRecordStore::FindByCaller(const std::string& phone,
                                                                          int limit) {
  std::vector<std::string> keys{phone};
  if (db_->cipher() != nullptr) {
    GOSLINE_ASSIGN_OR_RETURN(keys, db_->cipher()->PhoneLookupHashes(phone));
  }
  return Query(kByCaller, postgres::TextArray(keys), std::max(1, limit));
}

PostgresCallRecordStore::Stats PostgresCallRecordStore::stats() { return batcher_.stats(); }

}  // namespace gosline
