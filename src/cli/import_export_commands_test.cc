// R17: `gosline import` and `gosline export` as a user runs them, against the
// bundled configuration and a real SQLite file in a temporary directory.
#include "cli/import_export_commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gosline::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSamples = std::string(GOSLINE_SOURCE_DIR) + "/tests/data/import/";

class ImportExportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_cli_io_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  CliContext Context(const std::string& db = "registry.db") const {
    return {.config_path = std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml",
            .db_path = (dir_ / db).string()};
  }

  int Import(const std::string& file, bool dry_run = false, const std::string& db = "registry.db") {
    out_.str("");
    err_.str("");
    return RunImport({.context = Context(db), .file = file, .format = "", .dry_run = dry_run}, out_,
                     err_);
  }

  int Export(ExportCommandOptions opts) {
    out_.str("");
    err_.str("");
    opts.context = Context();
    return RunExport(opts, out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(ImportExportCommandTest, R17_ImportReportsTheCountAndExportWritesAFile) {
  ASSERT_EQ(Import(kSamples + "good.csv"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "imported 20 cases from " + kSamples + "good.csv\n");

  const std::string out_file = (dir_ / "all.jsonl").string();
  ASSERT_EQ(Export({.out_file = out_file}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "exported 20 cases to " + out_file + "\n");
  EXPECT_FALSE(fs::exists(out_file + ".partial"));
  std::ifstream in(out_file);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_EQ(lines, 20);  // JSON Lines, chosen by the extension

  // The export goes into another registry as it is.
  ASSERT_EQ(Import(out_file, false, "other.db"), 0) << err_.str();
  EXPECT_EQ(out_.str(), "imported 20 cases from " + out_file + "\n");
}

TEST_F(ImportExportCommandTest, R17_BadFileListsEveryRejectedRowAndWritesNothing) {
  const std::string file = kSamples + "bad.csv";
  EXPECT_EQ(Import(file), 1);
  EXPECT_EQ(out_.str(), "");
  const std::string err = err_.str();
  EXPECT_NE(err.find(file + ":3: number '0000010018' has a wrong check digit\n"), std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ":16: quote inside an unquoted field"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": 10 of 15 rows rejected; nothing was imported\n"), std::string::npos)
      << err;

  ASSERT_EQ(Export({}), 0) << err_.str();
  const std::string exported = out_.str();
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), 1);  // the header only
  EXPECT_EQ(err_.str(), "exported 0 cases\n");
}

TEST_F(ImportExportCommandTest, R17_DryRunWritesNothing) {
  ASSERT_EQ(Import(kSamples + "good.csv", /*dry_run=*/true), 0) << err_.str();
  EXPECT_EQ(out_.str(), kSamples +
                            "good.csv: 20 cases checked, all can be imported; nothing "
                            "written (dry run)\n");
  ASSERT_EQ(Export({}), 0);
  EXPECT_EQ(err_.str(), "exported 0 cases\n");
}

TEST_F(ImportExportCommandTest, R17_ExportFiltersAndRefusesBadFlags) {
  ASSERT_EQ(Import(kSamples + "good.csv"), 0) << err_.str();
  ASSERT_EQ(Export({.format = "csv", .status = "escalated"}), 0) << err_.str();
  EXPECT_EQ(err_.str(), "exported 2 cases\n");
  EXPECT_EQ(out_.str().rfind("number,phone,", 0), 0u);

  EXPECT_EQ(Export({.status = "open"}), 2);
  EXPECT_EQ(err_.str(), "--status: unknown status 'open'\n");
  EXPECT_EQ(Export({.created_from = "yesterday"}), 2);
  EXPECT_NE(err_.str().find("--from: 'yesterday' is not an ISO 8601 time"), std::string::npos);
}

TEST_F(ImportExportCommandTest, R17_UnreadableInputIsAClearError) {
  EXPECT_EQ(Import((dir_ / "cases.txt").string()), 2);
  EXPECT_NE(err_.str().find("cannot tell the format from the file name"), std::string::npos);
  EXPECT_EQ(Import((dir_ / "missing.csv").string()), 1);
  EXPECT_NE(err_.str().find("missing.csv: cannot open: No such file or directory"),
            std::string::npos);

  // Export does not create a registry that is not there.
  EXPECT_EQ(Export({}), 1);
  EXPECT_NE(err_.str().find("no case registry at"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "registry.db"));
}

}  // namespace
}  // namespace gosline::cli
