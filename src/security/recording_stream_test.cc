// Recordings sealed as a stream (R22, R30): any length, 0600 from creation,
// bound to name and case, and a stream cut short still plays up to its last
// complete chunk. Real files in a temporary folder, the real libsodium.
#include "security/recording_stream.h"

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
const std::string kCase = "0000000013";
constexpr uint64_t kMax = 64ull << 20;

KeyRing Ring(const std::string& text) {
  Result<KeyRing> ring = KeyRing::Parse(text, "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  return std::move(ring).value();
}

// Recognisable, non-repeating PCM: n bytes.
std::string Pcm(size_t n) {
  std::string pcm(n, '\0');
  for (size_t i = 0; i < n; ++i) pcm[i] = static_cast<char>((i * 7919 + i / 256) & 0xff);
  return pcm;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class RecordingStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-stream-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Record(const std::string& name, const std::string& pcm, bool finish = true) {
    const fs::path p = dir_ / name;
    auto w = SealedRecordingWriter::Create(ring_, p.string(), kCase, {});
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    // In 20 ms frames (640 bytes of stereo), as the media loop writes them.
    for (size_t at = 0; at < pcm.size(); at += 640) {
      EXPECT_TRUE((*w)->Append(std::string_view(pcm).substr(at, 640)).ok());
    }
    if (finish) {
      EXPECT_TRUE((*w)->Finish().ok());
    }
    return p;
  }

  fs::path dir_;
  KeyRing ring_ = Ring("k1:" + kHex1);
};

TEST_F(RecordingStreamTest, R22ALongRecordingIsSealedWholeAndPlaysBack) {
  // Five minutes of stereo 8 kHz 16-bit: 9.6 MB, far past the field
  // cipher's 1 MiB, which refused every recording longer than about 33 s.
  const std::string pcm = Pcm(300 * 32000);
  const fs::path p = Record(kCase + "_call-1.wav.sealed", pcm);
  const std::string at_rest = ReadFile(p);
  EXPECT_TRUE(IsRecordingStream(at_rest));
  EXPECT_EQ(at_rest.find("RIFF"), std::string::npos);
  EXPECT_EQ(at_rest.find(pcm.substr(100000, 64)), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  Result<OpenedRecording> opened = OpenRecordingStream(ring_, p.string(), kCase, kMax);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_FALSE(opened->truncated);
  EXPECT_EQ(opened->key_id, "k1");
  EXPECT_EQ(opened->wav.substr(0, 4), "RIFF");
  EXPECT_EQ(opened->wav.substr(8, 4), "WAVE");
  EXPECT_EQ(opened->wav.substr(44), pcm);
  EXPECT_EQ(opened->wav.substr(0, 44), WavHeader({}, pcm.size()));
}

TEST_F(RecordingStreamTest, R22FilesAreCreatedOwnerOnlyAndNeverOverwritten) {
  const mode_t old = ::umask(0);  // a permissive umask must not widen the mode
  const fs::path p = Record(kCase + "_call-1.wav.sealed", Pcm(1000));
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = SealedRecordingWriter::Create(ring_, p.string(), kCase, {});
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  // A symlink planted at the name is not followed.
  const fs::path link = dir_ / (kCase + "_call-2.wav.sealed");
  fs::create_symlink(dir_ / "elsewhere", link);
  EXPECT_FALSE(SealedRecordingWriter::Create(ring_, link.string(), kCase, {}).ok());
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
}

TEST_F(RecordingStreamTest, R30ACrashMidCallStillPlaysUpToTheLastCompleteChunk) {
  const std::string pcm = Pcm(5 * SealedRecordingWriter::kChunkBytes + 1234);
  const fs::path p = dir_ / (kCase + "_call-1.wav.sealed");
  auto w = SealedRecordingWriter::Create(ring_, p.string(), kCase, {});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append(pcm).ok());
  // The process dies here: what is on disk is five sealed chunks, no final one.
  const std::string crashed = ReadFile(p);
  w->reset();
  const fs::path copy = dir_ / (kCase + "_call-2.wav.sealed");
  std::ofstream(copy, std::ios::binary) << crashed;
  Result<OpenedRecording> opened =
      OpenRecordingStream(ring_, copy.string(), kCase, kMax, p.filename().string());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(opened->truncated);
  EXPECT_EQ(opened->wav.substr(44), pcm.substr(0, 5 * SealedRecordingWriter::kChunkBytes));

  // Cut anywhere inside the last chunk (a torn write): the chunks before it play.
  for (size_t cut : {size_t{1}, size_t{3}, size_t{5}, size_t{100}, size_t{20000}}) {
    std::ofstream(copy, std::ios::binary | std::ios::trunc) << crashed.substr(0, crashed.size() - cut);
    opened = OpenRecordingStream(ring_, copy.string(), kCase, kMax, p.filename().string());
    ASSERT_TRUE(opened.ok()) << cut << ": " << opened.status().ToString();
    EXPECT_TRUE(opened->truncated);
    EXPECT_EQ(opened->wav.substr(44), pcm.substr(0, 4 * SealedRecordingWriter::kChunkBytes)) << cut;
  }
  // A finished recording is not truncated; one with a damaged chunk in the
  // middle is refused, not played around the damage.
  const fs::path done = Record(kCase + "_call-3.wav.sealed", pcm);
  std::string bytes = ReadFile(done);
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(done, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(OpenRecordingStream(ring_, done.string(), kCase, kMax).status().code(),
            Status::Code::kCorruption);
}

TEST_F(RecordingStreamTest, R22TheStreamIsBoundToItsNameCaseAndKey) {
  const std::string pcm = Pcm(3 * SealedRecordingWriter::kChunkBytes);
  const fs::path p = Record(kCase + "_call-1.wav.sealed", pcm);
  // Played for another case.
  EXPECT_EQ(OpenRecordingStream(ring_, p.string(), "0000000099", kMax).status().code(),
            Status::Code::kCorruption);
  // Renamed to another call's file.
  const fs::path renamed = dir_ / (kCase + "_call-9.wav.sealed");
  fs::copy_file(p, renamed);
  EXPECT_EQ(OpenRecordingStream(ring_, renamed.string(), kCase, kMax).status().code(),
            Status::Code::kCorruption);
  // Its header re-labelled with another case (same length): the chunks do not authenticate.
  std::string bytes = ReadFile(p);
  const size_t at = bytes.find(kCase);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, kCase.size(), "0000000099");
  const fs::path relabelled = dir_ / "0000000099_call-1.wav.sealed";
  std::ofstream(relabelled, std::ios::binary) << bytes;
  EXPECT_FALSE(OpenRecordingStream(ring_, relabelled.string(), "0000000099", kMax).ok());
  // A ring without its key, and a ring whose key under that id differs.
  EXPECT_EQ(OpenRecordingStream(Ring("k2:" + kHex2), p.string(), kCase, kMax).status().code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(OpenRecordingStream(Ring("k1:" + kHex2), p.string(), kCase, kMax).status().code(),
            Status::Code::kCorruption);
  // Too long for the limit.
  EXPECT_EQ(OpenRecordingStream(ring_, p.string(), kCase, 1000).status().code(),
            Status::Code::kResourceExhausted);
}

TEST_F(RecordingStreamTest, R22HostileFilesAreRefusedWithoutCrashing) {
  const fs::path p = dir_ / (kCase + "_call-1.wav.sealed");
  const std::string good = ReadFile(Record(kCase + "_call-2.wav.sealed", Pcm(40000)));
  const std::string inputs[] = {
      "", "GSRSTRM1", "GSRSTRM1\xff", std::string("GSRSTRM1\x02k1\x0a") + kCase,
      "RIFF....WAVE", good.substr(0, 30), good.substr(0, 60),
      // A chunk length of 4 GiB.
      good.substr(0, good.size() - 40000) + std::string("\xff\xff\xff\xff", 4) + std::string(64, 'x'),
  };
  for (const std::string& in : inputs) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << in;
    Result<OpenedRecording> r = OpenRecordingStream(ring_, p.string(), kCase, kMax);
    if (r.ok()) {
      EXPECT_TRUE(r->truncated);  // a header with no chunk yet: nothing to play
    }
  }
  EXPECT_EQ(OpenRecordingStream(ring_, (dir_ / "absent").string(), kCase, kMax).status().code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace gosline::security
