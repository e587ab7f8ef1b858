#include "storage/postgres/postgres_consent_store.h"

#include <optional>
#include <utility>

#include "core/cases/phone.h"
#include "storage/postgres/case_rows.h"
#include "storage/postgres/connection_pool.h"
#include "storage/sealed_fields.h"

namespace gosline {
namespace {

using postgres::ConnectionPool;
using Access = ConnectionPool::Access;

constexpr const char* kInsert = "gosline_consent_insert";
constexpr const char* kSealPhone = "gosline_consent_seal_phone";
constexpr const char* kForPhone = "gosline_consent_for_phone";
constexpr const char* kDelete = "gosline_consent_delete";

}  // namespace

PostgresConsentStore::PostgresConsentStore(std::shared_ptr<PostgresDatabase> db)
    : db_(std::move(db)) {
  ConnectionPool& pool = db_->pool();
  pool.Prepare(kInsert,
               "INSERT INTO consents (phone, phone_hmac, channel, granted, source, actor, "
               "recorded_at_ms) VALUES ('', $1, $2, $3, $4, $5, $6) RETURNING id");
  pool.Prepare(kSealPhone, "UPDATE consents SET phone = $1 WHERE id = $2");
  pool.Prepare(kForPhone,
               "SELECT id, phone, channel, granted, source, actor, recorded_at_ms FROM consents "
               "WHERE phone_hmac = ANY($1::text[]) ORDER BY recorded_at_ms, id");
  pool.Prepare(kDelete, "DELETE FROM consents WHERE phone_hmac = ANY($1::text[])");
}

Result<std::vector<std::string>> PostgresConsentStore::Keys(const std::string& phone) const {
  if (db_->cipher() != nullptr) return db_->cipher()->PhoneLookupHashes(phone);
  std::optional<std::string> e164 = NormalizePhone(phone);
  return std::vector<std::string>{e164 ? *e164 : phone};
}

Result<Consent> PostgresConsentStore::Record(Consent c) {
  if (std::optional<std::string> e164 = NormalizePhone(c.phone)) c.phone = *e164;
  const RowCipher* cipher = db_->cipher();
  GOSLINE_ASSIGN_OR_RETURN(std::string hash,
                           cipher ? cipher->PhoneHash(c.phone) : Result<std::string>(c.phone));
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    c.id = tx.exec_prepared1(kInsert, hash, c.channel, c.granted, c.source, c.actor,
                             ToUnixMillis(c.recorded_at))[0]
               .as<int64_t>();
    // Sealed under its row id, so it is known only now (same transaction).
    GOSLINE_ASSIGN_OR_RETURN(std::string phone,
        SealFieldIf(cipher, c.phone, SealedFieldContext("consents.phone", c.id)));
    tx.exec_prepared(kSealPhone, phone, c.id);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return c;
}

Result<std::vector<Consent>> PostgresConsentStore::ForPhone(const std::string& phone) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(phone));
  std::vector<Consent> out;
  Status st = db_->pool().Run(Access::kRead, [&](pqxx::transaction_base& tx) -> Status {
    out.clear();
    for (const pqxx::row& s : tx.exec_prepared(kForPhone, postgres::TextArray(keys))) {
      Consent c;
      c.id = s[0].as<int64_t>();
      c.phone = s[1].as<std::string>();
      if (IsSealedField(c.phone)) {
        const std::string where = "consents row " + std::to_string(c.id) + ": column phone: ";
        if (db_->cipher() == nullptr) {
          return Status::Corruption(where + "encrypted, but the store has no data key");
        }
        Result<std::string> plain =
            db_->cipher()->Unseal(c.phone, SealedFieldContext("consents.phone", c.id));
        if (!plain.ok()) {
          return Status::Corruption(where + "cannot decrypt: " + plain.status().message());
        }
        c.phone = std::move(*plain);
      }
      c.channel = s[2].as<std::string>();
      c.granted = s[3].as<bool>();
      c.source = s[4].as<std::string>();
      c.actor = s[5].as<std::string>();
      c.recorded_at = FromUnixMillis(s[6].as<int64_t>());
      out.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> PostgresConsentStore::DeleteForPhone(const std::string& phone) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(phone));
  int64_t deleted = 0;
  Status st = db_->pool().Run(Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    deleted = static_cast<int64_t>(
        tx.exec_prepared(kDelete, postgres::TextArray(keys)).affected_rows());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return deleted;
}

}  // namespace gosline
