#include "storage/sqlite/sqlite_case_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline {
namespace {

namespace fs = std::filesystem;

// Each test gets a fresh directory for its database files.
class SqliteCaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string DbPath() const { return (dir_ / "cases.db").string(); }

  std::unique_ptr<SqliteCaseStore> OpenFile(SqliteOptions opts = {}) {
    auto store = SqliteCaseStore::Open(DbPath(), opts);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  int64_t RawCount(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    int64_t n = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  fs::path dir_;
};

// ---- files and migrations (SQLite only; the engine-neutral behaviour is
// tested for every engine in tests/storage/case_store_test.cc) ----

TEST_F(SqliteCaseStoreTest, MigrationsAreAppliedOnceAndIdempotentOnReopen) {
  for (int i = 0; i < 3; ++i) {
    auto store = OpenFile();
    ASSERT_TRUE(store);
  }
  EXPECT_EQ(RawCount("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(sqlite::AllMigrations().size()));
  EXPECT_EQ(RawCount("SELECT MAX(version) FROM schema_migrations"), sqlite::LatestSchemaVersion());
  EXPECT_EQ(RawCount("SELECT COUNT(*) FROM schema_migrations WHERE applied_at_ms > 0"),
            static_cast<int64_t>(sqlite::AllMigrations().size()));
  EXPECT_EQ(RawCount("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

TEST_F(SqliteCaseStoreTest, MigrationsRecordTheTimeTheCallerPassesIn) {
  const Time applied_at = FromUnixMillis(1'700'000'000'123);
  {
    auto conn = sqlite::SqliteConnection::Open(DbPath(), {});
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE(sqlite::ApplyMigrations(**conn, applied_at).ok());
  }
  EXPECT_EQ(RawCount("SELECT COUNT(*) FROM schema_migrations WHERE applied_at_ms = " +
                     std::to_string(ToUnixMillis(applied_at))),
            static_cast<int64_t>(sqlite::AllMigrations().size()));
}

TEST_F(SqliteCaseStoreTest, FileThatIsNotADatabaseIsAnErrorNotACrash) {
  std::ofstream(DbPath()) << "this is not an sqlite database, just some text that is long enough";
  auto store = SqliteCaseStore::Open(DbPath(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption) << store.status().ToString();
}

TEST_F(SqliteCaseStoreTest, SyncModeNamesParse) {
  EXPECT_EQ(ParseSqliteSync("full"), SqliteSync::kFull);
  EXPECT_EQ(ParseSqliteSync("normal"), SqliteSync::kNormal);
  EXPECT_FALSE(ParseSqliteSync("off").has_value());
  EXPECT_EQ(ToString(SqliteSync::kNormal), "normal");
}

}  // namespace
}  // namespace gosline
