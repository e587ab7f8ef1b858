#include "storage/sqlite/consent_store.h"

#include "core/cases/phone.h"
#include "core/common/system_clock.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/case_rows.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {

using sqlite::SqliteConnection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string InList(size_t n) {
  std::string out = "?";
  for (size_t i = 1; i < n; ++i) out += ", ?";
  return out;
}

}  // namespace

SqliteConsentStore::SqliteConsentStore(std::unique_ptr<SqliteConnection> conn,
                                       std::shared_ptr<const RowCipher> cipher)
    : conn_(std::move(conn)), cipher_(std::move(cipher)) {}

SqliteConsentStore::~SqliteConsentStore() = default;

Result<std::unique_ptr<SqliteConsentStore>> SqliteConsentStore::Open(
    const std::string& path, std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(auto conn, SqliteConnection::Open(path, {}));
  GOSLINE_RETURN_IF_ERROR(sqlite::CheckDataKey(*conn, cipher.get()));
  GOSLINE_RETURN_IF_ERROR(sqlite::ApplyMigrations(*conn, SystemClock().Now()));
  if (cipher) {
    GOSLINE_RETURN_IF_ERROR(sqlite::SealPlaintextRows(*conn, *cipher, 500).status());
  }
  return std::unique_ptr<SqliteConsentStore>(
      new SqliteConsentStore(std::move(conn), std::move(cipher)));
}

Result<std::vector<std::string>> SqliteConsentStore::Keys(const std::string& phone) const {
  if (cipher_) return cipher_->PhoneLookupHashes(phone);
  std::optional<std::string> e164 = NormalizePhone(phone);
  return std::vector<std::string>{e164 ? *e164 : phone};
}

Result<Consent> SqliteConsentStore::Record(Consent c) {
  if (std::optional<std::string> e164 = NormalizePhone(c.phone)) c.phone = *e164;
  GOSLINE_ASSIGN_OR_RETURN(std::string hash,
      cipher_ ? cipher_->PhoneHash(c.phone) : Result<std::string>(c.phone));
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, Transaction::Kind::kWrite));
  {
    GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
        "INSERT INTO consents (phone, phone_hmac, channel, granted, source, actor, recorded_at_ms) "
        "VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6)"));
    st.Bind(1, std::string_view(hash));
    st.Bind(2, std::string_view(c.channel));
    st.Bind(3, static_cast<int64_t>(c.granted ? 1 : 0));
    st.Bind(4, std::string_view(c.source));
    st.Bind(5, std::string_view(c.actor));
    st.Bind(6, ToUnixMillis(c.recorded_at));
    GOSLINE_RETURN_IF_ERROR(st.Run());
  }
  c.id = sqlite3_last_insert_rowid(conn_->handle());
  // Sealed under its row id, so it is known only now.
  GOSLINE_ASSIGN_OR_RETURN(std::string phone,
      sqlite::SealIf(cipher_.get(), c.phone, sqlite::FieldContext("consents.phone", c.id)));
  GOSLINE_ASSIGN_OR_RETURN(Statement up,
      conn_->Prepare("UPDATE consents SET phone = ?1 WHERE id = ?2"));
  up.Bind(1, std::string_view(phone));
  up.Bind(2, c.id);
  GOSLINE_RETURN_IF_ERROR(up.Run());
  GOSLINE_RETURN_IF_ERROR(tx.Commit());
  return c;
}

Result<std::vector<Consent>> SqliteConsentStore::ForPhone(const std::string& phone) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(phone));
  MutexLock lock(mu_);
  GOSLINE_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(
      "SELECT id, phone, channel, granted, source, actor, recorded_at_ms FROM consents "
      "WHERE phone_hmac IN (" + InList(keys.size()) + ") ORDER BY recorded_at_ms, id"));
  int index = 1;
  for (const std::string& k : keys) st.Bind(index++, std::string_view(k));
  std::vector<Consent> out;
  for (;;) {
    GOSLINE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    sqlite3_stmt* s = st.raw();
    auto text = [s](int col) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, col)));
    };
    Consent c;
    c.id = sqlite3_column_int64(s, 0);
    c.phone = text(1);
    if (sqlite::IsSealed(c.phone)) {
      if (!cipher_) return Status::Corruption("consents row " + std::to_string(c.id) + ": encrypted");
      Result<std::string> plain =
          cipher_->Unseal(c.phone, sqlite::FieldContext("consents.phone", c.id));
      if (!plain.ok()) {
        return Status::Corruption("consents row " + std::to_string(c.id) +
                                  ": column phone: cannot decrypt: " + plain.status().message());
      }
      c.phone = std::move(*plain);
    }
    c.channel = text(2);
    c.granted = sqlite3_column_int64(s, 3) != 0;
    c.source = text(4);
    c.actor = text(5);
    c.recorded_at = FromUnixMillis(sqlite3_column_int64(s, 6));
    out.push_back(std::move(c));
  }
}

Result<int64_t> SqliteConsentStore::DeleteForPhone(const std::string& phone) {
  GOSLINE_ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(phone));
  MutexLock lock(mu_);
  Result<Statement> st = conn_->Prepare("DELETE FROM consents WHERE phone_hmac IN (" +
                                        InList(keys.size()) + ")");
  if (!st.ok()) return st.status();
  int index = 1;
  for (const std::string& k : keys) st->Bind(index++, std::string_view(k));
  GOSLINE_RETURN_IF_ERROR(st->Run());
  return conn_->changes();
}

}  // namespace gosline
