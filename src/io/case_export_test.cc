// R17: export of the registry, and export -> import into a fresh registry
// giving the same cases.
#include "io/case_export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/csv.h"
#include "io/io_test_registry.h"

namespace gosline {
namespace {

using testing_io::kImportTime;
using testing_io::ReadFile;
using testing_io::RegistryTest;
using testing_io::SampleFile;

using ExportTest = RegistryTest;

// Every field import sets from a file.
void ExpectSameFields(const Case& a, const Case& b) {
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.portal_account_id, b.portal_account_id);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.topic, b.topic);
  EXPECT_EQ(a.agency, b.agency);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.due_at, b.due_at);
}

class ExportRoundTripTest : public ExportTest {
 protected:
  // A case with the whole life the API can give it: notes, a link, an escalation.
  Case LivedCase() {
    BusinessCalendar calendar;
    CaseWorkflow workflow(*vocabulary_, calendar);
    const Actor op{"operator7"};
    const Time t0 = *ParseIso8601("2026-03-02T09:00:00+03:00");
    CaseDraft draft{.phone = "+7 916 555-44-33",
                    .portal_account_id = "1000777888",
                    .channel = Channel::kCallback,
                    .topic = "pensions_benefits",
                    .agency = "",
                    .region = "16",
                    .priority = Priority::kHigh,
                    .summary = "Перерасчёт пенсии, \"срочно\",\nвторая строка"};
    Result<Case> c = workflow.Open(draft, op, t0);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_TRUE(workflow.AddNote(*c, "первая заметка", op, t0 + std::chrono::minutes(5)).ok());
    EXPECT_TRUE(
        workflow
            .Link(*c, {"recording", "rec/2026/03/02/77.wav", t0}, op, t0 + std::chrono::minutes(6))
            .ok());
    EXPECT_TRUE(workflow
                    .Transition(*c, CaseStatus::kEscalated, "нужен ответ СФР", op,
                                t0 + std::chrono::minutes(10))
                    .ok());
    EXPECT_TRUE(workflow.AddNote(*c, "вторая заметка", op, t0 + std::chrono::minutes(11)).ok());
    Result<Case> stored = store_->Create(*c);
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.value();
  }
};

TEST_F(ExportRoundTripTest, R17_CsvExportReimportsToTheSameCases) {
  ASSERT_TRUE(Import(ReadFile(SampleFile("good.csv"))).ok());
  LivedCase();
  const std::vector<Case> before = AllCases(*store_);
  ASSERT_EQ(before.size(), 21u);

  const std::string exported = Export(*store_, CaseFileFormat::kCsv);
  auto fresh = OpenStore("fresh.db");
  ImportReport r = Import(exported, CaseFileFormat::kCsv, *fresh, "export.csv");
  ASSERT_TRUE(r.ok()) << r.problems.front().line << ": " << r.problems.front().reason;
  EXPECT_EQ(r.imported, 21u);

  const std::vector<Case> after = AllCases(*fresh);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(before[i].number);
    ExpectSameFields(before[i], after[i]);
  }
  // What CSV carries of the history (the notes) survives too: the exports match.
  EXPECT_EQ(Export(*fresh, CaseFileFormat::kCsv), exported);
}

