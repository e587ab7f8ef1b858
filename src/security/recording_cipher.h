// Recordings at rest and at playback (R22, R30). Since recordings are sealed
// as a stream while they are made (recording_stream.h), a recording on disk
// is one of three forms, told apart by its first bytes:
//   - a stream ("GSRSTRM1"), "<case>_<call>.wav.sealed": what the server writes
//     whenever a data key is configured;
//   - a whole-file seal of earlier versions ("gse1." under the RowCipher,
//     base64), ".wav.sealed": the WAV sealed after the call, bound to the
//     file's name and (later ones) its case; capped at the field cipher's
//     1 MiB, so only short recordings ever had one;
//   - a clear WAV ("RIFF"), ".wav": written when no data key is configured,
//     and by earlier versions when sealing failed.
// All three play; `gosline keys rotate` turns the sealed ones into streams
// under the active key (ResealRecording). Playback reads only inside the
// recordings folder (recording_location.h), never the path a link holds as
// it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "security/key_ring.h"
#include "storage/row_cipher.h"

namespace gosline::security {

inline constexpr std::string_view kSealedRecordingSuffix = ".sealed";

// A recording as a case's link names it.
struct LinkedRecording {
  std::string recordings_dir;  // telephony.recordings_dir: nothing outside it is read
  std::string case_number;     // the case whose link is played
  std::string ref;             // the link's ref: the path telephony reported
};

// What opens sealed recordings: `ring` for streams, `cipher` for earlier
// whole-file seals. Both null: only clear recordings play.
struct RecordingKeys {
  const RowCipher* cipher = nullptr;
  const KeyRing* ring = nullptr;
};

struct PlayableRecording {
  std::string wav;
  // A stream cut short (the server stopped mid-call): the audio up to its
  // last complete chunk.
  bool truncated = false;
};

// The WAV of `recording`. NotFound for a ref outside the folder or not a
// recording of the case (LocateRecording) and for a missing file;
// ResourceExhausted over `max_bytes` of audio; FailedPrecondition for a
// sealed one without the key; Corruption when it does not authenticate
// (another case's, renamed, altered). Seals made before they named the case
// (bound to the file name alone) still open: the file name names the case.
Result<PlayableRecording> ReadRecording(const RecordingKeys& keys, const LinkedRecording& recording,
                                        std::uintmax_t max_bytes);

// For `gosline keys rotate`: the sealed recording at `path` ("<case>_<call>.wav.sealed")
// re-sealed in place as a stream under the ring's active key (a whole-file
// seal is converted; a truncated stream stays marked truncated). false when
// it already is one under the active key. A crash leaves the old file or the
// new one, never neither.
Result<bool> ResealRecording(const RecordingKeys& keys, const std::string& path);

}  // namespace gosline::security
