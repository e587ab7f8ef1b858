// Case import (R17) of a CSV or JSON Lines file as `gosline import` runs it,
// checked (dry run) against a real SQLite registry. The first byte picks the
// format (even: CSV, odd: JSON Lines). Oracles: the report counts no more
// imported cases than rows and names lines inside the file; and every JSON
// line that builds a case, exported as export writes it and read again,
// builds the same case (export re-imports as it is).
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "config/config_loader.h"
#include "config/config_vocabulary.h"
#include "core/common/time.h"
#include "fuzz_check.h"
#include "io/case_import.h"
#include "io/case_json.h"
#include "io/imported_case.h"
#include "storage/sqlite/sqlite_case_store.h"

using namespace gosline;

namespace {

namespace fs = std::filesystem;

struct Registry {
  fs::path dir;
  Config config;
  std::unique_ptr<ConfigVocabulary> vocabulary;
  std::unique_ptr<SqliteCaseStore> store;

  Registry() {
    // The vocabulary of the configuration that ships, as import uses it.
    ConfigLoadResult cfg = LoadConfigFile(std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml");
    FUZZ_CHECK(cfg.ok());
    config = std::move(cfg.config);
    vocabulary = std::make_unique<ConfigVocabulary>(config);
    dir = fs::temp_directory_path() / ("gosline_fuzz_import_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto opened = SqliteCaseStore::Open((dir / "registry.db").string());
    FUZZ_CHECK(opened.ok());
    store = std::move(opened).value();
  }
  ~Registry() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Registry& TheRegistry() {
  static Registry registry;
  return registry;
}

const Time kNow = *ParseIso8601("2026-11-25T10:00:00Z");

void CheckExportReimports(const ImportedCaseBuilder& builder, std::string_view text) {
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<Case> built = builder.Build(CaseRowFromJsonLine(line, static_cast<int>(line_no)));
    if (!built.ok()) continue;
    const std::string exported = CaseToJson(*built).dump();
    Result<Case> again = builder.Build(CaseRowFromJsonLine(exported, 1));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->number == built->number);
    FUZZ_CHECK(again->phone == built->phone);
    FUZZ_CHECK(again->portal_account_id == built->portal_account_id);
    FUZZ_CHECK(again->channel == built->channel);
    FUZZ_CHECK(again->topic == built->topic);
    FUZZ_CHECK(again->agency == built->agency);
    FUZZ_CHECK(again->region == built->region);
    FUZZ_CHECK(again->priority == built->priority);
    FUZZ_CHECK(again->status == built->status);
    FUZZ_CHECK(again->summary == built->summary);
    FUZZ_CHECK(again->created_at == built->created_at);
    FUZZ_CHECK(again->due_at == built->due_at);
    FUZZ_CHECK(again->links.size() == built->links.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Registry& registry = TheRegistry();
  const CaseFileFormat format = data[0] % 2 == 0 ? CaseFileFormat::kCsv : CaseFileFormat::kJsonLines;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::istringstream in(text);
  ImportContext ctx{.store = *registry.store,
                    .vocabulary = *registry.vocabulary,
                    .now = kNow,
                    .source_name = "fuzz",
                    .max_rows = 1000,
                    .max_record_bytes = 4096,
                    .dry_run = true};
  const ImportReport report = ImportCases(in, format, ctx);
  FUZZ_CHECK(report.imported == 0);  // a dry run writes nothing
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const ImportProblem& p : report.problems) {
    FUZZ_CHECK(p.line >= 0 && p.line <= lines);
    FUZZ_CHECK(p.reason.find('\n') == std::string::npos);
  }

  if (format == CaseFileFormat::kJsonLines) {
    const ImportedCaseBuilder builder(*registry.vocabulary, Actor{"import"}, kNow, "fuzz");
    CheckExportReimports(builder, text);
  }
  return 0;
}
