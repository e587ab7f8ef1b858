#include "security/recording_cipher.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace gosline::security {
namespace fs = std::filesystem;
namespace {

// The seal names the recording's file (not its folder, so moving the
// recordings folder keeps them playable).
std::string ContextFor(const fs::path& wav) { return "recording:" + wav.filename().string(); }

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

Result<std::string> SealRecording(const RowCipher& cipher, const std::string& wav_path) {
  const fs::path wav(wav_path);
  GOSLINE_ASSIGN_OR_RETURN(std::string clear, ReadWhole(wav, std::uintmax_t{1} << 32));
  GOSLINE_ASSIGN_OR_RETURN(std::string sealed, cipher.Seal(clear, ContextFor(wav)));
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

Result<std::string> ReadRecording(const RowCipher* cipher, const std::string& path,
                                  std::uintmax_t max_bytes) {
  const fs::path p(path);
  const std::string name = p.filename().string();
  const bool sealed = name.size() > kSealedRecordingSuffix.size() &&
                      name.ends_with(kSealedRecordingSuffix);
  const fs::path wav = sealed ? fs::path(path.substr(0, path.size() - kSealedRecordingSuffix.size())) : p;
  if (wav.extension() != ".wav") return Status::NotFound("not a recording: " + name);
  // Sealed text is base64: about 4/3 of the audio.
  Result<std::string> bytes = ReadWhole(p, sealed ? max_bytes / 3 * 4 + 256 : max_bytes);
  if (!bytes.ok() || !sealed) return bytes;
  if (cipher == nullptr) return Status::FailedPrecondition("a sealed recording needs the data key");
  return cipher->Unseal(*bytes, ContextFor(wav));
}

}  // namespace gosline::security
