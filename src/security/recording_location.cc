#include "security/recording_location.h"

#include <system_error>

#include "security/recording_cipher.h"

namespace gosline::security {
namespace fs = std::filesystem;
namespace {

bool IsSafeNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// weakly_canonical resolves "..", "." and every symlink on the part of the
// path that exists: what is left is where a read would really land.
Result<fs::path> Canonical(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (!ec) absolute = fs::weakly_canonical(absolute, ec);
  if (ec) return Status::NotFound("cannot resolve " + path + ": " + ec.message());
  return absolute;
}

}  // namespace

bool IsRecordingNameOf(std::string_view file_name, std::string_view case_number) {
  if (case_number.empty() || !file_name.starts_with(case_number)) return false;
  std::string_view rest = file_name.substr(case_number.size());
  if (!rest.starts_with('_')) return false;
  rest.remove_prefix(1);
  if (rest.ends_with(kSealedRecordingSuffix)) rest.remove_suffix(kSealedRecordingSuffix.size());
  if (!rest.ends_with(".wav")) return false;
  rest.remove_suffix(4);
  if (rest.empty()) return false;
  for (char c : rest) {
    if (!IsSafeNameChar(c)) return false;
  }
  return true;
}

Result<fs::path> LocateInRecordingsFolder(const std::string& recordings_dir, const std::string& ref) {
  const Status absent = Status::NotFound("no recording at " + ref.substr(0, 200));
  if (recordings_dir.empty() || ref.empty() || ref.find('\0') != std::string::npos) return absent;
  Result<fs::path> root = Canonical(recordings_dir);
  if (!root.ok()) return absent;
  Result<fs::path> file = Canonical(ref);
  if (!file.ok()) return absent;
  // Both canonical: inside the folder means a relative path that neither
  // climbs out ("..") nor is the folder itself (".").
  const fs::path inside = file->lexically_relative(*root);
  if (inside.empty() || inside.is_absolute() || *inside.begin() == ".." || inside == ".") return absent;
  // "<case>_<call>.wav[.sealed]": the case is the name's part before "_".
  const std::string name = file->filename().string();
  const size_t cut = name.find('_');
  if (cut == std::string::npos || !IsRecordingNameOf(name, std::string_view(name).substr(0, cut))) {
    return absent;
  }
  return file;
}

Result<fs::path> LocateRecording(const std::string& recordings_dir, std::string_view case_number,
                                 const std::string& ref) {
  const Status absent = Status::NotFound("no recording of case " + std::string(case_number) + " there");
  Result<fs::path> file = LocateInRecordingsFolder(recordings_dir, ref);
  if (!file.ok()) return absent;
  if (!IsRecordingNameOf(file->filename().string(), case_number)) return absent;
  return file;
}

}  // namespace gosline::security
