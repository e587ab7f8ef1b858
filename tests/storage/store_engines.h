// The engines that the store test suites run against, behind one face, so
// each suite is a GoogleTest typed suite instantiated for every engine:
//   SqliteEngine    a database file in a fresh temporary directory
//   PostgresEngine  a fresh database on the test binary's one PostgreSQL
//                   server (postgres/testing/postgres_server.h), started
//                   before the first test and stopped after the last
// "Raw" access bypasses the stores, to damage rows or to read what is
// stored at rest. Open* may be called several times in a test: each call
// is another process or node on the same data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/common/status.h"
#include "storage/audit_store.h"
#include "storage/call_outcome_store.h"
#include "storage/call_record_store.h"
#include "storage/call_report_reader.h"
#include "storage/case_store.h"
#include "storage/config_version_store.h"
#include "storage/citizen_erasure_store.h"
#include "storage/consent_store.h"
#include "storage/idempotency_store.h"
#include "storage/retention_store.h"
#include "storage/row_cipher.h"
#include "storage/staff_account_store.h"

namespace gosline {
class PostgresDatabase;
}  // namespace gosline

namespace gosline::testing {

class SqliteEngine {
 public:
  static constexpr const char* kName = "sqlite";
  SqliteEngine();
  ~SqliteEngine();

  Status SetUp();
  Result<std::unique_ptr<CaseStore>> OpenCases(std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallRecordStore>> OpenCallRecords(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallOutcomeStore>> OpenCallOutcomes(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallReportReader>> OpenCallReports();
  Result<std::unique_ptr<ConsentStore>> OpenConsents(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<RetentionStore>> OpenRetention(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CitizenErasureStore>> OpenErasure(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<AuditStore>> OpenAudit();
  Result<std::unique_ptr<StaffAccountStore>> OpenStaff();
  Result<std::unique_ptr<IdempotencyStore>> OpenIdempotency();

  Status RawExec(const std::string& sql);
  Result<int64_t> RawCount(const std::string& sql);
  // Every stored value of every row of `table`, as text, one row a line.
  Result<std::string> RawTable(const std::string& table);

 private:
  std::string dir_;
  std::string db_path_;
};

class PostgresEngine {
 public:
  static constexpr const char* kName = "postgres";

  // Fails (with the server's complaint) when the shared server did not start.
  Status SetUp();
  Result<std::unique_ptr<CaseStore>> OpenCases(std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallRecordStore>> OpenCallRecords(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallOutcomeStore>> OpenCallOutcomes(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CallReportReader>> OpenCallReports();
  Result<std::unique_ptr<ConsentStore>> OpenConsents(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<RetentionStore>> OpenRetention(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<CitizenErasureStore>> OpenErasure(
      std::shared_ptr<const RowCipher> cipher = nullptr);
  Result<std::unique_ptr<AuditStore>> OpenAudit();
  Result<std::unique_ptr<StaffAccountStore>> OpenStaff();
  Result<std::unique_ptr<IdempotencyStore>> OpenIdempotency();
  // Shared by the nodes only on PostgreSQL (a single SQLite node has its file).
  Result<std::unique_ptr<ConfigVersionStore>> OpenConfigVersions();

  Status RawExec(const std::string& sql);
  Result<int64_t> RawCount(const std::string& sql);
  Result<std::string> RawTable(const std::string& table);

 private:
  Result<std::shared_ptr<PostgresDatabase>> OpenDatabase(std::shared_ptr<const RowCipher> cipher);

  std::string conninfo_;
};

}  // namespace gosline::testing
