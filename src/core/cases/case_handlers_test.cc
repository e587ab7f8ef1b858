// R20: who handles a case -- opened, assigned or answered it; not who wrote on it.
#include "core/cases/case_handlers.h"

#include <gtest/gtest.h>

namespace gosline {
namespace {

Case WithHistory(std::initializer_list<std::pair<const char*, const char*>> actor_action) {
  Case c;
  for (const auto& [actor, action] : actor_action) {
    HistoryEntry e;
    e.seq = static_cast<int64_t>(c.history.size()) + 1;
    e.actor = actor;
    e.action = action;
    c.history.push_back(e);
  }
  return c;
}

TEST(CaseHandlersTest, OpeningAssignmentAndAnsweringMakeAHandler) {
  EXPECT_TRUE(IsHandledBy(WithHistory({{"user:ivanova", "created"}}), "user:ivanova"));
  EXPECT_TRUE(IsHandledBy(WithHistory({{"system", "created"}, {"user:ivanova", "assigned"}}),
                          "user:ivanova"));
  EXPECT_TRUE(IsHandledBy(WithHistory({{"system", "created"}, {"user:ivanova", "answered"}}),
                          "user:ivanova"));
}

TEST(CaseHandlersTest, WritingOnACaseDoesNotMakeAHandler) {
  const Case c = WithHistory({{"contact_centre", "created"},
                              {"user:petrov", "note"},
                              {"user:petrov", "updated"},
                              {"user:petrov", "transition"},
                              {"user:petrov", "linked"},
                              {"user:petrov", "escalated"}});
  EXPECT_FALSE(IsHandledBy(c, "user:petrov"));
  EXPECT_FALSE(IsHandledBy(c, ""));
  EXPECT_FALSE(IsHandledBy(WithHistory({{"user:ivanova", "answered"}}), "user:petrov"));
}

}  // namespace
}  // namespace gosline
