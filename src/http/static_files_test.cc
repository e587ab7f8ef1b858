#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gosline::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "dist" / "assets");
    Write(dir_ / "dist" / "index.html", "<!doctype html><title>gosline</title>");
    Write(dir_ / "dist" / "assets" / "app.js", "console.log('app')");
    Write(dir_ / "dist" / "assets" / "app.css", "body{}");
    Write(dir_ / "secret.txt", "outside the bundle");
    fs::create_symlink(dir_ / "secret.txt", dir_ / "dist" / "assets" / "link.txt");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  HttpResponse Get(Router& router, const std::string& path) {
    HttpRequest req;
    req.method = Method::kGet;
    req.path = path;
    return router.Dispatch(req);
  }

  fs::path dir_;
};

TEST(StaticFilesTypes, KnownExtensionsGetTheirContentType) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.exe"), "application/octet-stream");
}

TEST(StaticFilesNames, OnlyPlainFileNamesAreSafe) {
  EXPECT_TRUE(IsSafeAssetName("app.js"));
  EXPECT_FALSE(IsSafeAssetName(""));
  EXPECT_FALSE(IsSafeAssetName(".."));
  EXPECT_FALSE(IsSafeAssetName(".hidden"));
  EXPECT_FALSE(IsSafeAssetName("../../etc/passwd"));
  EXPECT_FALSE(IsSafeAssetName("a/b.js"));
  EXPECT_FALSE(IsSafeAssetName("a\\b.js"));
  EXPECT_FALSE(IsSafeAssetName(std::string("a\0b", 3)));
}

TEST_F(StaticFilesTest, PagesServeIndexHtmlForClientSideRoutes) {
  Router router;
  ASSERT_TRUE(AddStaticFileRoutes(router, FindWebRoot(dir_ / "dist")).ok());
  for (const char* path : {"/status", "/app", "/app/desktop", "/app/cases/0123456789",
                           "/app/admin/users/x"}) {
    HttpResponse r = Get(router, path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_NE(r.body.find("<title>gosline</title>"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, AssetsCarryTheirTypeAndSecurityHeaders) {
  Router router;
  ASSERT_TRUE(AddStaticFileRoutes(router, dir_ / "dist").ok());
  HttpResponse js = Get(router, "/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log('app')");
  bool nosniff = false;
  for (const auto& [name, value] : js.headers) nosniff |= name == "X-Content-Type-Options";
  EXPECT_TRUE(nosniff);
  EXPECT_EQ(Get(router, "/assets/app.css").content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, TraversalAndLinksOutOfTheBundleAreRefused) {
  Router router;
  ASSERT_TRUE(AddStaticFileRoutes(router, dir_ / "dist").ok());
  for (const char* path : {"/assets/..%2F..%2Fsecret.txt", "/assets/%2E%2E", "/assets/..",
                           "/assets/link.txt", "/assets/missing.js", "/assets/..%5Cindex.html",
                           "/assets/a%00b"}) {
    HttpResponse r = Get(router, path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
    EXPECT_EQ(r.body.find("outside the bundle"), std::string::npos) << path;
  }
  // Deeper paths than the routes name are unknown, not files.
  EXPECT_EQ(Get(router, "/assets/x/../../secret.txt").status, 404);
}

TEST_F(StaticFilesTest, WithoutABuiltBundlePagesSayWhy) {
  EXPECT_FALSE(FindWebRoot(dir_ / "nowhere").has_value());
  Router router;
  ASSERT_TRUE(AddStaticFileRoutes(router, std::nullopt).ok());
  HttpResponse r = Get(router, "/app");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("web_not_built"), std::string::npos);
  EXPECT_EQ(Get(router, "/assets/app.js").status, 503);
}

}  // namespace
}  // namespace gosline::http
