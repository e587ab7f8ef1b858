// Status and Result<T>: an OK status never passes for a failed result, and
// GOSLINE_ASSIGN_OR_RETURN / GOSLINE_RETURN_IF_ERROR return the first error.
#include "core/common/status.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace gosline {
namespace {

TEST(ResultTest, BuiltFromAnOkStatusIsAnInternalErrorNotAnEmptySuccess) {
  Result<int> r = Status::Ok();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInternal);
  EXPECT_EQ(r.status().message(), "Result built from an OK status");
}

TEST(ResultTest, KeepsTheValueOrTheError) {
  Result<std::string> value = std::string("АБВ-1");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(*value, "АБВ-1");
  Result<std::string> error = Status::NotFound("no such case");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), Status::Code::kNotFound);
}

Result<int> Parse(const std::string& text) {
  if (text.empty()) return Status::InvalidArgument("is empty", "number");
  return static_cast<int>(text.size());
}

Result<std::unique_ptr<int>> Boxed(int v) {
  if (v < 0) return Status::InvalidArgument("is negative");
  return std::make_unique<int>(v);
}

// Declares, assigns to an existing variable and takes a move-only value.
Result<int> SumOfLengths(const std::string& a, const std::string& b, int* calls) {
  ++*calls;
  GOSLINE_ASSIGN_OR_RETURN(int first, Parse(a));
  int second = 0;
  GOSLINE_ASSIGN_OR_RETURN(second, Parse(b));
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<int> box, Boxed(first + second));
  ++*calls;
  return *box;
}

TEST(AssignOrReturnTest, GivesTheValueOrReturnsTheFirstError) {
  int calls = 0;
  Result<int> both = SumOfLengths("ab", "cde", &calls);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, 5);
  EXPECT_EQ(calls, 2);

  calls = 0;
  Result<int> second_empty = SumOfLengths("ab", "", &calls);
  ASSERT_FALSE(second_empty.ok());
  EXPECT_EQ(second_empty.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(second_empty.status().field(), "number");
  EXPECT_EQ(calls, 1);  // returned before the rest of the function
}

// A comma inside the expression (a braced initializer) and a template type.
Result<std::map<std::string, int>> Counts() { return std::map<std::string, int>{{"a", 1}}; }

Status UseCounts(int* out) {
  GOSLINE_ASSIGN_OR_RETURN(auto counts, Counts());
  GOSLINE_ASSIGN_OR_RETURN(int n, Parse(std::string{'x', 'y'}));
  *out = counts.at("a") + n;
  return Status::Ok();
}

TEST(AssignOrReturnTest, WorksInAStatusFunctionWithCommasInTheExpression) {
  int out = 0;
  ASSERT_TRUE(UseCounts(&out).ok());
  EXPECT_EQ(out, 3);
}

Status FirstFailure(const Status& a, const Status& b, int* reached) {
  GOSLINE_RETURN_IF_ERROR(a);
  ++*reached;
  GOSLINE_RETURN_IF_ERROR(b);
  ++*reached;
  return Status::Ok();
}

TEST(ReturnIfErrorTest, ReturnsTheFirstError) {
  int reached = 0;
  Status st = FirstFailure(Status::Ok(), Status::Conflict("stale"), &reached);
  EXPECT_EQ(st.code(), Status::Code::kConflict);
  EXPECT_EQ(reached, 1);
  reached = 0;
  EXPECT_TRUE(FirstFailure(Status::Ok(), Status::Ok(), &reached).ok());
  EXPECT_EQ(reached, 2);
}

}  // namespace
}  // namespace gosline
