#include "telephony/call_recorder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>
#include <sndfile.h>

#include "security/key_ring.h"
#include "security/recording_stream.h"
#include "telephony/media_bridge.h"

namespace gosline::telephony {
namespace {

TEST(CallRecorderTest, WritesStereoCallerLeftOperatorRight) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gosline-rec-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string path = RecordingPath(dir.string(), "2026-000123", "abc/../x@host");
  EXPECT_EQ(std::filesystem::path(path).filename(), "2026-000123_abc_.._x_host.wav");
  auto rec = CallRecorder::Open(path);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  std::vector<int16_t> left(160, 1000), right(160, -2000);
  for (int i = 0; i < 50; ++i) (*rec)->Write(left, right);
  EXPECT_FALSE(std::filesystem::exists(path));  // only once closed
  auto length = (*rec)->Close();
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->count(), 1000);

  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(info.channels, 2);
  EXPECT_EQ(info.samplerate, 8000);
  EXPECT_EQ(info.frames, 8000);
  std::vector<int16_t> data(2 * 8000);
  EXPECT_EQ(sf_readf_short(f, data.data(), 8000), 8000);
  sf_close(f);
  EXPECT_EQ(data[0], 1000);
  EXPECT_EQ(data[1], -2000);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // personal data, even in clear
  std::filesystem::remove_all(dir);
}

// R22: with a data key no clear audio reaches the disk, not even while the
// call goes on; the file is the owner's alone; what was said plays back.
TEST(CallRecorderTest, R22SealsTheConversationWhileItIsRecorded) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gosline-rec-sealed-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Result<security::KeyRing> ring = security::KeyRing::Parse(
      "k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "test ring");
  ASSERT_TRUE(ring.ok());
  const std::string wav = RecordingPath(dir.string(), "0000000013", "call-1");
  const mode_t old_mask = ::umask(0);
  auto rec = CallRecorder::OpenSealed(wav, *ring, "0000000013");
  ::umask(old_mask);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ((*rec)->path(), wav + ".sealed");
  std::vector<int16_t> left(160), right(160);
  for (int i = 0; i < 160; ++i) {
    left[i] = static_cast<int16_t>(1000 + 37 * i);
    right[i] = static_cast<int16_t>(-2000 - 11 * i);
  }
  auto on_disk = [&] {
    std::ifstream in((*rec)->path(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (int i = 0; i < 150; ++i) (*rec)->Write(left, right);  // 3 s
  // Mid-call: sealed chunks on disk, no WAV and no caller audio in them.
  EXPECT_FALSE(std::filesystem::exists(wav));
  EXPECT_FALSE(std::filesystem::exists(wav + ".part"));
  const std::string mid = on_disk();
  EXPECT_TRUE(security::IsRecordingStream(mid));
  EXPECT_GT(mid.size(), 2u * security::SealedRecordingWriter::kChunkBytes);
  EXPECT_EQ(mid.find("RIFF"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat((*rec)->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto length = (*rec)->Close();
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->count(), 3000);
  EXPECT_FALSE((*rec)->Close().ok());

  Result<security::OpenedRecording> opened =
      security::OpenRecordingStream(*ring, (*rec)->path(), "0000000013", 1 << 20);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_FALSE(opened->truncated);
  ASSERT_EQ(opened->wav.size(), 44u + 150 * 160 * 4);
  const auto* pcm = reinterpret_cast<const unsigned char*>(opened->wav.data() + 44);
  EXPECT_EQ(static_cast<int16_t>(pcm[0] | pcm[1] << 8), 1000);       // caller left
  EXPECT_EQ(static_cast<int16_t>(pcm[2] | pcm[3] << 8), -2000);      // operator right
  EXPECT_EQ(static_cast<int16_t>(pcm[4] | pcm[5] << 8), 1000 + 37);  // next frame
  // Another recorder on the same call does not overwrite it.
  EXPECT_FALSE(CallRecorder::OpenSealed(wav, *ring, "0000000013").ok());
  std::filesystem::remove_all(dir);
}

TEST(MediaBridgeTest, RelaysBothWaysAcrossLawsAndRecords) {
  // The operator's leg: a real UDP socket pair on loopback.
  int ours = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int theirs = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in a{}, b{};
  a.sin_family = b.sin_family = AF_INET;
  a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(ours, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(bind(theirs, reinterpret_cast<sockaddr*>(&b), sizeof b), 0);
  socklen_t len = sizeof a;
  getsockname(ours, reinterpret_cast<sockaddr*>(&a), &len);
  len = sizeof b;
  getsockname(theirs, reinterpret_cast<sockaddr*>(&b), &len);
  NegotiatedAudio ulaw;
  ulaw.law = G711Law::kUlaw;
  ulaw.payload_type = 0;
  MediaBridge bridge(RtpSession(ours, 1, b, ulaw), nullptr);

  // The caller (A-law) says something loud; the operator hears it in mu-law.
  std::vector<int16_t> loud(160, 8000);
  uint8_t alaw[160];
  G711Encode(G711Law::kAlaw, loud, alaw);
  bridge.FromCaller(alaw, G711Law::kAlaw);
  // The operator sends a frame back (mu-law).
  RtpSession operator_phone(theirs, 2, a, ulaw);
  std::vector<int16_t> quiet(160, -3000);
  uint8_t ulaw_frame[160];
  G711Encode(G711Law::kUlaw, quiet, ulaw_frame);
  operator_phone.SendFrame(ulaw_frame);
  for (int i = 0; i < 100 && bridge.operator_packets() == 0; ++i) {
    bridge.OnOperatorReadable();
    usleep(1000);
  }
  ASSERT_EQ(bridge.operator_packets(), 1u);
  int16_t to_caller[160];
  bridge.Tick(to_caller);
  EXPECT_NEAR(to_caller[0], -3000, 100);

  std::vector<int16_t> heard;
  RtpSession::Received sink;
  sink.on_audio = [&](std::span<const uint8_t> coded) {
    int16_t pcm[160];
    G711Decode(G711Law::kUlaw, coded.first(160), pcm);
    heard.assign(pcm, pcm + 160);
  };
  sink.on_event = [](uint32_t, const TelephoneEvent&) {};
  for (int i = 0; i < 100 && heard.empty(); ++i) {
    operator_phone.ReadAll(sink);
    usleep(1000);
  }
  ASSERT_EQ(heard.size(), 160u);
  EXPECT_NEAR(heard[0], 8000, 500);  // quantised twice: A-law, then mu-law
  close(ours);
  close(theirs);
}

}  // namespace
}  // namespace gosline::telephony
