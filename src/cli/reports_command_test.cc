// R18: `gosline reports rebuild --from --to` on a real SQLite file.
#include "cli/reports_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::cli {
namespace {
namespace fs = std::filesystem;

class ReportsCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gosline_cli_reports_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ctx_ = {.config_path = std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml",
            .db_path = (dir_ / "cases.db").string()};
    auto records = SqliteCallRecordStore::Open(ctx_.db_path);
    ASSERT_TRUE(records.ok());
    for (const char* started : {"2026-11-10T07:01:00Z", "2026-11-10T07:20:00Z"}) {
      CallRecordRow r;
      r.call_id = started;
      r.from = "+79160000001";
      r.dialled = "115";
      r.started = *ParseIso8601(started);
      r.ended = r.started + std::chrono::minutes(3);
      r.end_reason = "caller_hangup";
      r.sip_status = 200;
      r.topic = "pensions";
      r.ivr_end = "completed";
      ASSERT_TRUE((*records)->Append(r).ok());
    }
    ASSERT_TRUE((*records)->Close().ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int64_t Count(const std::string& sql) {
    auto conn = sqlite::SqliteConnection::Open(ctx_.db_path, {});
    EXPECT_TRUE(conn.ok());
    auto text = (*conn)->QueryText(sql);
    EXPECT_TRUE(text.ok());
    return std::stoll(*text);
  }
  fs::path dir_;
  CliContext ctx_;
  std::ostringstream out_, err_;
};

TEST_F(ReportsCommandTest, RebuildRecountsTheRangeFromTheCallRecords) {
  ASSERT_EQ(RunReportsRebuild(ctx_, "2026-11-10T00:00:00+03:00", "2026-11-11T00:00:00+03:00",
                              out_, err_),
            0)
      << err_.str();
  EXPECT_NE(out_.str().find("96 intervals of 15 minutes recounted"), std::string::npos)
      << out_.str();
  EXPECT_EQ(Count("SELECT SUM(calls) FROM report_rollups WHERE dimension = 'total'"), 2);
  EXPECT_EQ(Count("SELECT SUM(ivr_contained) FROM report_rollups WHERE dimension = 'topic' "
                  "AND key = 'pensions'"),
            2);
  // The records' own marks were cleared by the recount.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM report_dirty_intervals"), 0);
}

TEST_F(ReportsCommandTest, RebuildRefusesABadRange) {
  EXPECT_EQ(RunReportsRebuild(ctx_, "2026-11-11", "2026-11-10", out_, err_), 2);
  EXPECT_EQ(RunReportsRebuild(ctx_, "yesterday", "2026-11-10", out_, err_), 2);
  EXPECT_NE(err_.str().find("--from and --to"), std::string::npos);
}

}  // namespace
}  // namespace gosline::cli
