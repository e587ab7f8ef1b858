// R17: import of historical cases, all or nothing per file, every rejected
// row reported with its line and reason. Runs against a real SQLite file.
#include "io/case_import.h"

#include <gtest/gtest.h>

#include <map>

#include "core/cases/case_number.h"
#include "io/io_test_registry.h"

namespace gosline {
namespace {

using testing_io::kImportTime;
using testing_io::ReadFile;
using testing_io::RegistryTest;
using testing_io::SampleFile;

using ImportTest = RegistryTest;

const std::string kHeader =
    "number,phone,topic,status,summary,created_at,updated_at,due_at,notes\n";

// line -> reason, for comparing whole reports.
std::map<int, std::string> ByLine(const ImportReport& r) {
  std::map<int, std::string> out;
  for (const auto& p : r.problems) out[p.line] += (out.count(p.line) ? " | " : "") + p.reason;
  return out;
}

// A good CSV data row for kHeader.
std::string Row(const std::string& number, const std::string& created = "2025-10-01T10:00:00Z") {
  return number + ",+7 916 123-45-67,registration,resolved,Не могу войти," + created +
         ",2025-10-01T11:00:00Z,,\n";
}

TEST_F(ImportTest, R17_GoodSampleCsvImportsEveryCase) {
  ImportReport r =
      Import(ReadFile(SampleFile("good.csv")), CaseFileFormat::kCsv, *store_, "good.csv");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.problems.front().reason);
  EXPECT_EQ(r.rows, 20u);
  EXPECT_EQ(r.imported, 20u);
  std::vector<Case> all = AllCases(*store_);
  ASSERT_EQ(all.size(), 20u);
  for (const Case& c : all) {
    EXPECT_TRUE(CaseNumber::IsValid(c.number)) << c.number;
    ASSERT_GE(c.history.size(), 2u);
    EXPECT_EQ(c.history.front().action, "created");
    EXPECT_EQ(c.history.front().at, c.created_at);
    EXPECT_EQ(c.history.back().action, "imported");
    EXPECT_EQ(c.history.back().actor, "import");
    EXPECT_EQ(c.history.back().at, kImportTime);
  }

  // The escalated licence case: every field as the file says, phone normalised.
  Result<Case> c = store_->GetByNumber("0000010043");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->phone, "+79161112233");
  EXPECT_EQ(c->portal_account_id, "1000500042");
  EXPECT_EQ(c->channel, Channel::kCall);
  EXPECT_EQ(c->topic, "licences_permits");
  EXPECT_EQ(c->agency, "minek");
  EXPECT_EQ(c->region, "66");
  EXPECT_EQ(c->status, CaseStatus::kEscalated);
  EXPECT_EQ(c->created_at, *ParseIso8601("2025-10-01T08:30:00Z"));
  EXPECT_EQ(c->updated_at, *ParseIso8601("2025-10-02T04:00:00Z"));
  EXPECT_EQ(c->due_at, ParseIso8601("2025-10-03T13:00:00Z"));
  ASSERT_EQ(c->history.size(), 3u);
  EXPECT_EQ(c->history[0].actor, "import");
  EXPECT_EQ(c->history[1].action, "note");
  EXPECT_EQ(c->history[1].detail,
            "Эскалировано в Минэкономразвития, ответ обещан в течение рабочего дня.");
  EXPECT_EQ(c->history[1].at, c->updated_at);
  // Row 6 starts on line 9: the notes of row 3 span three lines.
  EXPECT_EQ(c->history[2].detail, "from good.csv line 9");
}

TEST_F(ImportTest, R17_OneBadSampleRejectsTheWholeFileAndNamesEveryBadLine) {
  ImportReport r =
      Import(ReadFile(SampleFile("bad.csv")), CaseFileFormat::kCsv, *store_, "bad.csv");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.imported, 0u);
  EXPECT_EQ(r.rows, 15u);
  const std::map<int, std::string> expected = {
      {3, "number '0000010018' has a wrong check digit"},
      {5, "unknown topic 'passports'"},
      {6, "phone must be a Russian number (+7, 8 or 7 and 10 digits) or '+' and 8-15 digits"},
      {8, "updated_at is before created_at"},
      {9,
       "unknown status 'open' (expected new, in_progress, escalated, waiting_citizen, "
       "resolved, closed)"},
      {10, "number 0000010019 is also on line 2"},
      {11,
       "due_at is given but status is resolved (a due time is kept only while a case is "
       "escalated)"},
      {12, "created_at is required"},
      {13,
       "unknown channel 'fax' (expected call, chat, app, callback); unknown priority "
       "'critical' (expected low, normal, high, urgent)"},
      {16, "quote inside an unquoted field (quote the whole field and double the quote)"},
  };
  EXPECT_EQ(ByLine(r), expected);
  EXPECT_TRUE(AllCases(*store_).empty());
}

