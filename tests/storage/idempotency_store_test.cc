// Idempotency keys of the citizens' API (R26), the same tests for every
// engine (store_engines.h): claimed once, answered from the store on a
// retry (also by another process or node), given up on a server failure,
// forgotten after their time.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "store_engines.h"

namespace gosline {
namespace {

using testing::PostgresEngine;
using testing::SqliteEngine;

const Time kT0 = FromUnixMillis(1'760'000'000'000);
const Time kLongAgo = kT0 - std::chrono::hours(24);

template <typename Engine>
class IdempotencyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
    auto store = engine_.OpenIdempotency();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  Engine engine_;
  std::unique_ptr<IdempotencyStore> store_;
};

struct EngineName {
  template <typename Engine>
  static std::string GetName(int) {
    return Engine::kName;
  }
};
using Engines = ::testing::Types<SqliteEngine, PostgresEngine>;
TYPED_TEST_SUITE(IdempotencyStoreTest, Engines, EngineName);

TYPED_TEST(IdempotencyStoreTest, R26FirstClaimRunsRetriesGetTheStoredAnswer) {
  auto first = this->store_->Claim("acct-a", "key-1", "hash-1", kT0, kLongAgo);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->has_value());
  // While the first request runs, a retry sees the claim without an answer.
  auto running = this->store_->Claim("acct-a", "key-1", "hash-1", kT0, kLongAgo);
  ASSERT_TRUE(running.ok());
  ASSERT_TRUE(running->has_value());
  EXPECT_FALSE((*running)->response.has_value());
  ASSERT_TRUE(this->store_->Complete("acct-a", "key-1",
                                     {201, "application/json", R"({"number":"A-1"})", "/x/A-1"})
                  .ok());
  // Another process on the same data answers the same.
  auto other = this->engine_.OpenIdempotency();
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto retry = (*other)->Claim("acct-a", "key-1", "hash-1", kT0 + std::chrono::hours(1), kLongAgo);
  ASSERT_TRUE(retry.ok());
  ASSERT_TRUE(retry->has_value());
  EXPECT_EQ((*retry)->request_hash, "hash-1");
  ASSERT_TRUE((*retry)->response.has_value());
  EXPECT_EQ((*retry)->response->status, 201);
  EXPECT_EQ((*retry)->response->body, R"({"number":"A-1"})");
  EXPECT_EQ((*retry)->response->location, "/x/A-1");
}

TYPED_TEST(IdempotencyStoreTest, R26KeysAreScopedPerAccount) {
  ASSERT_FALSE(this->store_->Claim("acct-a", "same", "h", kT0, kLongAgo)->has_value());
  auto other = this->store_->Claim("acct-b", "same", "h", kT0, kLongAgo);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TYPED_TEST(IdempotencyStoreTest, R26ReleasedKeyRunsAgain) {
  ASSERT_FALSE(this->store_->Claim("acct-a", "k", "h", kT0, kLongAgo)->has_value());
  ASSERT_TRUE(this->store_->Release("acct-a", "k").ok());
  EXPECT_FALSE(this->store_->Claim("acct-a", "k", "h", kT0, kLongAgo)->has_value());
}

TYPED_TEST(IdempotencyStoreTest, R26ExpiredKeyIsClaimedAnewAndPurged) {
  ASSERT_FALSE(this->store_->Claim("acct-a", "old", "h1", kT0, kLongAgo)->has_value());
  ASSERT_TRUE(this->store_->Complete("acct-a", "old", {201, "application/json", "{}", ""}).ok());
  const Time next_day = kT0 + std::chrono::hours(25);
  auto again = this->store_->Claim("acct-a", "old", "h2", next_day, next_day - std::chrono::hours(24));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  ASSERT_FALSE(this->store_->Claim("acct-a", "other", "h", kT0, kLongAgo)->has_value());
  auto purged = this->store_->Purge(next_day - std::chrono::hours(24));
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
}

}  // namespace
}  // namespace gosline
