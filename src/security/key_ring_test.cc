#include "security/key_ring.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

const std::string kHex1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
// base64 of the 32 bytes 0x00..0x1f
const std::string kB64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class KeyRingFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-keys-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    unsetenv(kDataKeyEnv);
  }
  void TearDown() override {
    unsetenv(kDataKeyEnv);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& text, mode_t mode) {
    std::string path = (dir_ / "data.key").string();
    { std::ofstream(path) << text; }
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }
  fs::path dir_;
};

TEST(KeyRingTest, R22ParsesHexAndBase64AndTheLastIsActive) {
  Result<KeyRing> r = KeyRing::Parse("# keys\nk1:" + kHex1 + "\n\nk2 : " + kB64 + "\n", "test");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->active().id(), "k2");
  EXPECT_EQ(r->ids(), (std::vector<std::string>{"k1", "k2"}));
  ASSERT_NE(r->Find("k1"), nullptr);
  EXPECT_EQ(r->Find("k3"), nullptr);
  // The same 32 bytes in hex and base64 give the same subkeys.
  EXPECT_EQ(r->Find("k1")->field_key(), r->Find("k2")->field_key());
  // Field and index subkeys differ.
  EXPECT_NE(r->active().field_key(), r->active().index_key());
}

TEST(KeyRingTest, CommaSeparatedAndBareKeys) {
  Result<KeyRing> r = KeyRing::Parse("a:" + kHex1 + ",b:" + kHex2, "env");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->active().id(), "b");
  Result<KeyRing> bare = KeyRing::Parse(kHex1, "env");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->active().id(), "default");
  EXPECT_FALSE(KeyRing::Parse(kHex1 + "," + kHex2, "env").ok());  // several need ids
}

TEST(KeyRingTest, HostileOrBrokenKeysAreRefusedWithoutEchoingThem) {
  const std::string secretish = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbe";  // 62 hex
  for (const std::string& text :
       {std::string(""), std::string("# nothing\n"), "k1:" + secretish, "k1:" + kHex1 + "00",
        "k1:" + kHex1 + "\nk1:" + kHex2, "bad id!:" + kHex1, "k1:" + std::string(1 << 16, 'A'),
        std::string(":") + kHex1, "k1:" + kHex1.substr(0, 63) + "g"}) {
    Result<KeyRing> r = KeyRing::Parse(text, "test");
    ASSERT_FALSE(r.ok()) << text.substr(0, 40);
    EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_EQ(r.status().message().find("deadbeef"), std::string::npos);
    EXPECT_EQ(r.status().message().find(kHex1.substr(0, 16)), std::string::npos);
  }
}

TEST(KeyRingTest, NewKeyEntryParses) {
  std::string entry = KeyRing::NewKeyEntry("2026-01");
  Result<KeyRing> r = KeyRing::Parse(entry, "generated");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->active().id(), "2026-01");
  EXPECT_NE(entry, KeyRing::NewKeyEntry("2026-01"));
}

TEST_F(KeyRingFileTest, R22KeyFileMustBeOwnerOnly) {
  std::string path = Write("k1:" + kHex1 + "\n", 0644);
  Result<KeyRing> r = KeyRing::LoadFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("0644"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("chmod 600"), std::string::npos);
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  r = KeyRing::LoadFile(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->active().id(), "k1");
  ASSERT_EQ(chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(KeyRing::LoadFile(path).ok());
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  EXPECT_FALSE(KeyRing::LoadFile(path).ok());
}

TEST_F(KeyRingFileTest, MissingFileOrDirectoryIsAClearError) {
  EXPECT_EQ(KeyRing::LoadFile((dir_ / "none").string()).status().code(),
            Status::Code::kFailedPrecondition);
  ASSERT_EQ(chmod(dir_.c_str(), 0700), 0);
  Result<KeyRing> r = KeyRing::LoadFile(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a regular file"), std::string::npos);
}

TEST_F(KeyRingFileTest, R22LoadPrefersTheFileThenTheEnvironment) {
  EXPECT_EQ(KeyRing::Load("").status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(KeyRing::Load("").status().message().find("GOSLINE_DATA_KEY"), std::string::npos);
  ASSERT_EQ(setenv(kDataKeyEnv, ("env1:" + kHex2).c_str(), 1), 0);
  Result<KeyRing> env = KeyRing::Load("");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->active().id(), "env1");
  std::string path = Write("file1:" + kHex1, 0600);
  Result<KeyRing> file = KeyRing::Load(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->active().id(), "file1");
}

}  // namespace
}  // namespace gosline::security
