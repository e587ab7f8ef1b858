#include "store_engines.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>

#include "core/common/system_clock.h"
#include "security/sqlite_audit_store.h"
#include "security/staff_store.h"
#include "storage/postgres/postgres_audit_store.h"
#include "storage/postgres/postgres_staff_store.h"
#include "storage/postgres/postgres_call_outcome_store.h"
#include "storage/postgres/postgres_call_record_store.h"
#include "storage/postgres/postgres_call_report_reader.h"
#include "storage/postgres/postgres_case_store.h"
#include "storage/postgres/postgres_config_version_store.h"
#include "storage/postgres/postgres_consent_store.h"
#include "storage/postgres/postgres_idempotency_store.h"
#include "storage/postgres/postgres_retention_store.h"
#include "storage/postgres/postgres_database.h"
#include "storage/postgres/testing/postgres_server.h"
#include "storage/sqlite/consent_store.h"
#include "storage/sqlite/sqlite_idempotency_store.h"
#include "storage/sqlite/retention_store.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_call_report_reader.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::testing {
namespace {

namespace fs = std::filesystem;

// The test binary's PostgreSQL server: started once before the first test,
// stopped and removed after the last, whatever the tests did.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Result<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (started.ok()) {
      server_ = std::move(started).value();
    } else {
      failure_ = started.status();
    }
  }
  void TearDown() override { server_.reset(); }

  static PostgresEnvironment* Get() { return instance_; }
  PostgresServer* server() { return server_.get(); }
  const Status& failure() const { return failure_; }

 private:
  static PostgresEnvironment* const instance_;
  std::unique_ptr<PostgresServer> server_;
  Status failure_;
};

// gtest owns the environment; registered before main runs the tests.
PostgresEnvironment* const PostgresEnvironment::instance_ = static_cast<PostgresEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

Status PqxxStatus(const std::exception& e) { return Status::Internal(e.what()); }

}  // namespace

// ---- SQLite ----

SqliteEngine::SqliteEngine() = default;

SqliteEngine::~SqliteEngine() {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Status SqliteEngine::SetUp() {
  std::string tmpl = (fs::temp_directory_path() / "gosline-store-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Status::IoError("mkdtemp " + tmpl);
  dir_ = tmpl;
  db_path_ = dir_ + "/cases.db";
  return Status::Ok();
}

Result<std::unique_ptr<CaseStore>> SqliteEngine::OpenCases(std::shared_ptr<const RowCipher> cipher) {
  SqliteOptions opts;
  opts.synchronous = SqliteSync::kNormal;
  opts.cipher = std::move(cipher);
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCaseStore> store,
                           SqliteCaseStore::Open(db_path_, opts));
  return std::unique_ptr<CaseStore>(std::move(store));
}

Result<std::unique_ptr<CallRecordStore>> SqliteEngine::OpenCallRecords(
    std::shared_ptr<const RowCipher> cipher) {
  SqliteCallRecordStore::Options opts;
  opts.synchronous = SqliteSync::kNormal;
  opts.cipher = std::move(cipher);
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCallRecordStore> store,
                           SqliteCallRecordStore::Open(db_path_, opts));
  return std::unique_ptr<CallRecordStore>(std::move(store));
}

Result<std::unique_ptr<CallOutcomeStore>> SqliteEngine::OpenCallOutcomes(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCallOutcomeStore> store,
                           SqliteCallOutcomeStore::Open(db_path_, std::move(cipher)));
  return std::unique_ptr<CallOutcomeStore>(std::move(store));
}

Result<std::unique_ptr<CallReportReader>> SqliteEngine::OpenCallReports() {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCallReportReader> reader,
                           SqliteCallReportReader::Open(db_path_));
  return std::unique_ptr<CallReportReader>(std::move(reader));
}

Result<std::unique_ptr<ConsentStore>> SqliteEngine::OpenConsents(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConsentStore> store,
                           SqliteConsentStore::Open(db_path_, std::move(cipher)));
  return std::unique_ptr<ConsentStore>(std::move(store));
}

Result<std::unique_ptr<IdempotencyStore>> SqliteEngine::OpenIdempotency() {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteIdempotencyStore> store,
                           SqliteIdempotencyStore::Open(db_path_));
  return std::unique_ptr<IdempotencyStore>(std::move(store));
}

Result<std::unique_ptr<RetentionStore>> SqliteEngine::OpenRetention(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteRetentionStore> store,
                           SqliteRetentionStore::Open(db_path_, std::move(cipher)));
  return std::unique_ptr<RetentionStore>(std::move(store));
}

Result<std::unique_ptr<CitizenErasureStore>> SqliteEngine::OpenErasure(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SqliteRetentionStore> store,
                           SqliteRetentionStore::Open(db_path_, std::move(cipher)));
  return std::unique_ptr<CitizenErasureStore>(std::move(store));
}

// The audit log in the case database itself (it may also have a file of its
// own), so that Raw* reach its tables too.
Result<std::unique_ptr<AuditStore>> SqliteEngine::OpenAudit() {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::SqliteAuditStore> store,
                           security::SqliteAuditStore::Open(db_path_));
  return std::unique_ptr<AuditStore>(std::move(store));
}

Result<std::unique_ptr<StaffAccountStore>> SqliteEngine::OpenStaff() {
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::SqliteStaffStore> store,
                           security::SqliteStaffStore::Open(db_path_));
  return std::unique_ptr<StaffAccountStore>(std::move(store));
}

