#include "security/recording_cipher.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "security/recording_location.h"

namespace gosline::security {
namespace fs = std::filesystem;
namespace {

// The seal names the recording's file (not its folder, so moving the
// recordings folder keeps them playable) and its case. Telephony's file
// names keep to [A-Za-z0-9._-] (playback takes no other), and a case number
// is digits, so "|" cannot make one context read as another.
std::string ContextFor(const fs::path& wav, std::string_view case_number) {
  return "recording:" + wav.filename().string() + "|case:" + std::string(case_number);
}

// What seals named before they named the case.
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

}  // namespace

Result<std::string> SealRecording(const RowCipher& cipher, const std::string& wav_path,
                                  std::string_view case_number) {
  if (case_number.empty()) {
    return Status::InvalidArgument("a recording is sealed to its case", "case_number");
  }
  const fs::path wav(wav_path);
  GOSLINE_ASSIGN_OR_RETURN(std::string clear, ReadWhole(wav, std::uintmax_t{1} << 32));
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed, cipher.Seal(clear, ContextFor(wav, case_number)));
  const std::string out = wav_path + std::string(kSealedRecordingSuffix);
  const std::string tmp = out + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(sealed.data(), static_cast<std::streamsize>(sealed.size()));
    f.flush();
    if (!f) return Status::IoError("cannot write " + tmp);
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) return Status::IoError("cannot rename " + tmp + ": " + ec.message());
  fs::remove(wav, ec);
  if (ec) return Status::IoError("sealed, but cannot remove the clear " + wav_path + ": " + ec.message());
  return out;
}

Result<std::string> ReadRecording(const RowCipher* cipher, const LinkedRecording& recording,
                                  std::uintmax_t max_bytes) {
  Result<fs::path> located =
      LocateRecording(recording.recordings_dir, recording.case_number, recording.ref);
  if (!located.ok()) return located.status();
  const fs::path& p = *located;
  const std::string path = p.string();
  const bool sealed = path.ends_with(kSealedRecordingSuffix);
  const fs::path wav = sealed ? fs::path(path.substr(0, path.size() - kSealedRecordingSuffix.size())) : p;
  // Sealed text is base64: about 4/3 of the audio.
  Result<std::string> bytes = ReadWhole(p, sealed ? max_bytes / 3 * 4 + 256 : max_bytes);
  if (!bytes.ok() || !sealed) return bytes;
  if (cipher == nullptr) return Status::FailedPrecondition("a sealed recording needs the data key");
  Result<std::string> audio = cipher->Unseal(*bytes, ContextFor(wav, recording.case_number));
  if (audio.ok()) return audio;
  // LocateRecording has checked that the name is of this case's recording.
  Result<std::string> legacy = cipher->Unseal(*bytes, LegacyContextFor(wav));
  return legacy.ok() ? legacy : audio;
}

}  // namespace gosline::security