TEST_F(ExportRoundTripTest, R17_JsonLinesExportReimportsWithHistoryAndLinks) {
  ASSERT_TRUE(Import(ReadFile(SampleFile("good.csv"))).ok());
  LivedCase();
  const std::vector<Case> before = AllCases(*store_);

  const std::string exported = Export(*store_, CaseFileFormat::kJsonLines);
  auto fresh = OpenStore("fresh.db");
  ImportReport r = Import(exported, CaseFileFormat::kJsonLines, *fresh, "export.jsonl");
  ASSERT_TRUE(r.ok()) << r.problems.front().line << ": " << r.problems.front().reason;

  const std::vector<Case> after = AllCases(*fresh);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(before[i].number);
    ExpectSameFields(before[i], after[i]);
    // The whole history, then one more "imported" naming the export line.
    ASSERT_EQ(after[i].history.size(), before[i].history.size() + 1);
    for (size_t h = 0; h < before[i].history.size(); ++h) {
      EXPECT_EQ(after[i].history[h].seq, before[i].history[h].seq);
      EXPECT_EQ(after[i].history[h].at, before[i].history[h].at);
      EXPECT_EQ(after[i].history[h].actor, before[i].history[h].actor);
      EXPECT_EQ(after[i].history[h].action, before[i].history[h].action);
      EXPECT_EQ(after[i].history[h].detail, before[i].history[h].detail);
    }
    EXPECT_EQ(after[i].history.back().action, "imported");
    EXPECT_EQ(after[i].history.back().detail, "from export.jsonl line " + std::to_string(i + 1));
    ASSERT_EQ(after[i].links.size(), before[i].links.size());
    for (size_t l = 0; l < before[i].links.size(); ++l) {
      EXPECT_EQ(after[i].links[l].kind, before[i].links[l].kind);
      EXPECT_EQ(after[i].links[l].ref, before[i].links[l].ref);
      EXPECT_EQ(after[i].links[l].at, before[i].links[l].at);
    }
  }
  EXPECT_EQ(before.back().links.size(), 1u);  // the lived case did carry a link
}

TEST_F(ExportRoundTripTest, R17_CsvRowsHoldTheImportColumnsAndAllNotes) {
  const Case lived = LivedCase();
  std::istringstream in(Export(*store_, CaseFileFormat::kCsv));
  csv::Reader reader(in);
  auto header = reader.Next();
  ASSERT_TRUE(header.ok() && header->has_value());
  EXPECT_EQ((*header)->fields, std::vector<std::string>(kCaseColumns.begin(), kCaseColumns.end()));
  auto row = reader.Next();
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->fields,
            (std::vector<std::string>{
                lived.number, "+79165554433", "1000777888", "callback", "pensions_benefits", "sfr",
                "16", "high", "escalated", "Перерасчёт пенсии, \"срочно\",\nвторая строка",
                "2026-03-02T06:00:00.000Z", "2026-03-02T06:11:00.000Z",
                FormatIso8601(*lived.due_at), "первая заметка\n\nвторая заметка"}));
  auto end = reader.Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(ExportRoundTripTest, R17_JsonLinesHoldTheWholeCase) {
  const Case lived = LivedCase();
  const std::string text = Export(*store_, CaseFileFormat::kJsonLines);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["number"], lived.number);
  EXPECT_EQ(j["status"], "escalated");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["history"].size(), lived.history.size());
  EXPECT_EQ(j["history"][2]["action"], "linked");
  EXPECT_EQ(j["links"][0]["ref"], "rec/2026/03/02/77.wav");
}

TEST_F(ExportTest, R17_EmptyRegistryExportsAHeaderOrNothing) {
  EXPECT_EQ(Export(*store_, CaseFileFormat::kCsv),
            "number,phone,portal_account_id,channel,topic,agency,region,priority,status,summary,"
            "created_at,updated_at,due_at,notes\r\n");
  EXPECT_EQ(Export(*store_, CaseFileFormat::kJsonLines), "");
}

TEST_F(ExportTest, R17_FiltersSelectCases) {
  ASSERT_TRUE(Import(ReadFile(SampleFile("good.csv"))).ok());
  auto count = [&](const ExportFilter& f) {
    std::ostringstream out;
    Result<size_t> n = ExportCases(*store_, out, CaseFileFormat::kJsonLines, f);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  };
  EXPECT_EQ(count({}), 20u);
  EXPECT_EQ(count({.status = CaseStatus::kEscalated}), 2u);
  EXPECT_EQ(count({.topic = "pensions_benefits"}), 3u);
  EXPECT_EQ(count({.region = "77"}), 4u);
  EXPECT_EQ(count({.status = CaseStatus::kResolved, .region = "78"}), 3u);
  EXPECT_EQ(count({.created_from = *ParseIso8601("2025-11-01"),
                   .created_to = *ParseIso8601("2025-11-14T06:25:00Z")}),
            4u);
}

}  // namespace
}  // namespace gosline
