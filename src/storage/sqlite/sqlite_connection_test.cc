#include "storage/sqlite/sqlite_connection.h"

#include <gtest/gtest.h>

namespace gosline::sqlite {
namespace {

// One row per test, selected from a real (in-memory) database.
class StatementColumnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<SqliteConnection>> opened = SqliteConnection::Open(":memory:", {});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    conn_ = std::move(*opened);
  }

  // Steps `sql` to its first row.
  Statement FirstRow(std::string_view sql) {
    Result<Statement> st = conn_->Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    Result<bool> row = st->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return std::move(*st);
  }

  std::unique_ptr<SqliteConnection> conn_;
};

TEST_F(StatementColumnsTest, ReadsValuesOfEachType) {
  Statement s = FirstRow("SELECT 'Иванов', 42, -7, x'00ff41', ''");
  EXPECT_FALSE(s.ColumnIsNull(0));
  EXPECT_EQ(s.ColumnText(0), "Иванов");
  EXPECT_EQ(s.ColumnOptionalText(0), std::optional<std::string>("Иванов"));
  EXPECT_EQ(s.ColumnInt64(1), 42);
  EXPECT_EQ(s.ColumnOptionalInt64(2), std::optional<int64_t>(-7));
  EXPECT_EQ(s.ColumnBlob(3), std::string("\0\xff" "A", 3));  // bytes kept, NUL included
  EXPECT_EQ(s.ColumnText(4), "");
  EXPECT_EQ(s.ColumnOptionalText(4), std::optional<std::string>(""));  // empty is not NULL
}

TEST_F(StatementColumnsTest, NullReadsAsEmptyOrNullopt) {
  Statement s = FirstRow("SELECT NULL");
  EXPECT_TRUE(s.ColumnIsNull(0));
  EXPECT_EQ(s.ColumnText(0), "");
  EXPECT_EQ(s.ColumnOptionalText(0), std::nullopt);
  EXPECT_EQ(s.ColumnInt64(0), 0);
  EXPECT_EQ(s.ColumnOptionalInt64(0), std::nullopt);
  EXPECT_EQ(s.ColumnBlob(0), "");
}

TEST_F(StatementColumnsTest, ReadsStoredRowsAndTheirNulls) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (name TEXT, step INTEGER);"
                          "INSERT INTO t VALUES ('a', NULL), (NULL, 5);")
                  .ok());
  Result<Statement> st = conn_->Prepare("SELECT name, step FROM t ORDER BY rowid");
  ASSERT_TRUE(st.ok());
  std::vector<std::pair<std::optional<std::string>, std::optional<int64_t>>> rows;
  for (int i = 0; i < 3; ++i) {
    Result<bool> row = st->Step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    rows.emplace_back(st->ColumnOptionalText(0), st->ColumnOptionalInt64(1));
  }
  using Row = std::pair<std::optional<std::string>, std::optional<int64_t>>;
  EXPECT_EQ(rows, (std::vector<Row>{{"a", std::nullopt}, {std::nullopt, 5}}));
}

}  // namespace
}  // namespace gosline::sqlite
