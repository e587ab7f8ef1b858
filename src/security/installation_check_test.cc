// Checking an installation against its signed manifest (R22): a made-up
// installation in a temporary folder (a "binary", a web bundle, data) is
// hashed, signed and then altered one way at a time.
#include "security/installation_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "security/release_manifest.h"
#include "security/release_signing.h"

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

class InstallationCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_install_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Write("bin/gosline", "\x7f" "ELF not really");
    Write("bin/web/dist/index.html", "<!doctype html>");
    Write("bin/web/dist/assets/app.js", "console.log(1)");
    Write("data/knowledge/snils.md", "---\nid: snils\n---\n");
    roots_ = {(dir_ / "bin/gosline").string(), (dir_ / "bin/web/dist").string(),
              (dir_ / "data").string()};
    ASSERT_TRUE(CreateReleaseKeyPairIfMissing((dir_ / "key").string()).ok());
    public_key_ = ReadReleasePublicKey((dir_ / "key/release.pub").string()).value();
    Sign();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& path, const std::string& text) {
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path, std::ios::binary | std::ios::trunc) << text;
  }

  void Sign() {
    Result<std::vector<ManifestEntry>> entries = HashInstallation(roots_);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    const std::string manifest = RenderManifest(*entries).value();
    const std::string secret = ReadReleaseSecretKey((dir_ / "key/release.key").string()).value();
    Write("bin/gosline.manifest", manifest);
    Write("bin/gosline.manifest.sig", SignRelease(manifest, secret).value() + "\n");
  }

  std::vector<IntegrityProblem> Check() {
    Result<std::vector<IntegrityProblem>> r =
        CheckInstallation(roots_, (dir_ / "bin/gosline.manifest").string(),
                          (dir_ / "bin/gosline.manifest.sig").string(), public_key_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<IntegrityProblem>{};
  }

  fs::path dir_;
  InstallationRoots roots_;
  std::string public_key_;
};

TEST_F(InstallationCheckTest, R22_TheSignedInstallationHasNoProblems) {
  const std::string manifest = [&] {
    std::ifstream in(dir_ / "bin/gosline.manifest");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  EXPECT_NE(manifest.find("  bin/gosline\n"), std::string::npos);
  EXPECT_NE(manifest.find("  web/assets/app.js\n"), std::string::npos);
  EXPECT_NE(manifest.find("  data/knowledge/snils.md\n"), std::string::npos);
  EXPECT_TRUE(Check().empty());
}

TEST_F(InstallationCheckTest, R22_ChangedMissingAndUnlistedFilesAreNamed) {
  Write("bin/web/dist/index.html", "<!doctype html>!");
  fs::remove(dir_ / "data/knowledge/snils.md");
  Write("bin/web/dist/assets/injected.js", "steal()");
  const std::vector<IntegrityProblem> problems = Check();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "data/knowledge/snils.md");
  EXPECT_EQ(problems[0].what, "missing");
  EXPECT_EQ(problems[1].path, "web/assets/injected.js");
  EXPECT_EQ(problems[1].what, "not in the manifest");
  EXPECT_EQ(problems[2].path, "web/index.html");
  EXPECT_EQ(problems[2].what, "changed");
}

TEST_F(InstallationCheckTest, R22_AnAlteredManifestOrAMissingSignatureIsRefusedWhole) {
  // Re-hashing after a change without the secret key does not help.
  Write("bin/gosline", "\x7f" "ELF patched");
  Result<std::vector<ManifestEntry>> entries = HashInstallation(roots_);
  ASSERT_TRUE(entries.ok());
  Write("bin/gosline.manifest", RenderManifest(*entries).value());
  std::vector<IntegrityProblem> problems = Check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].what.find("signature"), std::string::npos) << problems[0].what;

  fs::remove(dir_ / "bin/gosline.manifest.sig");
  problems = Check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].what, "missing");
}

}  // namespace
}  // namespace gosline::security
