// Recordings at rest and at playback (R22, R30): where a link may lead, and
// what a seal is bound to. Real files in a temporary folder, the real cipher.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "security/field_cipher.h"
#include "security/key_ring.h"
#include "security/recording_cipher.h"
#include "security/recording_location.h"
#include "security/recording_stream.h"
#include "security/storage_row_cipher.h"

namespace gosline::security {
namespace {
namespace fs = std::filesystem;

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kCase = "0000000013";
const std::string kOtherCase = "0000000099";
const std::string kAudio = std::string("RIFF\x24\0\0\0WAVEfmt ", 16) + std::string(64, '\x7f');

const std::string kHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

std::shared_ptr<const KeyRing> MakeRing(const std::string& text) {
  Result<KeyRing> ring = KeyRing::Parse(text, "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  return std::make_shared<const KeyRing>(std::move(*ring));
}

std::shared_ptr<const StorageRowCipher> MakeCipher(std::shared_ptr<const KeyRing> ring) {
  Result<FieldCipher> c = FieldCipher::Create(std::move(ring));
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

  // What an earlier version's whole-file seal wrote at `sealed` for `case_number`.
  void WriteWholeFileSeal(const fs::path& sealed, const std::string& case_number) const {
    const std::string wav_name = sealed.filename().string().substr(
        0, sealed.filename().string().size() - kSealedRecordingSuffix.size());
    Result<std::string> s = cipher_->Seal(kAudio, "recording:" + wav_name + "|case:" + case_number);
    ASSERT_TRUE(s.ok());
    Write(sealed, *s);
  }
  RecordingKeys Keys() const { return {cipher_.get(), ring_.get()}; }

  fs::path base_;  // holds the recordings folder and what lies beside it
  fs::path dir_;
  std::shared_ptr<const KeyRing> ring_ = MakeRing("k1:" + kHex);
  std::shared_ptr<const StorageRowCipher> cipher_ = MakeCipher(ring_);
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
    EXPECT_EQ(ReadRecording(Keys(), Linked(kCase, ref), 1 << 20).status().code(),
              Status::Code::kNotFound)
        << ref;
  }
  // A symlink inside the folder that leads out of it.
  const fs::path link = dir_ / "0000000013_sip-4.wav";
  fs::create_symlink(beside, link);
  EXPECT_FALSE(LocateRecording(dir_.string(), kCase, link.string()).ok());
  EXPECT_EQ(ReadRecording({}, Linked(kCase, link), 1 << 20).status().code(), Status::Code::kNotFound);
  // Another case's recording, and no folder configured.
  EXPECT_FALSE(LocateRecording(dir_.string(), kOtherCase, inside.string()).ok());
  EXPECT_FALSE(LocateRecording("", kCase, inside.string()).ok());
  // The clear one inside plays.
  Result<PlayableRecording> played = ReadRecording({}, Linked(kCase, inside), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav, kAudio);
  EXPECT_FALSE(played->truncated);
}

TEST_F(RecordingCipherTest, R22WholeFileSealsOfEarlierVersionsStillPlayForTheirCaseOnly) {
  // Sealed for another case (as if the centre had linked it there): the
  // name says case 13, the seal says 99, so case 13 cannot open it.
  const fs::path sealed = dir_ / "0000000013_sip-1.wav.sealed";
  WriteWholeFileSeal(sealed, kOtherCase);
  EXPECT_FALSE(ReadRecording(Keys(), Linked(kCase, sealed), 1 << 20).ok());
  EXPECT_FALSE(ReadRecording(Keys(), Linked(kOtherCase, sealed), 1 << 20).ok());  // not its name

  WriteWholeFileSeal(sealed, kCase);
  Result<PlayableRecording> played = ReadRecording(Keys(), Linked(kCase, sealed), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav, kAudio);
  EXPECT_EQ(ReadRecording({}, Linked(kCase, sealed), 1 << 20).status().code(),
            Status::Code::kFailedPrecondition);
  // Copied under another case's name, it still does not open there.
  const fs::path copy = dir_ / "0000000099_sip-1.wav.sealed";
  fs::copy_file(sealed, copy);
  EXPECT_FALSE(ReadRecording(Keys(), Linked(kOtherCase, copy), 1 << 20).ok());
}

TEST_F(RecordingCipherTest, R22SealsThatNameOnlyTheFileStillPlayForTheirCase) {
  // What the whole-file seal wrote before it named the case.
  const fs::path sealed = dir_ / "0000000013_sip-1.wav.sealed";
  Result<std::string> legacy = cipher_->Seal(kAudio, "recording:0000000013_sip-1.wav");
  ASSERT_TRUE(legacy.ok());
  Write(sealed, *legacy);
  Result<PlayableRecording> played = ReadRecording(Keys(), Linked(kCase, sealed), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav, kAudio);
  const fs::path renamed = dir_ / "0000000099_sip-1.wav.sealed";
  fs::rename(sealed, renamed);
  EXPECT_FALSE(ReadRecording(Keys(), Linked(kOtherCase, renamed), 1 << 20).ok());
}

TEST_F(RecordingCipherTest, R30StreamsPlayThroughTheLinkAndSayWhenCutShort) {
  const fs::path p = dir_ / "0000000013_sip-1.wav.sealed";
  const std::string pcm(3 * SealedRecordingWriter::kChunkBytes + 10, '\x11');
  auto w = SealedRecordingWriter::Create(*ring_, p.string(), kCase, {});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append(pcm).ok());
  // Mid-call (as after a crash): the complete chunks play, marked truncated.
  Result<PlayableRecording> played = ReadRecording(Keys(), Linked(kCase, p), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_TRUE(played->truncated);
  EXPECT_EQ(played->wav.size(), 44 + 3 * SealedRecordingWriter::kChunkBytes);
  ASSERT_TRUE((*w)->Finish().ok());
  played = ReadRecording(Keys(), Linked(kCase, p), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_FALSE(played->truncated);
  EXPECT_EQ(played->wav.substr(44), pcm);
  EXPECT_EQ(ReadRecording({}, Linked(kCase, p), 1 << 20).status().code(),
            Status::Code::kFailedPrecondition);
  EXPECT_FALSE(ReadRecording(Keys(), Linked(kOtherCase, p), 1 << 20).ok());
}

TEST_F(RecordingCipherTest, R22RotationReSealsRecordingsAsStreamsUnderTheNewKey) {
  // A whole-file seal and a stream under k1, then k2 is added.
  const fs::path whole = dir_ / "0000000013_sip-1.wav.sealed";
  const std::string wav = std::string("RIFF\x2c\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x40\x1f\0\0"
                                      "\0\x7d\0\0\x04\0\x10\0data\x08\0\0\0", 44) + "abcdefgh";
  Result<std::string> s = cipher_->Seal(wav, "recording:0000000013_sip-1.wav|case:" + kCase);
  ASSERT_TRUE(s.ok());
  Write(whole, *s);
  const fs::path stream = dir_ / "0000000013_sip-2.wav.sealed";
  {
    auto w = SealedRecordingWriter::Create(*ring_, stream.string(), kCase, {});
    ASSERT_TRUE(w.ok());
    // One sealed chunk, then never finished (a crash): truncated.
    ASSERT_TRUE((*w)->Append(std::string(SealedRecordingWriter::kChunkBytes, 'q')).ok());
  }
  auto both = MakeRing("k1:" + kHex + "\nk2:" + kHex2);
  auto both_cipher = MakeCipher(both);
  const RecordingKeys rotated{both_cipher.get(), both.get()};
  for (const fs::path& p : {whole, stream}) {
    Result<bool> resealed = ResealRecording(rotated, p.string());
    ASSERT_TRUE(resealed.ok()) << p << ": " << resealed.status().ToString();
    EXPECT_TRUE(*resealed);
    Result<bool> again = ResealRecording(rotated, p.string());
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);  // already under k2
  }
  // Only k2 now opens them; the truncated one stays marked truncated.
  auto only_new = MakeRing("k2:" + kHex2);
  auto played = ReadRecording({nullptr, only_new.get()}, Linked(kCase, whole), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav.substr(44), "abcdefgh");
  EXPECT_FALSE(played->truncated);
  played = ReadRecording({nullptr, only_new.get()}, Linked(kCase, stream), 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav.substr(44), std::string(SealedRecordingWriter::kChunkBytes, 'q'));
  EXPECT_TRUE(played->truncated);
  struct stat st {};
  ASSERT_EQ(::stat(whole.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace gosline::security
