// The release key (R22): a manifest signed with the secret key verifies with
// the public key, and a changed byte, another key or a malformed signature is
// refused. Keys are made in a temporary folder by the test.
#include "security/release_signing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

class ReleaseSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_release_key_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string KeyDir(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(ReleaseSigningTest, SignedManifestVerifiesAndAnAlteredByteDoesNot) {
  Result<bool> created = CreateReleaseKeyPairIfMissing(KeyDir("a"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(*created);
  Result<std::string> secret = ReadReleaseSecretKey(KeyDir("a") + "/release.key");
  Result<std::string> pub = ReadReleasePublicKey(KeyDir("a") + "/release.pub");
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();

  const std::string manifest = "gosline-manifest 1\n" + std::string(64, 'a') + "  web/index.html\n";
  Result<std::string> sig = SignRelease(manifest, *secret);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 128u);
  EXPECT_TRUE(VerifyRelease(manifest, *sig, *pub).ok());
  EXPECT_TRUE(VerifyRelease(manifest, *sig + "\n", *pub).ok());  // as read from its file

  std::string altered = manifest;
  altered[25] = 'b';
  EXPECT_EQ(VerifyRelease(altered, *sig, *pub).code(), Status::Code::kPermissionDenied);
  std::string altered_sig = *sig;
  altered_sig[0] = altered_sig[0] == '0' ? '1' : '0';
  EXPECT_FALSE(VerifyRelease(manifest, altered_sig, *pub).ok());
  EXPECT_FALSE(VerifyRelease(manifest, "zz", *pub).ok());
  EXPECT_FALSE(VerifyRelease(manifest, "", *pub).ok());
}

TEST_F(ReleaseSigningTest, AnotherKeyDoesNotVerify) {
  ASSERT_TRUE(CreateReleaseKeyPairIfMissing(KeyDir("a")).ok());
  ASSERT_TRUE(CreateReleaseKeyPairIfMissing(KeyDir("b")).ok());
  Result<std::string> secret_a = ReadReleaseSecretKey(KeyDir("a") + "/release.key");
  Result<std::string> pub_b = ReadReleasePublicKey(KeyDir("b") + "/release.pub");
  ASSERT_TRUE(secret_a.ok() && pub_b.ok());
  Result<std::string> sig = SignRelease("manifest", *secret_a);
  ASSERT_TRUE(sig.ok());
  EXPECT_FALSE(VerifyRelease("manifest", *sig, *pub_b).ok());
}

TEST_F(ReleaseSigningTest, AnExistingPairIsKeptAndTheSecretKeyIsPrivate) {
  ASSERT_TRUE(CreateReleaseKeyPairIfMissing(KeyDir("a")).ok());
  Result<std::string> first = ReadReleasePublicKey(KeyDir("a") + "/release.pub");
  Result<bool> again = CreateReleaseKeyPairIfMissing(KeyDir("a"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(ReadReleasePublicKey(KeyDir("a") + "/release.pub").value(), first.value());

  struct stat st {};
  ASSERT_EQ(::stat((KeyDir("a") + "/release.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::chmod((KeyDir("a") + "/release.key").c_str(), 0644), 0);
  EXPECT_EQ(ReadReleaseSecretKey(KeyDir("a") + "/release.key").status().code(),
            Status::Code::kPermissionDenied);
}

TEST_F(ReleaseSigningTest, MalformedKeyFilesAreRefused) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "short.pub") << "abcd\n";
  EXPECT_EQ(ReadReleasePublicKey((dir_ / "short.pub").string()).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ReadReleasePublicKey((dir_ / "none.pub").string()).status().code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace gosline::security
