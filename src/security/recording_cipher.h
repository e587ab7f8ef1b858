// Recordings at rest (R22, R30): a finished conversation's WAV is sealed whole
// with AES-256-GCM under the data key (the RowCipher of the case stores) into
// "<file>.wav.sealed", and the clear file is removed. The seal is bound to the
// file's name, so a sealed recording renamed to another call's does not open.
// Playback reads either form: old clear recordings, or all of them when no
// data key is configured, stay playable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "storage/row_cipher.h"

namespace gosline::security {

inline constexpr std::string_view kSealedRecordingSuffix = ".sealed";

// Seals `wav_path` into wav_path + ".sealed" (written beside it, then renamed
// into place, so a crash leaves either the clear file or both) and removes
// the clear file. Returns the sealed file's path.
Result<std::string> SealRecording(const RowCipher& cipher, const std::string& wav_path);

// The WAV bytes of a recording at `path` (".wav" or ".wav.sealed"); a sealed
// one needs `cipher`. Files over `max_bytes` are refused (kResourceExhausted).
Result<std::string> ReadRecording(const RowCipher* cipher, const std::string& path,
                                  std::uintmax_t max_bytes);

}  // namespace gosline::security
