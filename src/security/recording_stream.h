// Recordings sealed as a stream while they are made (R22, R30). A call's audio
// never reaches the disk in clear: the recorder appends 16-bit PCM frames,
// which are sealed in chunks of about a second with libsodium's
// crypto_secretstream_xchacha20poly1305 (any length, each chunk authenticated
// and ordered, the last one tagged final) under the recording subkey of the
// data key (key_ring.h).
//
// File ("<case>_<call>.wav.sealed"; created O_EXCL with mode 0600, never
// through the umask):
//   "GSRSTRM1" | u8 key id length | key id | u8 case length | case |
//   u32 sample rate | u8 channels | secretstream header (24 bytes) |
//   chunks: u32 sealed length | sealed PCM        (integers big-endian)
// Every chunk authenticates, as additional data, the whole clear header and
// the file's name, so a recording renamed to another call's, re-labelled with
// another case or key id, or played through another case, does not open (the
// binding of the earlier whole-file seal, recording_cipher.h, kept).
//
// Reading gives a WAV (RIFF/WAVE, PCM 16-bit) built around the chunks. A
// stream without its final chunk, or whose last chunk is cut short, is read
// up to the last complete chunk and marked truncated rather than refused: the
// server (or the machine) dying mid-call must not lose the conversation
// already recorded, and what is played is still authenticated chunk by chunk.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "security/key_ring.h"

namespace gosline::security {

inline constexpr std::string_view kRecordingStreamMagic = "GSRSTRM1";

// True when `head` (the first bytes of a file) starts a recording stream.
bool IsRecordingStream(std::string_view head);

struct RecordingFormat {
  uint32_t sample_rate = 8000;
  uint8_t channels = 2;  // 16-bit PCM, interleaved
};

class SealedRecordingWriter {
 public:
  // PCM bytes per sealed chunk: one second of stereo 8 kHz audio, so a crash
  // loses at most about a second.
  static constexpr size_t kChunkBytes = 32000;

  // Creates `path` (AlreadyExists when something is there) under the ring's
  // active key, bound to `case_number` and to `bound_name` (the file name the
  // recording keeps; empty: `path`'s own name).
  static Result<std::unique_ptr<SealedRecordingWriter>> Create(const KeyRing& ring,
                                                               const std::string& path,
                                                               std::string_view case_number,
                                                               RecordingFormat format,
                                                               std::string_view bound_name = {});
  // Not finished: what was sealed stays, and reads as truncated.
  ~SealedRecordingWriter();
  SealedRecordingWriter(const SealedRecordingWriter&) = delete;
  SealedRecordingWriter& operator=(const SealedRecordingWriter&) = delete;

  // Buffers `pcm` and seals every full chunk. After an error every later
  // call fails (the recording up to the error stays readable).
  [[nodiscard]] Status Append(std::string_view pcm);
  // Seals what is buffered as the final chunk and closes the file.
  // final=false leaves it without the final tag (re-sealing a truncated
  // recording keeps it marked truncated). sync=true waits until it is on
  // disk (before a rename over an older file); the recorder does not, as it
  // runs on the media thread, which never waits for a disk: a power cut can
  // then lose the last seconds, and the recording reads as truncated.
  [[nodiscard]] Status Finish(bool final = true, bool sync = false);

  uint64_t pcm_bytes() const { return pcm_bytes_; }
  const std::string& path() const { return path_; }

 private:
  SealedRecordingWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  [[nodiscard]] Status SealChunk(std::string_view pcm, unsigned char tag);
  [[nodiscard]] Status WriteAll(std::string_view bytes);

  std::string path_;
  int fd_;
  std::string ad_;  // clear header + "|" + the bound file name
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string buffer_;
  uint64_t pcm_bytes_ = 0;
  bool failed_ = false;
};

struct OpenedRecording {
  std::string wav;  // RIFF/WAVE, 16-bit PCM
  bool truncated = false;
  std::string key_id;
  std::string case_number;
  RecordingFormat format;
  uint64_t pcm_bytes = 0;
};

// Opens the stream at `path`, whose name it must still have (`bound_name`
// empty: its own), sealed to `case_number` (empty: whichever case its header
// names, for `keys rotate`). FailedPrecondition: its key is not in the ring.
// Corruption: not a stream, another case or name, altered data.
// ResourceExhausted: more than `max_pcm_bytes` of audio.
Result<OpenedRecording> OpenRecordingStream(const KeyRing& ring, const std::string& path,
                                            std::string_view case_number,
                                            uint64_t max_pcm_bytes,
                                            std::string_view bound_name = {});

// The 44-byte RIFF/WAVE header of `pcm_bytes` of 16-bit PCM in `format`.
std::string WavHeader(RecordingFormat format, uint64_t pcm_bytes);

}  // namespace gosline::security
