#include "telephony/dialled_numbers.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

TEST(DialledNumbers, MatchesShapesOfConfiguredNumbers) {
  DialledNumbers n({"115", "88001007010", "+74957274747"});
  EXPECT_TRUE(n.Contains("115"));
  EXPECT_TRUE(n.Contains("8-800-100-70-10"));
  EXPECT_TRUE(n.Contains("74957274747"));
  EXPECT_TRUE(n.Contains("+74957274747;phone-context=ru"));
  EXPECT_FALSE(n.Contains("116"));
  EXPECT_FALSE(n.Contains(""));
  EXPECT_FALSE(n.Contains("115abc"));
}

}  // namespace
}  // namespace gosline::telephony
