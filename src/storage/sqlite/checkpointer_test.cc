#include "storage/sqlite/checkpointer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace gosline::sqlite {
namespace {

namespace fs = std::filesystem;

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-ckpt-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path() const { return (dir_ / "t.db").string(); }
  fs::path dir_;
};

// Commits signal the checkpointer, which folds the WAL into the database file
// from its own thread; the writer never checkpoints itself.
TEST_F(CheckpointerTest, FoldsTheWalIntoTheDatabaseInTheBackground) {
  auto writer = SqliteConnection::Open(Path(), {});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t (v TEXT)").ok());
  auto conn = SqliteConnection::Open(Path(), {});
  ASSERT_TRUE(conn.ok());
  Checkpointer checkpointer(std::move(*conn), /*wal_pages=*/4);
  checkpointer.Attach(**writer);

  const auto db_size = [&] { return fs::file_size(Path()); };
  const uintmax_t before = db_size();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE((*writer)->Exec("INSERT INTO t VALUES (hex(randomblob(3000)))").ok());
  }
  // Bounded wait for the background thread; no timing is asserted.
  for (int i = 0; i < 1000 && (checkpointer.checkpoints() == 0 || db_size() <= before); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(checkpointer.checkpoints(), 0u);
  EXPECT_GT(db_size(), before);  // pages reached the main file
  Result<std::string> rows = (*writer)->QueryText("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "50");
}

}  // namespace
}  // namespace gosline::sqlite