TEST_F(ImportTest, R17_OneBadRowAmongManyWritesNothing) {
  std::string text = kHeader;
  for (int i = 0; i < 500; ++i) {
    text +=
        i == 376 ? ",+7 916 123-45-67,registration,resolved,x,2025-13-01T10:00:00Z,,,\n" : Row("");
  }
  ImportReport r = Import(text);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 378);
  EXPECT_EQ(r.problems[0].reason,
            "created_at '2025-13-01T10:00:00Z' is not an ISO 8601 time such as "
            "2024-03-01T09:30:00+03:00");
  EXPECT_EQ(r.rows, 500u);
  EXPECT_EQ(r.imported, 0u);
  EXPECT_TRUE(AllCases(*store_).empty());

  // The same file without the bad row goes in whole.
  std::string good = kHeader;
  for (int i = 0; i < 500; ++i) good += Row("");
  r = Import(good);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.imported, 500u);
  EXPECT_EQ(AllCases(*store_).size(), 500u);
}

TEST_F(ImportTest, R17_HeaderMustNameKnownColumnsAndTheRequiredOnes) {
  ImportReport r = Import("phone,topic,colour,topic\n+79161234567,taxes,red,taxes\n");
  EXPECT_EQ(r.rows, 0u);  // rows are not read under a bad header
  EXPECT_EQ(ByLine(r),
            (std::map<int, std::string>{
                {1,
                 "unknown column 'colour' (known: number, phone, portal_account_id, channel, "
                 "topic, agency, region, priority, status, summary, created_at, updated_at, "
                 "due_at, notes) | column 'topic' appears twice | required column "
                 "'created_at' is missing"}}));
}

TEST_F(ImportTest, R17_OnlyRequiredColumnsTakeDefaults) {
  ImportReport r = Import("created_at,topic,phone\n2025-10-01,taxes,89161234567\n");
  ASSERT_TRUE(r.ok()) << r.problems.front().reason;
  std::vector<Case> all = AllCases(*store_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].channel, Channel::kCall);
  EXPECT_EQ(all[0].priority, Priority::kNormal);
  EXPECT_EQ(all[0].status, CaseStatus::kNew);
  EXPECT_EQ(all[0].agency, "fns");  // the topic's agency
  EXPECT_EQ(all[0].region, "");
  EXPECT_EQ(all[0].updated_at, all[0].created_at);
  EXPECT_EQ(all[0].history.size(), 2u);  // created, imported
}

TEST_F(ImportTest, R17_LineBreaksInsideCellsAreStoredAsLf) {
  ImportReport r = Import(
      "phone,topic,created_at,summary,notes\r\n"
      "+79161234567,taxes,2025-10-01,\"строка 1\r\nстрока 2\",\"a\r\n\r\nb\"\r\n");
  ASSERT_TRUE(r.ok()) << r.problems.front().reason;
  std::vector<Case> all = AllCases(*store_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].summary, "строка 1\nстрока 2");
  EXPECT_EQ(all[0].history[1].detail, "a\n\nb");
}

TEST_F(ImportTest, R17_EmptyFilesImportNothingGracefully) {
  for (const std::string& text : std::vector<std::string>{"", "\xEF\xBB\xBF", "\n\n", kHeader}) {
    ImportReport r = Import(text);
    EXPECT_TRUE(r.ok()) << text;
    EXPECT_EQ(r.rows, 0u);
    EXPECT_EQ(r.imported, 0u);
  }
  ImportReport r = Import("", CaseFileFormat::kJsonLines);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rows, 0u);
  EXPECT_TRUE(AllCases(*store_).empty());
}

TEST_F(ImportTest, R17_WrongFieldCountIsReported) {
  ImportReport r = Import(kHeader + Row("") + "a,b,c\n" + Row(""));
  EXPECT_EQ(ByLine(r), (std::map<int, std::string>{{3, "3 fields, but the header has 9"}}));
}

TEST_F(ImportTest, R17_RowLimitRefusesTheFile) {
  std::string text = kHeader;
  for (int i = 0; i < 5; ++i) text += Row("");
  ImportReport r = Import(text, CaseFileFormat::kCsv, *store_, "big.csv", 3);
  EXPECT_EQ(ByLine(r), (std::map<int, std::string>{
                           {0, "the file has more than 3 rows; split it into smaller files"}}));
  EXPECT_EQ(r.rows, 3u);
  EXPECT_TRUE(AllCases(*store_).empty());

  r = Import(text, CaseFileFormat::kCsv, *store_, "big.csv", 5);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.imported, 5u);
}

