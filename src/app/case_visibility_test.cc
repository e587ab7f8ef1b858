// R20's rules on their own: which cases a viewer sees, and whose phone in
// full (the routes that apply them: http/access_matrix_test.cc).
#include "app/case_visibility.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

// `actors` answered a call of the case, in turn (the first one opened it).
Case CaseOn(const std::string& topic, const std::vector<std::string>& actors,
            const std::string& action = "answered") {
  Case c;
  c.number = "1000017";
  c.phone = "+79161234567";
  c.topic = topic;
  for (const std::string& actor : actors) {
    HistoryEntry e;
    e.seq = static_cast<int64_t>(c.history.size()) + 1;
    e.actor = actor;
    e.action = c.history.empty() ? "created" : action;
    c.history.push_back(e);
  }
  return c;
}

const CaseViewer kIvanova{"user:ivanova", "operator"};
const CaseViewer kPetrov{"user:petrov", "operator"};

routing::RoutingConfig Skills() {
  routing::RoutingConfig r;
  routing::OperatorProfile ivanova;
  ivanova.id = "ivanova";
  ivanova.skills = {{"passport", 5}, {"pension", 0}};  // level 0: not served
  r.operators.push_back(ivanova);
  routing::OperatorProfile petrov;
  petrov.id = "petrov";
  petrov.skills = {{"pension", 3}};
  r.operators.push_back(petrov);
  return r;
}

TEST(CaseVisibilityTest, OperatorsSeeTheCasesTheyHandleOrWhoseTopicTheyServe) {
  const CaseVisibility v = CaseVisibility::FromRouting(Skills());
  EXPECT_TRUE(v.MayView(kIvanova, CaseOn("passport", {"system"})));
  EXPECT_FALSE(v.MayView(kIvanova, CaseOn("pension", {"system"}))) << "skill level 0";
  EXPECT_TRUE(v.MayView(kIvanova, CaseOn("pension", {"system", "user:ivanova"})));
  EXPECT_TRUE(v.MayView(kPetrov, CaseOn("pension", {})));
  EXPECT_FALSE(v.MayView(CaseViewer{"user:sidorov", "operator"}, CaseOn("passport", {})));
}

// "Handles" is opened, assigned or answered: writing a note on a case of
// their queue must not unmask its number (nor open a case of another queue).
TEST(CaseVisibilityTest, ANoteDoesNotMakeAnOperatorTheHandler) {
  const CaseVisibility v = CaseVisibility::FromRouting(Skills());
  const Case noted = CaseOn("passport", {"system", "user:ivanova"}, "note");
  EXPECT_TRUE(v.MayView(kIvanova, noted)) << "their queue's topic";
  EXPECT_FALSE(v.SeesFullPhone(kIvanova, noted));
  for (const char* action : {"note", "updated", "transition", "linked", "escalated"}) {
    EXPECT_FALSE(v.MayView(kPetrov, CaseOn("passport", {"system", "user:petrov"}, action))) << action;
  }
  EXPECT_TRUE(v.SeesFullPhone(kIvanova, CaseOn("passport", {"system", "user:ivanova"}, "assigned")));
}

TEST(CaseVisibilityTest, SearchScopeIsTheSameRuleForTheStore) {
  const CaseVisibility v = CaseVisibility::FromRouting(Skills());
  std::optional<CaseScope> scope = v.ScopeFor(kIvanova);
  ASSERT_TRUE(scope.has_value());
  EXPECT_EQ(scope->handler, "user:ivanova");
  EXPECT_EQ(scope->topics, std::vector<std::string>{"passport"}) << "skill level 0 is not served";
  scope = v.ScopeFor(CaseViewer{"user:sidorov", "operator"});
  ASSERT_TRUE(scope.has_value());
  EXPECT_TRUE(scope->topics.empty()) << "no queues: only the cases they handle";
  EXPECT_FALSE(v.ScopeFor(CaseViewer{"user:boss", "supervisor"}).has_value());
  EXPECT_FALSE(v.ScopeFor(CaseViewer{}).has_value());
  EXPECT_EQ(OperatorPrincipal("ivanova"), kIvanova.principal);
}

TEST(CaseVisibilityTest, OtherRolesAndNobodySeeEveryCase) {
  const CaseVisibility v = CaseVisibility::FromRouting(Skills());
  const Case c = CaseOn("tax", {"system"});
  for (const char* role : {"supervisor", "compliance_controller", "integration"}) {
    EXPECT_TRUE(v.MayView(CaseViewer{"user:boss", role}, c)) << role;
  }
  EXPECT_TRUE(v.MayView(CaseViewer{}, c));
}

TEST(CaseVisibilityTest, FullPhoneOnlyForWhoHandlesItAndNeverForCompliance) {
  const CaseVisibility v = CaseVisibility::FromRouting(Skills());
  const Case served = CaseOn("passport", {"system"});
  const Case handled = CaseOn("passport", {"user:ivanova"});
  EXPECT_FALSE(v.SeesFullPhone(kIvanova, served)) << "served topic, not yet handled";
  EXPECT_TRUE(v.SeesFullPhone(kIvanova, handled));
  EXPECT_FALSE(v.SeesFullPhone(CaseViewer{"user:ivanova", "compliance_controller"}, handled));
  EXPECT_TRUE(v.SeesFullPhone(CaseViewer{"user:boss", "supervisor"}, served));
  EXPECT_TRUE(v.SeesFullPhone(CaseViewer{"apikey:ab12", "integration"}, served));
  EXPECT_TRUE(v.SeesFullPhone(CaseViewer{}, served));
}

TEST(CaseVisibilityTest, EditedSkillsApplyToTheNextQuestionAndCopiesKeepTheirOwn) {
  CaseVisibility v = CaseVisibility::FromRouting(Skills());
  const CaseVisibility before(v);
  routing::RoutingConfig edited = Skills();
  edited.operators[0].skills["pension"] = 2;
  v.Update(edited);
  EXPECT_TRUE(v.MayView(kIvanova, CaseOn("pension", {})));
  EXPECT_FALSE(before.MayView(kIvanova, CaseOn("pension", {})));
}

TEST(CaseVisibilityTest, OperatorIdOnlyForSignedInOperators) {
  EXPECT_EQ(OperatorIdOf(kIvanova), "ivanova");
  EXPECT_EQ(OperatorIdOf(CaseViewer{"user:boss", "supervisor"}), "");
  EXPECT_EQ(OperatorIdOf(CaseViewer{"apikey:ab12", "operator"}), "");
}

TEST(CaseVisibilityTest, MasksRussianNumbersAsDictated) {
  EXPECT_EQ(MaskPhone("+79161234567"), "+7 916 ***-**-67");
  EXPECT_EQ(MaskPhone("+4915112345678"), "***********78");
  EXPECT_EQ(MaskPhone("7"), "*");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace gosline
