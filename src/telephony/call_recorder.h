// The recording of a bridged call (R30): stereo, 8 kHz 16-bit PCM, the caller
// on the left channel and the operator on the right, written frame by frame.
// With a data key (R22) the frames are sealed as they come
// (security/recording_stream.h) into "<...>.wav.sealed": no clear audio ever
// reaches the disk, and a crash mid-call leaves a recording that plays up to
// its last sealed second. Without one, a clear WAV through libsndfile under a
// temporary name, renamed when closed, so a half-written file never looks
// like a recording. Either file is created O_EXCL with mode 0600.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/common/time.h"

typedef struct sf_private_tag SNDFILE;

namespace gosline::security {
class KeyRing;
class SealedRecordingWriter;
}  // namespace gosline::security

namespace gosline::telephony {

class CallRecorder {
 public:
  // A clear WAV at `path`.
  static Result<std::unique_ptr<CallRecorder>> Open(const std::string& path);
  // Sealed under `keys`' active key to `case_number`, at `wav_path` + ".sealed".
  // AlreadyExists when that file is there.
  static Result<std::unique_ptr<CallRecorder>> OpenSealed(const std::string& wav_path,
                                                          const security::KeyRing& keys,
                                                          std::string_view case_number);
  ~CallRecorder();
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  // Equal lengths: one sample of each side per frame.
  void Write(std::span<const int16_t> caller, std::span<const int16_t> operator_side);
  // Finishes the file; returns its length. Idempotent (later calls fail).
  Result<Duration> Close();
  // The recording's file as it stays (".wav" or ".wav.sealed").
  const std::string& path() const { return path_; }
  // The data key it is sealed under; "" in clear.
  const std::string& sealed_key_id() const { return sealed_key_id_; }
  // The file's size once closed.
  int64_t size_bytes() const { return size_bytes_; }

 private:
  CallRecorder(std::string path, std::string tmp, SNDFILE* file);
  CallRecorder(std::string path, std::unique_ptr<security::SealedRecordingWriter> sealed);
  std::string path_;
  std::string tmp_;
  SNDFILE* file_ = nullptr;
  std::unique_ptr<security::SealedRecordingWriter> sealed_;
  std::string sealed_key_id_;
  int64_t size_bytes_ = 0;
  bool open_ = true;
  uint64_t frames_ = 0;
  bool write_failed_ = false;
};

// "var/recordings/<case>_<call id>.wav" with both parts reduced to safe characters.
std::string RecordingPath(const std::string& dir, const std::string& case_number,
                          const std::string& call_id);

}  // namespace gosline::telephony