TEST_F(ImportTest, R17_CaseNumbersMustBeValidAndUnique) {
  ASSERT_TRUE(Import(kHeader + Row("0000010019")).ok());  // now in the registry

  ImportReport r =
      Import(kHeader + Row("0000010091") +  // last two digits of 0000010019 swapped
             Row("0000010109") +            // last digit of 0000010100 mistyped
             Row("123") + Row("abc") + Row("0000 0100 24") + Row("0000010024") + Row("0000010019"));
  EXPECT_EQ(ByLine(r), (std::map<int, std::string>{
                           {2, "number '0000010091' has a wrong check digit"},
                           {3, "number '0000010109' has a wrong check digit"},
                           {4, "number '123' must be 10 digits, the last a check digit"},
                           {5, "number 'abc' must be 10 digits, the last a check digit"},
                           {7, "number 0000010024 is also on line 6"},
                           {8, "number 0000010019 is already in the registry"},
                       }));
  EXPECT_EQ(AllCases(*store_).size(), 1u);
}

TEST_F(ImportTest, R17_TimesMustBeInOrderAndNotInTheFuture) {
  const std::string header = "phone,topic,status,created_at,updated_at,due_at\n";
  ImportReport r = Import(header +
                          "+79161234567,taxes,new,2027-01-01T00:00:00Z,,\n"
                          "+79161234567,taxes,new,2025-01-02,2025-01-01,\n"
                          "+79161234567,taxes,escalated,2025-01-02,,2025-01-01\n"
                          "+79161234567,taxes,new,2025-01-02,2026-12-01T00:00:00Z,\n"
                          "+79161234567,taxes,escalated,2025-01-02T09:00:00+03:00,,2025-01-03\n");
  EXPECT_EQ(ByLine(r), (std::map<int, std::string>{
                           {2, "created_at is after the import time"},
                           {3, "updated_at is before created_at"},
                           {4, "due_at is before created_at"},
                           {5, "updated_at is after the import time"},
                       }));
}

TEST_F(ImportTest, R17_TextLimitsAndVocabularyFollowTheApiRules) {
  const std::string header =
      "phone,topic,agency,region,summary,created_at,portal_account_id,notes\n";
  ImportReport r = Import(header + "+79161234567,taxes,cia,,ok,2025-01-01,,\n" +
                          "+79161234567,taxes,,99,ok,2025-01-01,,\n" + "+79161234567,taxes,,," +
                          std::string(kMaxSummaryBytes + 1, 'a') + ",2025-01-01,,\n" +
                          "+79161234567,taxes,,,ok,2025-01-01,bad id!,\n" +
                          "+79161234567,taxes,,,ok,2025-01-01,,\"   \"\n" +
                          "+79161234567,taxes,,,\xC3\x28,2025-01-01,,\n");
  EXPECT_EQ(ByLine(r),
            (std::map<int, std::string>{
                {2, "unknown agency 'cia'"},
                {3, "unknown region '99'"},
                {4, "summary is too long (2001 bytes, at most 2000)"},
                {5, "portal_account_id may contain only letters A-Z, digits, '_' and '-'"},
                {6, "notes: note text is empty"},
                {7, "summary is not valid UTF-8"},
            }));
}

TEST_F(ImportTest, R17_JsonLinesWithWrongTypesAreRejectedLineByLine) {
  const std::string text =
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01T10:00:00Z","notes":["a","b"]})"
      "\n\n"
      R"({"phone":79161234567,"topic":"taxes","created_at":"2025-01-01"})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":1735689600})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01","notes":"text"})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01","colour":"red"})"
      "\n"
      R"(["+79161234567","taxes"])"
      "\n"
      R"({"phone":"+79161234567",)"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01","notes":["ok",7]})"
      "\r\n"
      R"({"phone":null,"topic":"taxes","created_at":"2025-01-01"})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01","links":[{"kind":"fax","ref":"x","at":"2025-01-01"}]})"
      "\n"
      R"({"a":[[[[[[[[[[1]]]]]]]]]]})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-01-01","summary":1e400})"
      "\n";
  ImportReport r = Import(text, CaseFileFormat::kJsonLines);
  EXPECT_EQ(r.rows, 12u);
  EXPECT_EQ(
      ByLine(r),
      (std::map<int, std::string>{
          {3,
           "phone: expected a string, got number; phone must be a Russian number (+7, 8 or 7 "
           "and 10 digits) or '+' and 8-15 digits"},
          {4, "created_at: expected a string, got number; created_at is required"},
          {5, "notes: expected an array of strings, got string"},
          {6, "unknown field 'colour'"},
          {7, "expected a JSON object, got array"},
          {8,
           "not valid JSON: column 25: syntax error while parsing object key - unexpected "
           "end of input; expected string literal"},
          {9, "notes[1]: expected a string, got number"},
          {10, "phone must be a Russian number (+7, 8 or 7 and 10 digits) or '+' and 8-15 digits"},
          {11, "links[0]: link kind must be call, recording, chat or case"},
          {12, "JSON nested deeper than 8 levels"},
          // Found by fuzz/case_import_fuzzer: this ended the whole import.
          {13, "not valid JSON: a number out of range"},
      }));
  EXPECT_TRUE(AllCases(*store_).empty());
}

