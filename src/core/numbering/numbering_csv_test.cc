#include "core/numbering/numbering_csv.h"

#include <gtest/gtest.h>

namespace gosline::numbering {
namespace {

constexpr const char* kHeader = "АВС/ DEF;От;До;Емкость;Оператор;Регион\n";

TEST(NumberingCsvTest, R10_ReadsTheRegistersFormat) {
  auto r = ParseNumberingCsv(std::string(kHeader) +
                             "916;0000000;9999999;10000000;ПАО \"Мобильные ТелеСистемы\";"
                             "г. Москва и Московская область\r\n"
                             "843;2000000;2999999;1000000;ПАО \"Таттелеком\";Республика Татарстан\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  const NumberingRange& moscow = (*r)[0];
  EXPECT_EQ(moscow.code, 916);
  EXPECT_EQ(moscow.from, 0u);
  EXPECT_EQ(moscow.to, 9'999'999u);
  EXPECT_EQ(moscow.operator_name, "ПАО \"Мобильные ТелеСистемы\"");
  EXPECT_EQ(moscow.region_name, "г. Москва и Московская область");  // no trailing \r
  EXPECT_EQ(moscow.line, 2);
  EXPECT_EQ((*r)[1].first_national(), 8432000000u);
  EXPECT_EQ((*r)[1].last_national(), 8432999999u);
  EXPECT_EQ((*r)[1].line, 3);
}

TEST(NumberingCsvTest, R10_FindsColumnsByNameAndIgnoresExtraOnes) {
  // Newer files: a byte order mark, an ИНН column, columns moved around.
  auto r = ParseNumberingCsv(
      "\xEF\xBB\xBFРегион;АВС/ DEF;От;До;Емкость;Оператор;ИНН\n"
      "Приморский край;914;7000000;7999999;1000000;ПАО \"Мобильные ТелеСистемы\";7740000076\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].code, 914);
  EXPECT_EQ((*r)[0].region_name, "Приморский край");
}

TEST(NumberingCsvTest, R10_AcceptsTheCommaFormWithQuotedFields) {
  auto r = ParseNumberingCsv(
      "ABC/DEF,From,To,Capacity,Operator,Region\n"
      "926,0,9999999,10000000,\"ПАО \"\"МегаФон\"\", филиал\",\"г. Москва и Московская область\"\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].operator_name, "ПАО \"МегаФон\", филиал");
  EXPECT_EQ((*r)[0].region_name, "г. Москва и Московская область");
}

TEST(NumberingCsvTest, R10_FileWithoutHeaderIsReadInStandardOrder) {
  auto r = ParseNumberingCsv("383;2000000;2999999;1000000;ПАО \"Ростелеком\";Новосибирская обл.\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].line, 1);
  EXPECT_EQ((*r)[0].region_name, "Новосибирская обл.");
}

TEST(NumberingCsvTest, R10_SkipsBlankLinesAndRepeatedHeaders) {
  // Files concatenated: ABC-3xx.csv then DEF-9xx.csv.
  auto r = ParseNumberingCsv(std::string(kHeader) + "343;2000000;2999999;1000000;А;Свердловская обл.\n\n" +
                             kHeader + "912;2000000;2999999;1000000;Б;Свердловская обл.\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].line, 5);
}

TEST(NumberingCsvTest, R10_ReportsEveryWrongRowWithItsLine) {
  auto r = ParseNumberingCsv(std::string(kHeader) +
                             "916;0000000;9999999;10000000;МТС;Москва\n"     // 2: fine
                             "91a;0000000;9999999;10000000;МТС;Москва\n"     // 3
                             "916;12345678;9999999;10000000;МТС;Москва\n"    // 4
                             "916;5000000;4999999;1;МТС;Москва\n"            // 5
                             "916;0000000;0000999;999;МТС;Москва\n"          // 6
                             "916;0000000;0000999;1000;;Москва\n"            // 7
                             "916;0000000\n"                                 // 8
                             "916;0000000;0000999;1000;\"МТС;Москва\n");     // 9
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(m.find("7 wrong rows"), std::string::npos) << m;
  EXPECT_NE(m.find("line 3: АВС/DEF \"91a\""), std::string::npos) << m;
  EXPECT_NE(m.find("line 4: От \"12345678\""), std::string::npos) << m;
  EXPECT_NE(m.find("line 5: От 5000000 is after До 4999999"), std::string::npos) << m;
  EXPECT_NE(m.find("line 6: Емкость \"999\" is not the size of 0000000..0000999 (1000)"),
            std::string::npos) << m;
  EXPECT_NE(m.find("line 7: Оператор is empty"), std::string::npos) << m;
  EXPECT_NE(m.find("line 8: expected at least 6 fields"), std::string::npos) << m;
  EXPECT_NE(m.find("line 9: a quoted field is not closed"), std::string::npos) << m;
  EXPECT_EQ(m.find("line 2:"), std::string::npos) << m;
}

TEST(NumberingCsvTest, R10_ManyErrorsAreCountedNotAllListed) {
  std::string text = kHeader;
  for (int i = 0; i < 25; ++i) text += "x;1;2;2;A;B\n";
  auto r = ParseNumberingCsv(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("25 wrong rows"), std::string::npos);
  EXPECT_NE(r.status().message().find("and 15 more"), std::string::npos);
}

TEST(NumberingCsvTest, R10_HeaderMissingAColumnIsReported) {
  auto r = ParseNumberingCsv("АВС/ DEF;От;До;Оператор;Регион\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 1: header lacks the column(s) Емкость"),
            std::string::npos)
      << r.status().message();
}

TEST(NumberingCsvTest, R10_EmptyTextIsAnError) {
  EXPECT_FALSE(ParseNumberingCsv("").ok());
  EXPECT_FALSE(ParseNumberingCsv("\n  \n").ok());
}

}  // namespace
}  // namespace gosline::numbering
