#include "io/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gosline::csv {
namespace {

using Fields = std::vector<std::string>;

// Every record of `text`, failing the test on a parse error.
std::vector<Record> ReadAll(const std::string& text) {
  std::istringstream in(text);
  Reader reader(in);
  std::vector<Record> out;
  for (int guard = 0; guard < 1000; ++guard) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.status().ToString() << " at line " << reader.error_line();
    if (!next.ok() || !next->has_value()) break;
    out.push_back(std::move(**next));
  }
  return out;
}

// One entry per Next() until the end: "L:f1|f2" for records, "E@L:message" for errors.
std::vector<std::string> Trace(const std::string& text, size_t max_record_bytes = 1 << 20) {
  std::istringstream in(text);
  Reader reader(in, max_record_bytes);
  std::vector<std::string> out;
  for (int guard = 0; guard < 1000; ++guard) {
    auto next = reader.Next();
    if (!next.ok()) {
      out.push_back("E@" + std::to_string(reader.error_line()) + ":" + next.status().message());
      continue;
    }
    if (!next->has_value()) break;
    std::string s = std::to_string((*next)->line) + ":";
    for (size_t i = 0; i < (*next)->fields.size(); ++i) s += (i ? "|" : "") + (*next)->fields[i];
    out.push_back(s);
  }
  return out;
}

TEST(CsvReader, PlainRecordsWithLineNumbers) {
  auto recs = ReadAll("a,b,c\n1,2,3\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(recs[1].line, 2);
}

TEST(CsvReader, EmptyFieldsAndNoFinalNewline) {
  auto recs = ReadAll(",x,\n,,");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"", "x", ""}));
  EXPECT_EQ(recs[1].fields, (Fields{"", "", ""}));
}

TEST(CsvReader, QuotedFieldsWithCommasAndDoubledQuotes) {
  auto recs = ReadAll("\"Иванов, Пётр\",\"он сказал \"\"срочно\"\"\",\"\"\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (Fields{"Иванов, Пётр", "он сказал \"срочно\"", ""}));
}

TEST(CsvReader, EmbeddedNewlinesKeepTheStartLineAndCountPhysicalLines) {
  auto recs = ReadAll("h1,h2\n\"first\nsecond\r\nthird\",x\nlast,y\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].fields, (Fields{"first\nsecond\r\nthird", "x"}));
  EXPECT_EQ(recs[2].line, 5);  // the quoted field spans lines 2-4
  EXPECT_EQ(recs[2].fields, (Fields{"last", "y"}));
}

TEST(CsvReader, CrlfLineEnds) {
  auto recs = ReadAll("a,b\r\n\"c\r\n\",d\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(recs[1].fields, (Fields{"c\r\n", "d"}));
  EXPECT_EQ(recs[1].line, 2);
}

TEST(CsvReader, SkipsUtf8ByteOrderMarkAtStartOnly) {
  auto recs = ReadAll("\xEF\xBB\xBFnumber,phone\n\xEF\xBB\xBFx,y\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"number", "phone"}));
  EXPECT_EQ(recs[1].fields, (Fields{"\xEF\xBB\xBFx", "y"}));  // data, not a mark
}

TEST(CsvReader, LeadingBytesThatOnlyLookLikeABomAreKept) {
  // U+FF0C (fullwidth comma) starts with 0xEF too.
  auto recs = ReadAll("\xEF\xBC\x8C,a\n\xEF\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"\xEF\xBC\x8C", "a"}));
  EXPECT_EQ(recs[1].fields, (Fields{"\xEF"}));
}

TEST(CsvReader, EmptyLinesAreSkippedAndEmptyInputHasNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(ReadAll("\n\r\n\n").empty());
  auto recs = ReadAll("\na\n\n\nb\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 2);
  EXPECT_EQ(recs[1].line, 5);
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorAtTheRecordStart) {
  EXPECT_EQ(
      Trace("a,b\nc,\"open\nmore\n"),
      (std::vector<std::string>{"1:a|b", "E@2:quoted field opened on line 2 is never closed"}));
}

TEST(CsvReader, StrayQuoteIsAnErrorAndReadingResumesOnTheNextLine) {
  EXPECT_EQ(Trace("a,b\nab\"c,d\nok,1\n\"x\"y,z\nok,2\n"),
            (std::vector<std::string>{
                "1:a|b",
                "E@2:quote inside an unquoted field (quote the whole field and double the quote)",
                "3:ok|1",
                "E@4:text after a closing quote (a quote inside a quoted field must be doubled)",
                "5:ok|2"}));
}

TEST(CsvReader, StrayQuoteAfterAMultilineFieldNamesItsOwnLine) {
  auto trace = Trace("\"a\nb\"x\nok\n");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].substr(0, 4), "E@2:");
  EXPECT_EQ(trace[1], "3:ok");
}

TEST(CsvReader, BareCarriageReturnIsAnError) {
  auto trace = Trace("a\rb\nc\n");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0], "E@1:carriage return without line feed");
  EXPECT_EQ(trace[1], "2:c");
}

TEST(CsvReader, OversizedRecordIsAnError) {
  auto trace = Trace("short\n" + std::string(100, 'x') + "\nok\n", 50);
  ASSERT_EQ(trace.size(), 3u);
  EXPECT_EQ(trace[0], "1:short");
  EXPECT_EQ(trace[1], "E@2:record longer than 50 bytes");
  EXPECT_EQ(trace[2], "3:ok");
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(Escape("plain"), "plain");
  EXPECT_EQ(Escape(""), "");
  EXPECT_EQ(Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(Escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Escape("cr\r"), "\"cr\r\"");
  EXPECT_EQ(Escape(" spaced "), " spaced ");
}

TEST(CsvWriter, WrittenRecordsReadBackUnchanged) {
  const std::vector<Fields> rows = {
      {"number", "summary", "notes"},
      {"0000000017", "Не приходит СМС, \"код\" неверный", "строка 1\nстрока 2\r\nстрока 3"},
      {"", "", ""},
      {""},
      {"\xEF\xBB\xBF", ",", "\"\""},
  };
  std::ostringstream out;
  for (const auto& r : rows) WriteRecord(out, r);
  EXPECT_EQ(out.str().substr(0, 23), "number,summary,notes\r\n0");

  auto recs = ReadAll(out.str());
  ASSERT_EQ(recs.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(recs[i].fields, rows[i]) << "row " << i;
}

}  // namespace
}  // namespace gosline::csv
