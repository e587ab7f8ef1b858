// Test support for import/export: a real SQLite registry in a temporary
// directory and the vocabulary of the bundled demo configuration, so the
// sample files under tests/data/import are checked against what ships.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "config/config_vocabulary.h"
#include "config/config_loader.h"
#include "io/case_export.h"
#include "io/case_import.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::testing_io {

namespace fs = std::filesystem;

// Later than every time in the sample files.
inline const Time kImportTime = *ParseIso8601("2026-11-25T10:00:00Z");

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline fs::path SampleFile(const std::string& name) {
  return fs::path(GOSLINE_SOURCE_DIR) / "tests" / "data" / "import" / name;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gosline_io_" + std::to_string(::getpid()) + "_" +
                                        info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ConfigLoadResult cfg = LoadConfigFile(std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml");
    ASSERT_TRUE(cfg.ok()) << (cfg.errors.empty() ? "" : cfg.errors.front().ToString());
    vocabulary_ = std::make_unique<ConfigVocabulary>(cfg.config);
    store_ = OpenStore("registry.db");
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A fresh registry file in this test's directory.
  std::unique_ptr<SqliteCaseStore> OpenStore(const std::string& name) {
    auto store =
        SqliteCaseStore::Open((dir_ / name).string(), {.synchronous = SqliteSync::kNormal});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  ImportReport Import(const std::string& text, CaseFileFormat format, CaseStore& store,
                      const std::string& source = "cases.csv", size_t max_rows = 1'000'000,
                      bool dry_run = false) {
    std::istringstream in(text);
    ImportContext ctx{.store = store,
                      .vocabulary = *vocabulary_,
                      .now = kImportTime,
                      .source_name = source,
                      .max_rows = max_rows,
                      .dry_run = dry_run};
    return ImportCases(in, format, ctx);
  }
  ImportReport Import(const std::string& text, CaseFileFormat format = CaseFileFormat::kCsv) {
    return Import(text, format, *store_);
  }

  std::string Export(CaseStore& store, CaseFileFormat format, const ExportFilter& filter = {}) {
    std::ostringstream out;
    Result<size_t> n = ExportCases(store, out, format, filter);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return out.str();
  }

  static std::vector<Case> AllCases(CaseStore& store) {
    std::vector<Case> out;
    Status st = store.ForEach([&](const Case& c) {
      out.push_back(c);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  fs::path dir_;
  std::unique_ptr<ConfigVocabulary> vocabulary_;
  std::unique_ptr<SqliteCaseStore> store_;
};

}  // namespace gosline::testing_io
