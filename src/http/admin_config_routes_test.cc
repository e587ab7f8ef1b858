// The configuration editor's routes on a real editor over a copy of the demo
// configuration: reads, checks, stale versions (409), invalid edits (422 with
// lines) and an applied change that the next read shows.
#include "http/admin_config_routes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class AdminConfigRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_cfgroutes_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "gosline.yaml";
    fs::copy_file(fs::path(GOSLINE_SOURCE_DIR) / "config" / "gosline.yaml", path_);
    auto editor = admin::ConfigEditor::Open(path_.string());
    ASSERT_TRUE(editor.ok()) << editor.status().ToString();
    editor_ = std::move(editor).value();
    ASSERT_TRUE(AddAdminConfigRoutes(router_, editor_.get()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  HttpResponse Call(Method method, const std::string& path, const json& body = nullptr) {
    HttpRequest req;
    req.method = method;
    req.method_name = std::string(ToString(method));
    req.path = path;
    req.principal = "user:admin";
    req.principal_role = "administrator";
    if (!body.is_null()) {
      req.headers["content-type"] = "application/json";
      req.body = body.dump();
    }
    return router_.Dispatch(req);
  }

  fs::path dir_, path_;
  std::unique_ptr<admin::ConfigEditor> editor_;
  Router router_;
};

TEST_F(AdminConfigRoutesTest, ListsAndReadsAreas) {
  HttpResponse r = Call(Method::kGet, "/api/v1/admin/config");
  ASSERT_EQ(r.status, 200) << r.body;
  json list = json::parse(r.body);
  ASSERT_EQ(list["areas"].size(), 9u);  // with corrective_actions
  EXPECT_EQ(list["areas"][0]["id"], "numbers");
  EXPECT_EQ(list["areas"][0]["version"], list["version"]);
  r = Call(Method::kGet, "/api/v1/admin/config/ivr");
  ASSERT_EQ(r.status, 200) << r.body;
  json ivr = json::parse(r.body);
  EXPECT_EQ(ivr["area"], "ivr");
  EXPECT_EQ(ivr["view"], "yaml");
  EXPECT_EQ(ivr["value"]["start"], "greeting");
  EXPECT_NE(ivr["yaml"].get<std::string>().find("# 1: registration"), std::string::npos);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/admin/config/nope").status, 404);
}

TEST_F(AdminConfigRoutesTest, ChecksAndRefusesABrokenIvrWithItsLine) {
  const std::string broken = "start: nowhere\nprompts: {}\nanswers: {}\nnodes: []\n";
  HttpResponse r = Call(Method::kPost, "/api/v1/admin/config/ivr/check", {{"yaml", broken}});
  ASSERT_EQ(r.status, 200) << r.body;
  json c = json::parse(r.body);
  EXPECT_EQ(c["ok"], false);
  ASSERT_FALSE(c["errors"].empty());
  bool in_text = false;
  for (const json& e : c["errors"]) in_text |= e.value("area_line", 0) > 0;
  EXPECT_TRUE(in_text) << r.body;

  const std::string version = editor_->Version();
  r = Call(Method::kPut, "/api/v1/admin/config/ivr", {{"yaml", broken}, {"version", version}});
  ASSERT_EQ(r.status, 422) << r.body;
  json refused = json::parse(r.body);
  EXPECT_EQ(refused["error"]["code"], "invalid_config");
  EXPECT_FALSE(refused["errors"].empty());
  EXPECT_GT(refused["errors"][0]["line"].get<int>(), 0);
  EXPECT_EQ(editor_->Version(), version);
}

TEST_F(AdminConfigRoutesTest, AppliesAChangeAndRefusesAStaleOne) {
  const std::string version = editor_->Version();
  const json numbers = json::array({"88001007010", "115", "+74957274747", "122"});
  HttpResponse r = Call(Method::kPut, "/api/v1/admin/config/numbers", {{"value", numbers}, {"version", version}});
  ASSERT_EQ(r.status, 200) << r.body;
  json done = json::parse(r.body);
  EXPECT_EQ(done["changed"], true);
  EXPECT_EQ(done["previous_version"], version);
  EXPECT_NE(done["version"], version);
  EXPECT_EQ(done["summary"], "numbers: 3 items -> 4 items");
  EXPECT_EQ(json::parse(Call(Method::kGet, "/api/v1/admin/config/numbers").body)["value"], numbers);
  EXPECT_EQ(editor_->Current()->service.numbers.back(), "122");

  r = Call(Method::kPut, "/api/v1/admin/config/numbers", {{"value", json::array({"115"})}, {"version", version}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(editor_->Current()->service.numbers.size(), 4u);
}

TEST_F(AdminConfigRoutesTest, BadBodiesAre400AndNoEditorIs503) {
  const std::string put = "/api/v1/admin/config/numbers";
  EXPECT_EQ(Call(Method::kPut, put, {{"value", json::array()}}).status, 400);  // no version
  EXPECT_EQ(Call(Method::kPut, put, {{"version", "x"}}).status, 400);          // no value
  EXPECT_EQ(Call(Method::kPut, put, {{"value", json::array()}, {"yaml", "[]"}, {"version", "x"}}).status, 400);
  EXPECT_EQ(Call(Method::kPost, put + "/check", {{"yaml", 3}}).status, 400);
  EXPECT_EQ(Call(Method::kPost, put + "/check", {{"value", json::array()}, {"extra", 1}}).status, 400);
  Router none;
  ASSERT_TRUE(AddAdminConfigRoutes(none, nullptr).ok());
  HttpRequest req;
  req.path = kAdminConfigPath;
  EXPECT_EQ(none.Dispatch(req).status, 503);
}

}  // namespace
}  // namespace gosline::http
