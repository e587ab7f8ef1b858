#include "storage/postgres/postgres_call_outcome_store.h"

#include <utility>

#include "storage/postgres/connection_pool.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

const std::string kOutcomeColumns =
    "call_id, linked_case, queue, operator_id, wait_ms, talk_ms, wrap_up_ms, outcome, "
    "recording_path";

constexpr const char* kApply = "gosline_outcome_apply";
constexpr const char* kPlaceholder = "gosline_outcome_placeholder";
constexpr const char* kLatest = "gosline_outcome_latest";
constexpr const char* kByCase = "gosline_outcome_by_case";

void PrepareStatements(ConnectionPool& pool) {
  // An empty queue keeps the one telephony wrote.
  pool.Prepare(kApply,
               "UPDATE call_records SET linked_case = $2, "
               "queue = CASE WHEN $3 = '' THEN queue ELSE $3 END, operator_id = $4, "
               "wait_ms = $5, talk_ms = $6, wrap_up_ms = $7, outcome = $8, recording_path = $9 "
               "WHERE id = (SELECT MAX(id) FROM call_records WHERE call_id = $1)");
  pool.Prepare(kPlaceholder,
               "INSERT INTO call_records (call_id, linked_case, queue, operator_id, wait_ms, "
               "talk_ms, wrap_up_ms, outcome, recording_path, from_number, dialled, region, "
               "started_at_ms, ended_at_ms, end_reason, sip_status, language, ivr_path, topic, "
               "case_number, digits, prompts, ivr_end, caller_hmac) VALUES ($1, $2, $3, $4, $5, "
               "$6, $7, $8, $9, $10, $11, $12, $13, $14, 'centre', 0, $15, $16, $17, '', '', '', "
               "'queued', $18)");
  pool.Prepare(kLatest, "SELECT " + kOutcomeColumns +
                            " FROM call_records WHERE call_id = $1 ORDER BY id DESC LIMIT 1");
  pool.Prepare(kByCase,
               "SELECT " + kOutcomeColumns + " FROM call_records WHERE linked_case = $1 ORDER BY id");
}

std::optional<int64_t> Millis(const std::optional<Duration>& d) {
  if (!d) return std::nullopt;
  return d->count();
}

std::optional<Duration> DurationOrNull(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return Duration(f.as<int64_t>());
}

}  // namespace

PostgresCallOutcomeStore::PostgresCallOutcomeStore(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  PrepareStatements(db_->pool());
}

Result<bool> PostgresCallOutcomeStore::Apply(const CallOutcome& o) {
  bool updated = false;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    pqxx::result r = tx.exec_prepared(kApply, o.call_id, o.linked_case, o.queue, o.operator_id,
                                      Millis(o.wait), Millis(o.talk), Millis(o.wrap_up),
                                      o.outcome, o.recording_path);
    updated = r.affected_rows() > 0;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return updated;
}

Status PostgresCallOutcomeStore::InsertPlaceholder(const CallOutcome& o,
                                                   const CallOutcomeCallInfo& info) {
  // The caller's number is personal data: sealed and hashed as telephony's rows are (R22).
  std::string from = info.from;
  std::optional<std::string> caller_hmac;
  if (const RowCipher* cipher = db_->cipher(); cipher != nullptr && !from.empty()) {
    GOSLINE_ASSIGN_OR_RETURN(std::string sealed, cipher->Seal(from, SealedCallRecordContext(
        "from_number", o.call_id, ToUnixMillis(info.started))));
    GOSLINE_ASSIGN_OR_RETURN(std::string hash, cipher->PhoneHash(from));
    from = std::move(sealed);
    caller_hmac = std::move(hash);
  }
  std::optional<std::string> region;
  if (!info.region.empty()) region = info.region;
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec_prepared(kPlaceholder, o.call_id, o.linked_case, o.queue, o.operator_id,
                     Millis(o.wait), Millis(o.talk), Millis(o.wrap_up), o.outcome,
                     o.recording_path, from, info.dialled, region, ToUnixMillis(info.started),
                     ToUnixMillis(info.ended), info.language, info.ivr_path, info.topic,
                     caller_hmac);
    return Status::Ok();
  });
}

Result<std::vector<CallOutcome>> PostgresCallOutcomeStore::Query(const char* statement,
                                                                 const std::string& arg) {
  std::vector<CallOutcome> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& s : tx.exec_prepared(statement, arg)) {
      CallOutcome o;
      o.call_id = s[0].as<std::string>();
      o.linked_case = s[1].as<std::string>();
      o.queue = s[2].as<std::string>();
      o.operator_id = s[3].as<std::string>();
      o.wait = DurationOrNull(s[4]);
      o.talk = DurationOrNull(s[5]);
      o.wrap_up = DurationOrNull(s[6]);
      o.outcome = s[7].as<std::string>();
      o.recording_path = s[8].as<std::string>();
      out.push_back(std::move(o));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<CallOutcome>> PostgresCallOutcomeStore::Find(const std::string& call_id) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<CallOutcome> rows, Query(kLatest, call_id));
  if (rows.empty()) return std::optional<CallOutcome>();
  return std::optional<CallOutcome>(std::move(rows.front()));
}

Result<std::vector<CallOutcome>> PostgresCallOutcomeStore::FindByCase(
    const std::string& case_number) {
  return Query(kByCase, case_number);
}

}  // namespace gosline
