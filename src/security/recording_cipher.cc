#include "security/recording_cipher.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "security/recording_location.h"
#include "security/recording_stream.h"

namespace gosline::security {
namespace fs = std::filesystem;
namespace {

// Whole-file seals name the recording's file (not its folder, so moving the
// recordings folder keeps them playable) and its case. Telephony's file
// names keep to [A-Za-z0-9._-] (playback takes no other), and a case number
// is digits, so "|" cannot make one context read as another.
std::string ContextFor(const fs::path& wav, std::string_view case_number) {
  return "recording:" + wav.filename().string() + "|case:" + std::string(case_number);
}

// What whole-file seals named before they named the case.
std::string LegacyContextFor(const fs::path& wav) { return "recording:" + wav.filename().string(); }

Result<std::string> ReadWhole(const fs::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound("no recording at " + path.string());
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::IoError("cannot size " + path.string() + ": " + ec.message());
  if (size > max_bytes) return Status::ResourceExhausted("the recording is larger than allowed");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IoError("cannot read " + path.string());
  }
  return bytes;
}

Result<std::string> FirstBytes(const fs::path& path, size_t n) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound("no recording at " + path.string());
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// A whole-file seal of an earlier version, opened for `case_number`.
Result<std::string> OpenWholeFileSeal(const RowCipher& cipher, const fs::path& sealed_path,
                                      std::string_view case_number, std::uintmax_t max_bytes) {
  const std::string path = sealed_path.string();
  const fs::path wav(path.substr(0, path.size() - kSealedRecordingSuffix.size()));
  // Sealed text is base64: about 4/3 of the audio.
  GOSLINE_ASSIGN_OR_RETURN(std::string bytes, ReadWhole(sealed_path, max_bytes / 3 * 4 + 256));
  Result<std::string> audio = cipher.Unseal(bytes, ContextFor(wav, case_number));
  if (audio.ok()) return audio;
  // The caller has checked that the name is of this case's recording.
  Result<std::string> legacy = cipher.Unseal(bytes, LegacyContextFor(wav));
  return legacy.ok() ? legacy : audio;
}

// "<case>_<call>.wav.sealed" -> "<case>": telephony's names start with the case.
std::string CaseOfName(const fs::path& path) {
  const std::string name = path.filename().string();
  const size_t cut = name.find('_');
  return cut == std::string::npos ? std::string() : name.substr(0, cut);
}

uint32_t Le(std::string_view s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// The 16-bit PCM of the WAV a whole-file seal holds (libsndfile's: "fmt "
// then "data", perhaps other chunks between).
Result<std::string> PcmOfWav(std::string_view wav, RecordingFormat& format) {
  const Status bad = Status::Corruption("a sealed recording does not hold a 16-bit PCM WAV");
  if (wav.size() < 12 || wav.substr(0, 4) != "RIFF" || wav.substr(8, 4) != "WAVE") return bad;
  bool have_format = false;
  for (size_t at = 12; at + 8 <= wav.size();) {
    const std::string_view id = wav.substr(at, 4);
    const size_t len = Le(wav, at + 4, 4);
    const size_t body = at + 8;
    if (id == "fmt " && len >= 16 && body + 16 <= wav.size()) {
      if (Le(wav, body + 14, 2) != 16) return bad;
      format.channels = static_cast<uint8_t>(Le(wav, body + 2, 2));
      format.sample_rate = Le(wav, body + 4, 4);
      have_format = format.channels > 0;
    } else if (id == "data") {
      if (!have_format) return bad;
      return std::string(wav.substr(body, std::min(len, wav.size() - body)));
    }
    at = body + len + (len & 1);
  }
  return bad;
}

}  // namespace

Result<PlayableRecording> ReadRecording(const RecordingKeys& keys, const LinkedRecording& recording,
                                        std::uintmax_t max_bytes) {
  Result<fs::path> located =
      LocateRecording(recording.recordings_dir, recording.case_number, recording.ref);
  if (!located.ok()) return located.status();
  const fs::path& p = *located;
  GOSLINE_ASSIGN_OR_RETURN(std::string head, FirstBytes(p, kRecordingStreamMagic.size()));
  if (IsRecordingStream(head)) {
    if (keys.ring == nullptr) return Status::FailedPrecondition("a sealed recording needs the data key");
    GOSLINE_ASSIGN_OR_RETURN(OpenedRecording opened,
                             OpenRecordingStream(*keys.ring, p.string(), recording.case_number, max_bytes));
    return PlayableRecording{std::move(opened.wav), opened.truncated};
  }
  if (p.string().ends_with(kSealedRecordingSuffix)) {
    if (keys.cipher == nullptr) return Status::FailedPrecondition("a sealed recording needs the data key");
    GOSLINE_ASSIGN_OR_RETURN(std::string wav,
                             OpenWholeFileSeal(*keys.cipher, p, recording.case_number, max_bytes));
    return PlayableRecording{std::move(wav), false};
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string wav, ReadWhole(p, max_bytes));
  return PlayableRecording{std::move(wav), false};
}

Result<bool> ResealRecording(const RecordingKeys& keys, const std::string& path) {
  if (keys.ring == nullptr) return Status::FailedPrecondition("re-sealing a recording needs the data key");
  // Nothing to stream-seal has more than this: 4 h of stereo 8 kHz audio.
  constexpr uint64_t kMaxAudio = 512ull << 20;
  const KeyRing& ring = *keys.ring;
  const fs::path p(path);
  const std::string name = p.filename().string();
  GOSLINE_ASSIGN_OR_RETURN(std::string head, FirstBytes(p, kRecordingStreamMagic.size()));
  std::string pcm;
  std::string case_number;
  RecordingFormat format;
  bool truncated = false;
  if (IsRecordingStream(head)) {
    GOSLINE_ASSIGN_OR_RETURN(OpenedRecording opened, OpenRecordingStream(ring, path, "", kMaxAudio));
    if (opened.key_id == ring.active().id()) return false;
    case_number = opened.case_number;
    format = opened.format;
    truncated = opened.truncated;
    pcm = opened.wav.substr(WavHeader(format, 0).size());
  } else {
    if (keys.cipher == nullptr) return Status::FailedPrecondition("a whole-file seal needs the row cipher");
    case_number = CaseOfName(p);
    if (case_number.empty()) return Status::InvalidArgument("not a recording's name: " + name);
    GOSLINE_ASSIGN_OR_RETURN(std::string wav, OpenWholeFileSeal(*keys.cipher, p, case_number, kMaxAudio));
    GOSLINE_ASSIGN_OR_RETURN(pcm, PcmOfWav(wav, format));
    sodium_memzero(wav.data(), wav.size());
  }
  // Written beside it under a temporary name bound to the final one, then
  // renamed over it.
  const std::string tmp = path + ".reseal";
  std::error_code ec;
  fs::remove(tmp, ec);  // left by an interrupted rotation
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<SealedRecordingWriter> writer,
                           SealedRecordingWriter::Create(ring, tmp, case_number, format, name));
  Status st = writer->Append(pcm);
  if (st.ok()) st = writer->Finish(/*final=*/!truncated, /*sync=*/true);
  if (!pcm.empty()) sodium_memzero(pcm.data(), pcm.size());
  if (st.ok()) {
    fs::rename(tmp, path, ec);
    if (ec) st = Status::IoError("cannot replace " + path + ": " + ec.message());
  }
  if (!st.ok()) {
    fs::remove(tmp, ec);
    return st;
  }
  return true;
}

}  // namespace gosline::security
