#include "core/numbering/numbering_plan.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/numbering/national_number.h"
#include "core/numbering/numbering_csv.h"

namespace gosline::numbering {
namespace {

TEST(NationalNumberTest, R10_AcceptsTheUsualRussianForms) {
  for (const char* text : {"+79161234567", "+7 (916) 123-45-67", "89161234567", "79161234567",
                           "9161234567", "8 916 123 45 67"}) {
    EXPECT_EQ(ParseNationalNumber(text), 9161234567u) << text;
  }
}

TEST(NationalNumberTest, R10_RejectsWhatIsNotARussianNumber) {
  for (const char* text : {"", "115", "+8 916 123 45 67", "+19161234567", "+4930123456",
                           "916123456", "791612345678", "+7916123456a", "+7.916.123.45.67"}) {
    EXPECT_EQ(ParseNationalNumber(text), std::nullopt) << text;
  }
}

TEST(RegionNameMapTest, R10_MatchesWholeNamesThenParts) {
  RegionNameMap map;
  ASSERT_TRUE(map.Add("Республика Татарстан", "16").ok());
  ASSERT_TRUE(map.Add("г. Москва и Московская область", "77").ok());
  EXPECT_EQ(map.Find("Республика Татарстан"), "16");
  EXPECT_EQ(map.Find("  г. Москва  и Московская   область "), "77");
  EXPECT_EQ(map.Find("г.о. Казань|Республика Татарстан"), "16");
  EXPECT_EQ(map.Find("Республика Татарстан|р-н Лаишевский"), "16");
  EXPECT_EQ(map.Find("Чукотский АО"), std::nullopt);
  EXPECT_EQ(map.Find(""), std::nullopt);
}

TEST(RegionNameMapTest, R10_OneNameCannotHaveTwoCodes) {
  RegionNameMap map;
  ASSERT_TRUE(map.Add("Москва", "77").ok());
  EXPECT_TRUE(map.Add("Москва", "77").ok());  // the same again is harmless
  EXPECT_EQ(map.Add("Москва", "50").code(), Status::Code::kAlreadyExists);
}

NumberingRange Range(int code, uint32_t from, uint32_t to, std::string op, std::string region,
                     int line) {
  return NumberingRange{code, from, to, std::move(op), std::move(region), line};
}

TEST(NumberingPlanTest, R10_LooksUpRegionAndOperatorAtRangeEdges) {
  RegionNameMap map;
  ASSERT_TRUE(map.Add("г. Москва и Московская область", "77").ok());
  ASSERT_TRUE(map.Add("Республика Татарстан", "16").ok());
  auto plan = NumberingPlan::Build(
      {Range(917, 2000000, 2999999, "МТС", "Республика Татарстан", 3),
       Range(916, 0, 9999999, "МТС", "г. Москва и Московская область", 2),
       Range(917, 4000000, 4999999, "МТС", "Республика Башкортостан", 4)},
      map);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->range_count(), 3u);

  auto moscow = plan->Lookup("+79161234567");
  ASSERT_TRUE(moscow);
  EXPECT_EQ(moscow->region_code, "77");
  EXPECT_EQ(moscow->operator_name, "МТС");
  EXPECT_EQ(plan->Lookup("89160000000")->region_code, "77");
  EXPECT_EQ(plan->Lookup("89169999999")->region_code, "77");
  EXPECT_EQ(plan->Lookup("+79172000000")->region_code, "16");
  EXPECT_EQ(plan->Lookup("+79172999999")->region_code, "16");
  EXPECT_FALSE(plan->Lookup("+79171999999"));  // just before a range
  EXPECT_FALSE(plan->Lookup("+79173000000"));  // just after it
  EXPECT_FALSE(plan->Lookup("+79150000000"));  // before every range
  EXPECT_FALSE(plan->Lookup("+79999999999"));  // after every range
  EXPECT_FALSE(plan->Lookup("not a number"));

  // Known range, region not mapped: the operator is still known.
  auto bashkiria = plan->Lookup("+79174000001");
  ASSERT_TRUE(bashkiria);
  EXPECT_EQ(bashkiria->region_code, "");
  EXPECT_EQ(bashkiria->region_name, "Республика Башкортостан");
  EXPECT_EQ(plan->unmapped_region_names(), std::vector<std::string>{"Республика Башкортостан"});
}

TEST(NumberingPlanTest, R10_OverlappingRangesAreRefusedNamingBothLines) {
  auto plan = NumberingPlan::Build({Range(916, 0, 999999, "A", "X", 7),
                                    Range(916, 999999, 1999999, "B", "Y", 12)},
                                   RegionNameMap());
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("line 12"), std::string::npos) << plan.status().message();
  EXPECT_NE(plan.status().message().find("line 7"), std::string::npos) << plan.status().message();
}

TEST(NumberingPlanTest, R10_EmptyPlanFindsNothing) {
  NumberingPlan plan;
  EXPECT_FALSE(plan.Lookup("+79161234567"));
}

// The sample shipped in data/numbering with the demo configuration's mapping.
TEST(NumberingPlanTest, R10_SampleFileCoversTheDemoRegions) {
  std::ifstream in(std::string(GOSLINE_SOURCE_DIR) + "/data/numbering/sample.csv");
  ASSERT_TRUE(in.is_open());
  std::stringstream text;
  text << in.rdbuf();
  auto ranges = ParseNumberingCsv(text.str());
  ASSERT_TRUE(ranges.ok()) << ranges.status().ToString();
  RegionNameMap map;
  for (auto [name, code] : std::vector<std::pair<const char*, const char*>>{
           {"г. Москва", "77"},
           {"г. Москва и Московская область", "77"},
           {"Московская обл.", "50"},
           {"г. Санкт-Петербург", "78"},
           {"г. Санкт-Петербург и Ленинградская область", "78"},
           {"Республика Татарстан", "16"},
           {"Новосибирская обл.", "54"},
           {"Свердловская обл.", "66"},
           {"Приморский край", "25"}}) {
    ASSERT_TRUE(map.Add(name, code).ok());
  }
  auto plan = NumberingPlan::Build(std::move(*ranges), map);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->Lookup("+74951234567")->region_code, "77");
  EXPECT_EQ(plan->Lookup("+74986123456")->region_code, "50");
  EXPECT_EQ(plan->Lookup("+78123456789")->region_code, "78");
  EXPECT_EQ(plan->Lookup("+79213456789")->region_code, "78");
  EXPECT_EQ(plan->Lookup("+78432345678")->region_code, "16");
  EXPECT_EQ(plan->Lookup("+78435012345")->region_code, "16");  // "г.о. Казань|Республика Татарстан"
  EXPECT_EQ(plan->Lookup("+79872345678")->region_code, "16");
  EXPECT_EQ(plan->Lookup("+73832345678")->region_code, "54");
  EXPECT_EQ(plan->Lookup("+79139876543")->region_code, "54");
  EXPECT_EQ(plan->Lookup("+73432345678")->region_code, "66");
  EXPECT_EQ(plan->Lookup("+74232345678")->region_code, "25");
  EXPECT_EQ(plan->Lookup("+79261234567")->operator_name, "ПАО \"МегаФон\"");
}

}  // namespace
}  // namespace gosline::numbering
