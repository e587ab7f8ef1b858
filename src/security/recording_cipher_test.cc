// Recordings at rest and at playback (R22, R30): where a link may lead, and
// what a seal is bound to. Real files in a temporary folder, the real cipher.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "security/recording_cipher.h"
#include "security/recording_location.h"
#include "security/storage_row_cipher.h"

namespace gosline::security {
namespace {
namespace fs = std::filesystem;

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kCase = "0000000013";
const std::string kOtherCase = "0000000099";
const std::string kAudio = std::string("RIFF\x24\0\0\0WAVEfmt ", 16) + std::string(64, '\x7f');

std::shared_ptr<const StorageRowCipher> MakeCipher() {
  Result<KeyRing> ring = KeyRing::Parse("k1:" + kHex, "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  Result<FieldCipher> c = FieldCipher::Create(std::make_shared<const KeyRing>(std::move(*ring)));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::make_shared<const StorageRowCipher>(
      std::make_shared<const FieldCipher>(std::move(*c)), "key file test.key");
}

class RecordingCipherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-recordings-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
    dir_ = base_ / "recordings";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }
  LinkedRecording Linked(const std::string& case_number, const fs::path& ref) const {
    return {dir_.string(), case_number, ref.string()};
  }

  fs::path base_;  // holds the recordings folder and what lies beside it
  fs::path dir_;
  std::shared_ptr<const StorageRowCipher> cipher_ = MakeCipher();
};

TEST(RecordingNameTest, OnlyTelephonysNamesForTheCase) {
  EXPECT_TRUE(IsRecordingNameOf("0000000013_sip-1.wav", kCase));
  EXPECT_TRUE(IsRecordingNameOf("0000000013_a.b_2.wav.sealed", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000099_sip-1.wav", kCase));  // another case's
  EXPECT_FALSE(IsRecordingNameOf("00000000131_sip-1.wav", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000013_.wav", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000013.wav", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000013_a.txt", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000013_a.wav.part", kCase));
  EXPECT_FALSE(IsRecordingNameOf("0000000013_a b.wav", kCase));
  EXPECT_FALSE(IsRecordingNameOf("gosline.yaml", kCase));
  EXPECT_FALSE(IsRecordingNameOf("_a.wav", ""));
}

TEST_F(RecordingCipherTest, R30LinksResolveOnlyInsideTheRecordingsFolder) {
  const fs::path inside = dir_ / "0000000013_sip-1.wav";
  Write(inside, kAudio);
  Result<fs::path> found = LocateRecording(dir_.string(), kCase, inside.string());
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, fs::canonical(inside));

  // A recording-like name beside the folder, reached directly, by "..", or
  // through a folder whose name only starts like the recordings folder's.
  const fs::path beside = base_ / "0000000013_sip-2.wav";
  Write(beside, kAudio);
  fs::create_directories(base_ / "recordings-old");
  Write(base_ / "recordings-old" / "0000000013_sip-3.wav", kAudio);
  const std::string refused[] = {
      beside.string(),
      (dir_ / ".." / "0000000013_sip-2.wav").string(),
      (base_ / "recordings-old" / "0000000013_sip-3.wav").string(),
      (dir_ / "../../config/gosline.yaml").string(),
      "/etc/passwd",
      dir_.string(),
      "",
  };
  for (const std::string& ref : refused) {
    EXPECT_EQ(LocateRecording(dir_.string(), kCase, ref).status().code(), Status::Code::kNotFound) << ref;
    EXPECT_EQ(ReadRecording(cipher_.get(), Linked(kCase, ref), 1 << 20).status().code(),
              Status::Code::kNotFound)
        << ref;
  }
  // A symlink inside the folder that leads out of it.
  const fs::path link = dir_ / "0000000013_sip-4.wav";
  fs::create_symlink(beside, link);
  EXPECT_FALSE(LocateRecording(dir_.string(), kCase, link.string()).ok());
  EXPECT_EQ(ReadRecording(nullptr, Linked(kCase, link), 1 << 20).status().code(), Status::Code::kNotFound);
  // Another case's recording, and no folder configured.
  EXPECT_FALSE(LocateRecording(dir_.string(), kOtherCase, inside.string()).ok());
  EXPECT_FALSE(LocateRecording("", kCase, inside.string()).ok());
  // The clear one inside plays.
  Result<std::string> played = ReadRecording(nullptr, Linked(kCase, inside), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(*played, kAudio);
}

TEST_F(RecordingCipherTest, R22TheSealIsBoundToTheCase) {
  // Sealed for another case (as if the centre had linked it there): the
  // name says case 13, the seal says 99, so case 13 cannot open it.
  const fs::path wav = dir_ / "0000000013_sip-1.wav";
  Write(wav, kAudio);
  Result<std::string> sealed = SealRecording(*cipher_, wav.string(), kOtherCase);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_FALSE(ReadRecording(cipher_.get(), Linked(kCase, *sealed), 1 << 20).ok());
  EXPECT_FALSE(ReadRecording(cipher_.get(), Linked(kOtherCase, *sealed), 1 << 20).ok());  // not its name

  Write(wav, kAudio);
  sealed = SealRecording(*cipher_, wav.string(), kCase);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  Result<std::string> played = ReadRecording(cipher_.get(), Linked(kCase, *sealed), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(*played, kAudio);
  // Copied under another case's name, it still does not open there.
  const fs::path copy = dir_ / "0000000099_sip-1.wav.sealed";
  fs::copy_file(*sealed, copy);
  EXPECT_FALSE(ReadRecording(cipher_.get(), Linked(kOtherCase, copy), 1 << 20).ok());
  EXPECT_FALSE(SealRecording(*cipher_, wav.string(), "").ok());
}

TEST_F(RecordingCipherTest, R22SealsThatNameOnlyTheFileStillPlayForTheirCase) {
  // What SealRecording wrote before the seal named the case.
  const fs::path sealed = dir_ / "0000000013_sip-1.wav.sealed";
  Result<std::string> legacy = cipher_->Seal(kAudio, "recording:0000000013_sip-1.wav");
  ASSERT_TRUE(legacy.ok());
  Write(sealed, *legacy);
  Result<std::string> played = ReadRecording(cipher_.get(), Linked(kCase, sealed), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(*played, kAudio);
  const fs::path renamed = dir_ / "0000000099_sip-1.wav.sealed";
  fs::rename(sealed, renamed);
  EXPECT_FALSE(ReadRecording(cipher_.get(), Linked(kOtherCase, renamed), 1 << 20).ok());
}

}  // namespace
}  // namespace gosline::security
