// The recording of a bridged call (R30): a stereo WAV, 8 kHz 16-bit PCM, the
// caller on the left channel and the operator on the right, written frame by
// frame through libsndfile under a temporary name and renamed when closed, so
// a half-written file never looks like a recording.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/common/status.h"
#include "core/common/time.h"

typedef struct sf_private_tag SNDFILE;

namespace gosline::telephony {

class CallRecorder {
 public:
  static Result<std::unique_ptr<CallRecorder>> Open(const std::string& path);
  ~CallRecorder();
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  // Equal lengths: one sample of each side per frame.
  void Write(std::span<const int16_t> caller, std::span<const int16_t> operator_side);
  // Finishes the file; returns its length. Idempotent (later calls fail).
  Result<Duration> Close();
  const std::string& path() const { return path_; }

 private:
  CallRecorder(std::string path, std::string tmp, SNDFILE* file)
      : path_(std::move(path)), tmp_(std::move(tmp)), file_(file) {}
  std::string path_;
  std::string tmp_;
  SNDFILE* file_;
  uint64_t frames_ = 0;
  bool write_failed_ = false;
};

// "var/recordings/<case>_<call id>.wav" with both parts reduced to safe characters.
std::string RecordingPath(const std::string& dir, const std::string& case_number,
                          const std::string& call_id);

}  // namespace gosline::telephony