Status SqliteEngine::RawExec(const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path_.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot open " + db_path_);
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  Status st = rc == SQLITE_OK ? Status::Ok() : Status::Internal(err ? err : "sqlite error");
  sqlite3_free(err);
  sqlite3_close(db);
  return st;
}

Result<int64_t> SqliteEngine::RawCount(const std::string& sql) {
  GOSLINE_ASSIGN_OR_RETURN(std::string text, RawTable("(" + sql + ")"));
  if (text.empty()) return Status::NotFound("no row from " + sql);
  return std::stoll(text);
}

Result<std::string> SqliteEngine::RawTable(const std::string& table) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path_.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot open " + db_path_);
  }
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = "SELECT * FROM " + table;
  std::string out;
  Status st;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    st = Status::Internal(std::string(sqlite3_errmsg(db)) + " in " + sql);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (i > 0) out += '|';
        if (text != nullptr) out += reinterpret_cast<const char*>(text);
      }
      out += '\n';
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!st.ok()) return st;
  return out;
}

// ---- PostgreSQL ----

Status PostgresEngine::SetUp() {
  PostgresEnvironment* env = PostgresEnvironment::Get();
  if (env->server() == nullptr) {
    return Status::FailedPrecondition("the test PostgreSQL server did not start: " +
                                      env->failure().ToString());
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string database, env->server()->CreateDatabase());
  conninfo_ = env->server()->ConnInfo(database);
  return Status::Ok();
}

Result<std::shared_ptr<PostgresDatabase>> PostgresEngine::OpenDatabase(
    std::shared_ptr<const RowCipher> cipher) {
  PostgresOptions opts;
  opts.conninfo = conninfo_;
  opts.max_connections = 4;
  opts.cipher = std::move(cipher);
  return PostgresDatabase::Open(std::move(opts), SystemClock().Now());
}

Result<std::unique_ptr<CaseStore>> PostgresEngine::OpenCases(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<CaseStore>(std::make_unique<PostgresCaseStore>(std::move(db)));
}

Result<std::unique_ptr<CallRecordStore>> PostgresEngine::OpenCallRecords(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<CallRecordStore>(std::make_unique<PostgresCallRecordStore>(std::move(db)));
}

Result<std::unique_ptr<CallOutcomeStore>> PostgresEngine::OpenCallOutcomes(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<CallOutcomeStore>(
      std::make_unique<PostgresCallOutcomeStore>(std::move(db)));
}

Result<std::unique_ptr<CallReportReader>> PostgresEngine::OpenCallReports() {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(nullptr));
  return std::unique_ptr<CallReportReader>(
      std::make_unique<PostgresCallReportReader>(std::move(db)));
}

Result<std::unique_ptr<ConsentStore>> PostgresEngine::OpenConsents(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<ConsentStore>(std::make_unique<PostgresConsentStore>(std::move(db)));
}

Result<std::unique_ptr<IdempotencyStore>> PostgresEngine::OpenIdempotency() {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(nullptr));
  return std::unique_ptr<IdempotencyStore>(std::make_unique<PostgresIdempotencyStore>(std::move(db)));
}

Result<std::unique_ptr<RetentionStore>> PostgresEngine::OpenRetention(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<RetentionStore>(std::make_unique<PostgresRetentionStore>(std::move(db)));
}

Result<std::unique_ptr<CitizenErasureStore>> PostgresEngine::OpenErasure(
    std::shared_ptr<const RowCipher> cipher) {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(std::move(cipher)));
  return std::unique_ptr<CitizenErasureStore>(
      std::make_unique<PostgresRetentionStore>(std::move(db)));
}

Result<std::unique_ptr<AuditStore>> PostgresEngine::OpenAudit() {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(nullptr));
  return std::unique_ptr<AuditStore>(std::make_unique<PostgresAuditStore>(std::move(db)));
}

Result<std::unique_ptr<StaffAccountStore>> PostgresEngine::OpenStaff() {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(nullptr));
  return std::unique_ptr<StaffAccountStore>(std::make_unique<PostgresStaffStore>(std::move(db)));
}

Result<std::unique_ptr<ConfigVersionStore>> PostgresEngine::OpenConfigVersions() {
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<PostgresDatabase> db, OpenDatabase(nullptr));
  return std::unique_ptr<ConfigVersionStore>(
      std::make_unique<PostgresConfigVersionStore>(std::move(db)));
}

Status PostgresEngine::RawExec(const std::string& sql) {
  try {
    pqxx::connection conn(conninfo_);
    pqxx::work tx(conn);
    tx.exec(sql);
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return PqxxStatus(e);
  }
}

Result<int64_t> PostgresEngine::RawCount(const std::string& sql) {
  try {
    pqxx::connection conn(conninfo_);
    pqxx::read_transaction tx(conn);
    return tx.exec1(sql)[0].as<int64_t>();
  } catch (const std::exception& e) {
    return PqxxStatus(e);
  }
}

Result<std::string> PostgresEngine::RawTable(const std::string& table) {
  try {
    pqxx::connection conn(conninfo_);
    pqxx::read_transaction tx(conn);
    std::string out;
    // A row as text: every column, as stored.
    for (const pqxx::row& row : tx.exec("SELECT t::text FROM " + table + " t")) {
      out += row[0].c_str();
      out += '\n';
    }
    return out;
  } catch (const std::exception& e) {
    return PqxxStatus(e);
  }
}

}  // namespace gosline::testing
