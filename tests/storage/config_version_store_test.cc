// The line's configuration versions (R4) on PostgreSQL, the only engine that
// shares them (store_engines.h): each Open is another node on the same
// database. A version one node stores is the newest for every node, and two
// nodes cannot store the same version number.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store_engines.h"

namespace gosline {
namespace {

using testing::PostgresEngine;

const Time kT0 = FromUnixMillis(1'764'000'000'000);

ConfigVersion Version(int64_t n, std::string author, std::string document) {
  return ConfigVersion{n, std::move(author), kT0 + std::chrono::seconds(n), std::move(document)};
}

class ConfigVersionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st = engine_.SetUp();
    ASSERT_TRUE(st.ok()) << st.ToString();
    auto a = engine_.OpenConfigVersions();
    auto b = engine_.OpenConfigVersions();
    ASSERT_TRUE(a.ok() && b.ok());
    node_a_ = std::move(a).value();
    node_b_ = std::move(b).value();
  }

  PostgresEngine engine_;
  std::unique_ptr<ConfigVersionStore> node_a_, node_b_;
};

TEST_F(ConfigVersionStoreTest, NoVersionUntilTheFirstEdit) {
  Result<std::optional<ConfigVersion>> latest = node_a_->Latest();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_FALSE(latest->has_value());
}

TEST_F(ConfigVersionStoreTest, AVersionStoredOnOneNodeIsTheNewestOnTheOther) {
  ASSERT_TRUE(node_a_->Append(Version(1, "user:ivanova", R"({"block_list":{"block":[]}})")).ok());
  ASSERT_TRUE(node_a_->Append(Version(2, "user:petrov", R"({"block_list":{"block":["+7809*"]}})")).ok());
  Result<std::optional<ConfigVersion>> latest = node_b_->Latest();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->version, 2);
  EXPECT_EQ((*latest)->author, "user:petrov");
  EXPECT_EQ((*latest)->at, kT0 + std::chrono::seconds(2));
  EXPECT_EQ((*latest)->document, R"({"block_list":{"block":["+7809*"]}})");
}

TEST_F(ConfigVersionStoreTest, TwoNodesCannotStoreTheSameVersion) {
  ASSERT_TRUE(node_a_->Append(Version(1, "user:ivanova", "{}")).ok());
  Status second = node_b_->Append(Version(1, "user:petrov", R"({"numbers":["112"]})"));
  EXPECT_EQ(second.code(), Status::Code::kConflict) << second.ToString();
  Result<std::optional<ConfigVersion>> latest = node_b_->Latest();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->author, "user:ivanova");  // the first one stands
  Result<int64_t> rows = engine_.RawCount("SELECT count(*) FROM config_versions");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 1);
}

TEST_F(ConfigVersionStoreTest, VersionsStartAtOne) {
  EXPECT_EQ(node_a_->Append(Version(0, "user:ivanova", "{}")).code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace gosline
