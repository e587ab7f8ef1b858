#include "telephony/call_recorder.h"

#include <sndfile.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>

namespace gosline::telephony {
namespace {

constexpr int kRate = 8000;

std::string Safe(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  if (out.size() > 80) out.resize(80);
  if (out.empty() || out[0] == '.') out.insert(out.begin(), 'x');
  return out;
}

}  // namespace

std::string RecordingPath(const std::string& dir, const std::string& case_number,
                          const std::string& call_id) {
  return (std::filesystem::path(dir) / (Safe(case_number) + "_" + Safe(call_id) + ".wav")).string();
}

Result<std::unique_ptr<CallRecorder>> CallRecorder::Open(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".part";
  SF_INFO info{};
  info.samplerate = kRate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (f == nullptr) {
    return Status::IoError("cannot write recording " + tmp + ": " + sf_strerror(nullptr));
  }
  return std::unique_ptr<CallRecorder>(new CallRecorder(path, tmp, f));
}

CallRecorder::~CallRecorder() {
  if (file_ == nullptr) return;
  // Not closed by its owner (a call torn down early): the recording is still
  // kept if it can be, and its loss is logged, not silent (R13).
  if (Result<Duration> closed = Close(); !closed.ok()) {
    spdlog::error("recording: {}", closed.status().ToString());
  }
}

void CallRecorder::Write(std::span<const int16_t> caller, std::span<const int16_t> op) {
  if (file_ == nullptr || write_failed_) return;
  const size_t n = std::min(caller.size(), op.size());
  int16_t stereo[2 * 320];
  for (size_t done = 0; done < n;) {
    const size_t chunk = std::min<size_t>(n - done, 320);
    for (size_t i = 0; i < chunk; ++i) {
      stereo[2 * i] = caller[done + i];
      stereo[2 * i + 1] = op[done + i];
    }
    const auto frames = static_cast<sf_count_t>(chunk);
    // A full disk loses the rest of the recording, never the call.
    if (sf_writef_short(file_, stereo, frames) != frames) write_failed_ = true;
    frames_ += chunk;
    done += chunk;
  }
}

Result<Duration> CallRecorder::Close() {
  if (file_ == nullptr) return Status::FailedPrecondition("recording already closed");
  sf_close(file_);
  file_ = nullptr;
  if (write_failed_ || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    return Status::IoError("cannot write recording " + path_);
  }
  return Duration(frames_ * 1000 / kRate);
}

}  // namespace gosline::telephony
