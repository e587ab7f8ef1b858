#include "storage/postgres/postgres_retention_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/cases/phone.h"
#include "storage/postgres/case_rows.h"
#include "storage/postgres/connection_pool.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

// A call belongs to the case it was linked to by the contact centre, else
// the case the caller asked about by phone. Columns: id, ref, recorded_ms,
// open (NULL = no case), case_updated_ms, recording_path.
const std::string kCallSelect =
    "SELECT r.id, r.call_id, r.started_at_ms, c.is_open, c.updated_at_ms, r.recording_path "
    "FROM call_records r LEFT JOIN cases c "
    "ON c.number = COALESCE(NULLIF(r.linked_case, ''), NULLIF(r.case_number, ''))";

constexpr const char* kCallRecordsBefore = "gosline_retention_call_records";
constexpr const char* kRecordingsBefore = "gosline_retention_recordings";
constexpr const char* kDoneCasesBefore = "gosline_retention_done_cases";
constexpr const char* kDeleteCalls = "gosline_retention_delete_calls";
constexpr const char* kStripCalls = "gosline_retention_strip_calls";
constexpr const char* kEraseCases = "gosline_retention_erase_cases";
constexpr const char* kEraseHistory = "gosline_retention_erase_history";
constexpr const char* kCitizenCases = "gosline_erasure_cases";
constexpr const char* kCitizenCalls = "gosline_erasure_calls";
constexpr const char* kCitizenConsents = "gosline_erasure_consents";

// An id list as a bigint[] literal.
std::string IdArray(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (int64_t id : ids) {
    if (out.size() > 1) out += ',';
    out += std::to_string(id);
  }
  return out + "}";
}

}  // namespace

PostgresRetentionStore::PostgresRetentionStore(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  pool.Prepare(kCallRecordsBefore, kCallSelect +
                                       " WHERE r.started_at_ms <= $1 AND (r.from_number <> '' OR "
                                       "r.caller_e164 IS NOT NULL) AND r.id > $2 ORDER BY r.id "
                                       "LIMIT $3");
  pool.Prepare(kRecordingsBefore, kCallSelect +
                                      " WHERE r.started_at_ms <= $1 AND r.recording_path <> '' "
                                      "AND r.id > $2 ORDER BY r.id LIMIT $3");
  pool.Prepare(kDoneCasesBefore,
               "SELECT id, number, updated_at_ms, 0, updated_at_ms, '' FROM cases "
               "WHERE status IN ('resolved', 'closed') AND updated_at_ms <= $1 "
               "AND phone_hmac IS NOT NULL AND id > $2 ORDER BY id LIMIT $3");
  pool.Prepare(kDeleteCalls, "DELETE FROM call_records WHERE id = ANY($1::bigint[])");
  pool.Prepare(kStripCalls,
               "UPDATE call_records SET from_number = '', caller_e164 = NULL, caller_hmac = NULL, "
               "digits = '' WHERE id = ANY($1::bigint[])");
  pool.Prepare(kEraseCases,
               "UPDATE cases SET phone = '', phone_hmac = NULL, portal_account_id = NULL, "
               "summary = '' WHERE id = ANY($1::bigint[])");
  pool.Prepare(kEraseHistory,
               "UPDATE case_history SET detail = '' WHERE case_id = ANY($1::bigint[])");
  pool.Prepare(kCitizenCases,
               "SELECT id, number, is_open FROM cases WHERE phone_hmac = ANY($1::text[]) "
               "AND id <> $2 ORDER BY id FOR UPDATE");
  pool.Prepare(kCitizenCalls, "DELETE FROM call_records WHERE caller_hmac = ANY($1::text[])");
  pool.Prepare(kCitizenConsents, "DELETE FROM consents WHERE phone_hmac = ANY($1::text[])");
}

Result<std::vector<RetentionCandidate>> PostgresRetentionStore::Candidates(const char* statement,
                                                                           Time before,
                                                                           int64_t after_id,
                                                                           int limit) {
  std::vector<RetentionCandidate> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& s :
         tx.exec_prepared(statement, ToUnixMillis(before), after_id, std::max(1, limit))) {
      RetentionCandidate& c = out.emplace_back();
      c.id = s[0].as<int64_t>();
      c.ref = s[1].as<std::string>();
      c.recorded_at = FromUnixMillis(s[2].as<int64_t>());
      if (!s[3].is_null()) {
        c.tied_to_open_case = s[3].as<int>() != 0;
        if (!c.tied_to_open_case) c.case_closed_at = FromUnixMillis(s[4].as<int64_t>());
      }
      c.recording_path = s[5].as<std::string>();
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<RetentionCandidate>> PostgresRetentionStore::CallRecordsBefore(
    Time before, int64_t after_id, int limit) {
  return Candidates(kCallRecordsBefore, before, after_id, limit);
}

Result<std::vector<RetentionCandidate>> PostgresRetentionStore::RecordingsBefore(
    Time before, int64_t after_id, int limit) {
  return Candidates(kRecordingsBefore, before, after_id, limit);
}

Result<std::vector<RetentionCandidate>> PostgresRetentionStore::DoneCasesBefore(
    Time before, int64_t after_id, int limit) {
  return Candidates(kDoneCasesBefore, before, after_id, limit);
}

Status PostgresRetentionStore::ForIds(const std::vector<const char*>& statements,
                                      const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  const std::string array = IdArray(ids);
  return db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    for (const char* statement : statements) tx.exec_prepared(statement, array);
    return Status::Ok();
  });
}

Status PostgresRetentionStore::DeleteCallRecords(const std::vector<int64_t>& ids) {
  return ForIds({kDeleteCalls}, ids);
}

Status PostgresRetentionStore::StripCallRecords(const std::vector<int64_t>& ids) {
  return ForIds({kStripCalls}, ids);
}

Status PostgresRetentionStore::EraseCasePersonalData(const std::vector<int64_t>& ids) {
  return ForIds({kEraseCases, kEraseHistory}, ids);
}

Result<CitizenErasure> PostgresRetentionStore::EraseCitizen(const std::string& phone,
                                                            int64_t keep_case_id) {
  std::vector<std::string> keys;
  if (db_->cipher() != nullptr) {
    GOSLINE_ASSIGN_OR_RETURN(keys, db_->cipher()->PhoneLookupHashes(phone));
  } else {
    std::optional<std::string> e164 = NormalizePhone(phone);
    keys.push_back(e164 ? *e164 : phone);
  }
  const std::string key_array = postgres::TextArray(keys);
  CitizenErasure out;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    out = CitizenErasure();
    // FOR UPDATE: a node updating one of these cases meanwhile waits, so an
    // open case cannot be closed and missed between this read and the erase.
    std::vector<int64_t> erase;
    for (const pqxx::row& s : tx.exec_prepared(kCitizenCases, key_array, keep_case_id)) {
      const bool open = s[2].as<int>() != 0;
      (open ? out.cases_kept : out.cases_erased).push_back(s[1].as<std::string>());
      if (!open) erase.push_back(s[0].as<int64_t>());
    }
    if (!erase.empty()) {
      const std::string ids = IdArray(erase);
      tx.exec_prepared(kEraseCases, ids);
      tx.exec_prepared(kEraseHistory, ids);
    }
    out.call_records_deleted =
        static_cast<int64_t>(tx.exec_prepared(kCitizenCalls, key_array).affected_rows());
    out.consents_deleted =
        static_cast<int64_t>(tx.exec_prepared(kCitizenConsents, key_array).affected_rows());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace gosline