TEST_F(ImportTest, R17_JsonLinesCarryNotesHistoryAndLinks) {
  const std::string text =
      R"({"number":"0000010019","phone":"8 916 123 45 67","topic":"registration","status":"resolved","summary":"СМС не приходит","created_at":"2025-03-01T09:00:00+03:00","updated_at":"2025-03-01T10:00:00+03:00","notes":["первая","вторая"]})"
      "\n"
      R"({"id":7,"version":3,"phone":"+79161234567","topic":"taxes","created_at":"2025-03-02T09:00:00Z","updated_at":"2025-03-02T09:30:00Z","history":[{"seq":1,"at":"2025-03-02T09:00:00Z","actor":"operator7","action":"created","detail":"channel call"},{"seq":2,"at":"2025-03-02T09:30:00Z","actor":"operator7","action":"note","detail":"перезвонить"}],"links":[{"kind":"recording","ref":"rec/2025/03/02/1.wav","at":"2025-03-02T09:05:00Z"}]})"
      "\n";
  ImportReport r = Import(text, CaseFileFormat::kJsonLines, *store_, "old.jsonl");
  ASSERT_TRUE(r.ok()) << r.problems.front().reason;
  ASSERT_EQ(r.imported, 2u);

  Result<Case> first = store_->GetByNumber("0000010019");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->history.size(), 4u);
  EXPECT_EQ(first->history[1].detail, "первая");
  EXPECT_EQ(first->history[2].detail, "вторая");
  EXPECT_EQ(first->history[3].detail, "from old.jsonl line 1");

  std::vector<Case> all = AllCases(*store_);
  ASSERT_EQ(all.size(), 2u);
  const Case& second = all[1];
  ASSERT_EQ(second.history.size(), 3u);
  EXPECT_EQ(second.history[0].actor, "operator7");
  EXPECT_EQ(second.history[1].detail, "перезвонить");
  EXPECT_EQ(second.history[2].action, "imported");
  EXPECT_EQ(second.history[2].detail, "from old.jsonl line 2");
  ASSERT_EQ(second.links.size(), 1u);
  EXPECT_EQ(second.links[0].ref, "rec/2025/03/02/1.wav");
  EXPECT_EQ(second.links[0].at, *ParseIso8601("2025-03-02T09:05:00Z"));
}

TEST_F(ImportTest, R17_JsonLinesHistoryIsChecked) {
  const std::string text =
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-03-02","history":[]})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-03-02","history":[{"at":"2025-03-03","actor":"a","action":"created","detail":""},{"at":"2025-03-02","actor":"","action":"x","detail":"d"}]})"
      "\n"
      R"({"phone":"+79161234567","topic":"taxes","created_at":"2025-03-02","notes":["n"],"history":[{"at":"2025-03-02","actor":"a","action":"created","detail":"\u0001"}]})"
      "\n";
  ImportReport r = Import(text, CaseFileFormat::kJsonLines);
  EXPECT_EQ(ByLine(r),
            (std::map<int, std::string>{
                {1, "history is empty"},
                {2,
                 "history[1] is older than the entry before it; history[1].actor must be 1-64 "
                 "bytes without control characters"},
                {3,
                 "give notes or history, not both; history[0].detail: text contains a control "
                 "character"},
            }));
}

TEST_F(ImportTest, R17_DryRunChecksEverythingAndWritesNothing) {
  ImportReport r = Import(ReadFile(SampleFile("good.csv")), CaseFileFormat::kCsv, *store_,
                          "good.csv", 1'000'000, /*dry_run=*/true);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rows, 20u);
  EXPECT_EQ(r.imported, 0u);
  EXPECT_TRUE(AllCases(*store_).empty());
}

TEST_F(ImportTest, R17_SameFileTwiceIsRefusedTheSecondTime) {
  const std::string good = ReadFile(SampleFile("good.csv"));
  ASSERT_TRUE(Import(good).ok());
  ImportReport again = Import(good);
  EXPECT_FALSE(again.ok());
  // Every numbered row is named; the registry still holds the first import only.
  EXPECT_EQ(again.problems.size(), 11u);
  EXPECT_EQ(again.problems[0].reason, "number 0000010019 is already in the registry");
  EXPECT_EQ(AllCases(*store_).size(), 20u);
}

}  // namespace
}  // namespace gosline
