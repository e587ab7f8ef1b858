// The open-file limit is raised to the hard limit (HTTP hardening).
#include "cli/file_limit.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace gosline {
namespace {

TEST(FileLimitTest, RaisesTheSoftLimitToTheHardLimit) {
  rlimit start{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &start), 0);
  if (start.rlim_max > 64) {
    rlimit lowered = start;
    lowered.rlim_cur = 64;  // as a service manager might start us
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  }
  Result<FileLimit> raised = RaiseFileLimit();
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  EXPECT_EQ(raised->now, raised->hard);
  EXPECT_EQ(raised->hard, start.rlim_max);
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(after.rlim_cur, after.rlim_max);
  // Asked again, nothing changes.
  raised = RaiseFileLimit();
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->before, raised->now);
}

}  // namespace
}  // namespace gosline
