#include "core/ivr/ivr_validate.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/ivr/ivr_test_support.h"

namespace gosline {
namespace {

using ivr_test::TestModel;

bool HasIssue(const std::vector<IvrModelIssue>& issues, const std::string& path,
              const std::string& words) {
  return std::any_of(issues.begin(), issues.end(), [&](const IvrModelIssue& i) {
    return i.path == path && i.message.find(words) != std::string::npos;
  });
}

std::string Dump(const std::vector<IvrModelIssue>& issues) {
  std::string s;
  for (const auto& i : issues) s += i.path + ": " + i.message + "\n";
  return s;
}

template <typename Spec>
Spec& SpecOf(IvrModel& m, const std::string& id) {
  return std::get<Spec>(m.nodes.at(id).spec);
}

TEST(IvrValidateTest, R5_TheTestTreeIsValid) {
  const IvrModel m = TestModel();
  EXPECT_TRUE(FindIvrModelIssues(m).empty()) << Dump(FindIvrModelIssues(m));
  EXPECT_TRUE(ValidateIvrModel(m).ok());
}

TEST(IvrValidateTest, R5_UnknownNodeReferenceNamesTheField) {
  IvrModel m = TestModel();
  SpecOf<IvrMenuNode>(m, "main").options['2'] = "queue_x";
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "nodes.main.options.2", "unknown node 'queue_x'")) << Dump(issues);
  const Status st = ValidateIvrModel(m);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "ivr.nodes.main.options.2");
}

TEST(IvrValidateTest, R5_UnknownStartAndMissingNext) {
  IvrModel m = TestModel();
  m.start = "nowhere";
  SpecOf<IvrPlayNode>(m, "info").next.clear();
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "start", "unknown node 'nowhere'")) << Dump(issues);
  EXPECT_TRUE(HasIssue(issues, "nodes.info.next", "a node id is required")) << Dump(issues);
}

TEST(IvrValidateTest, R5_UnreachableNodeIsReported) {
  IvrModel m = TestModel();
  IvrNode orphan;
  orphan.id = "orphan";
  orphan.spec = IvrHangupNode{{"bye"}};
  m.nodes["orphan"] = orphan;
  EXPECT_TRUE(HasIssue(FindIvrModelIssues(m), "nodes.orphan", "unreachable"));
}

TEST(IvrValidateTest, R5_LoopWithoutInputIsReportedWithItsPath) {
  IvrModel m = TestModel();
  // info -> info2 -> info: the caller can never leave by a key.
  SpecOf<IvrPlayNode>(m, "info").next = "info2";
  IvrNode info2;
  info2.id = "info2";
  info2.spec = IvrPlayNode{{"info"}, false, "info"};
  m.nodes["info2"] = info2;
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(std::any_of(issues.begin(), issues.end(), [](const IvrModelIssue& i) {
    return i.message.find("loop without input: info -> info2 -> info") != std::string::npos;
  })) << Dump(issues);
}

TEST(IvrValidateTest, R5_LoopThroughAMenuIsTheCallersChoice) {
  IvrModel m = TestModel();  // info -> main -> info is such a loop
  EXPECT_TRUE(FindIvrModelIssues(m).empty());
}

TEST(IvrValidateTest, R5_PromptMissingInALanguageIsReported) {
  IvrModel m = TestModel();
  m.prompts["main"].erase("en");
  m.prompts["bye"]["en"].text.clear();
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "prompts.main.en", "no text in 'en'")) << Dump(issues);
  EXPECT_TRUE(HasIssue(issues, "prompts.bye.en", "no text in 'en'")) << Dump(issues);
}

TEST(IvrValidateTest, R5_UnknownPromptAndWavCountsAsAText) {
  IvrModel m = TestModel();
  SpecOf<IvrMenuNode>(m, "main").retry.invalid_prompt = "no_such_prompt";
  m.prompts["bye"]["en"] = IvrPromptText{{}, "prompts/en/bye.wav", {}};
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "nodes.main.invalid_prompt", "unknown prompt 'no_such_prompt'"));
  EXPECT_FALSE(HasIssue(issues, "prompts.bye.en", "no text"));
}

TEST(IvrValidateTest, R5_LanguagesMustBeConsistent) {
  IvrModel m = TestModel();
  m.default_language = "de";
  SpecOf<IvrLanguageSelectNode>(m, "greeting").languages['8'] = "tt";
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "default_language", "not in languages"));
  EXPECT_TRUE(HasIssue(issues, "nodes.greeting.languages.8", "'tt' is not in languages"));
}

TEST(IvrValidateTest, R5_ImpossibleInputSettingsAreReported) {
  IvrModel m = TestModel();
  SpecOf<IvrCollectDigitsNode>(m, "account").input.min_digits = 6;  // > max 5
  SpecOf<IvrServiceCodeNode>(m, "code").codes["1x"] = "main";
  SpecOf<IvrServiceCodeNode>(m, "code").codes["123"] = "main";  // longer than max 2
  SpecOf<IvrCaseStatusNode>(m, "case").input.max_digits = 9;
  SpecOf<IvrMenuNode>(m, "main").timeout = Duration{0};
  SpecOf<IvrMenuNode>(m, "main").options['x'] = "main";
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "nodes.account.min_digits", "min_digits <= max_digits"));
  EXPECT_TRUE(HasIssue(issues, "nodes.code.codes.1x", "digits only"));
  EXPECT_TRUE(HasIssue(issues, "nodes.code.codes.123", "code length"));
  EXPECT_TRUE(HasIssue(issues, "nodes.case.max_digits", "10 digits"));
  EXPECT_TRUE(HasIssue(issues, "nodes.main.timeout", "timeout"));
  EXPECT_TRUE(HasIssue(issues, "nodes.main.options.x", "not a telephone key"));
}

TEST(IvrValidateTest, R16_CaseStatusNeedsDigitAndStatusWordsInEveryLanguage) {
  IvrModel m = TestModel();
  m.prompts.erase("digit/4");
  m.prompts["case_status/escalated"].erase("en");
  const auto issues = FindIvrModelIssues(m);
  EXPECT_TRUE(HasIssue(issues, "nodes.case.digits", "unknown prompt 'digit/4'")) << Dump(issues);
  EXPECT_TRUE(HasIssue(issues, "prompts.case_status/escalated.en", "no text")) << Dump(issues);
}

TEST(IvrValidateTest, R5_NodeIdMustMatchItsKey) {
  IvrModel m = TestModel();
  m.nodes["bye"].id = "goodbye";
  EXPECT_TRUE(HasIssue(FindIvrModelIssues(m), "nodes.bye.id", "differs"));
}

}  // namespace
}  // namespace gosline
