#include "storage/sqlite/sqlite_probe_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace gosline {
namespace {

using namespace std::chrono_literals;

TEST(SqliteProbeStoreTest, KeepsProbesAndReadsAPeriodInOrder) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gosline-probes-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "line.db").string();
  const Time t0 = *ParseIso8601("2026-12-01T00:00:00Z");
  {
    auto store = SqliteProbeStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Append({t0 + 2min, "node-b", false, "timeout"}).ok());
    ASSERT_TRUE((*store)->Append({t0 + 1min, "node-a", true, "200 OK"}).ok());
    ASSERT_TRUE((*store)->Append({t0 + 3min, "node-a", true, "200 OK"}).ok());
  }
  // Reopened: the rows are on disk.
  auto store = SqliteProbeStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto rows = (*store)->Read(t0, t0 + 3min, ProbeStore::kMaxRows);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);  // [from, to)
  EXPECT_EQ((*rows)[0].node, "node-a");
  EXPECT_TRUE((*rows)[0].ok);
  EXPECT_EQ((*rows)[1].node, "node-b");
  EXPECT_FALSE((*rows)[1].ok);
  EXPECT_EQ((*rows)[1].detail, "timeout");
  EXPECT_EQ((*rows)[1].at, t0 + 2min);
  auto capped = (*store)->Read(t0, t0 + 1h, 2);
  EXPECT_EQ(capped.status().code(), Status::Code::kResourceExhausted);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gosline
