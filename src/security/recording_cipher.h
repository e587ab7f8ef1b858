// Recordings at rest (R22, R30): a finished conversation's WAV is sealed whole
// with AES-256-GCM under the data key (the RowCipher of the case stores) into
// "<file>.wav.sealed", and the clear file is removed. The seal is bound to the
// file's name (telephony names it "<case>_<call id>.wav": the call) and to the
// case the recording is linked to, so a sealed recording renamed to another
// call's, or played through another case, does not open.
// Playback reads either form: old clear recordings, or all of them when no
// data key is configured, stay playable; it reads only inside the recordings
// folder (recording_location.h), never the path a link holds as it is.
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
// the clear file. `case_number`: the case the centre links the call to.
// Returns the sealed file's path.
Result<std::string> SealRecording(const RowCipher& cipher, const std::string& wav_path,
                                  std::string_view case_number);

// A recording as a case's link names it.
struct LinkedRecording {
  std::string recordings_dir;  // telephony.recordings_dir: nothing outside it is read
  std::string case_number;     // the case whose link is played
  std::string ref;             // the link's ref: the path telephony reported
};

// The WAV bytes of `recording` (".wav" or ".wav.sealed"); a sealed one needs
// `cipher`. NotFound for a ref outside the folder or not a recording of the
// case (LocateRecording) and for a missing file; files over `max_bytes` are
// refused (kResourceExhausted). Seals made before they named the case (bound
// to the file name alone) still open: the file name already names the case.
Result<std::string> ReadRecording(const RowCipher* cipher, const LinkedRecording& recording,
                                  std::uintmax_t max_bytes);

}  // namespace gosline::security
