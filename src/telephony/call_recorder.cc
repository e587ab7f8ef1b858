#include "telephony/call_recorder.h"

#include <fcntl.h>
#include <sndfile.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>

#include "security/recording_cipher.h"
#include "security/recording_stream.h"

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

CallRecorder::CallRecorder(std::string path, std::string tmp, SNDFILE* file)
    : path_(std::move(path)), tmp_(std::move(tmp)), file_(file) {}

CallRecorder::CallRecorder(std::string path, std::unique_ptr<security::SealedRecordingWriter> sealed)
    : path_(std::move(path)), sealed_(std::move(sealed)) {}

namespace {

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

void MakeParent(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
}

}  // namespace

Result<std::unique_ptr<CallRecorder>> CallRecorder::Open(const std::string& path) {
  MakeParent(path);
  const std::string tmp = path + ".part";
  // 0600 whatever the umask: a conversation is personal data even unsealed.
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Status::IoError("cannot write recording " + tmp + ": " + std::strerror(errno));
  }
  SF_INFO info{};
  info.samplerate = kRate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open_fd(fd, SFM_WRITE, &info, /*close_desc=*/SF_TRUE);
  if (f == nullptr) {
    ::close(fd);
    std::remove(tmp.c_str());
    return Status::IoError("cannot write recording " + tmp + ": " + sf_strerror(nullptr));
  }
  return std::unique_ptr<CallRecorder>(new CallRecorder(path, tmp, f));
}

Result<std::unique_ptr<CallRecorder>> CallRecorder::OpenSealed(const std::string& wav_path,
                                                               const security::KeyRing& keys,
                                                               std::string_view case_number) {
  MakeParent(wav_path);
  const std::string path = wav_path + std::string(security::kSealedRecordingSuffix);
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<security::SealedRecordingWriter> writer,
                           security::SealedRecordingWriter::Create(
                               keys, path, case_number, security::RecordingFormat{kRate, 2}));
  auto recorder = std::unique_ptr<CallRecorder>(new CallRecorder(path, std::move(writer)));
  recorder->sealed_key_id_ = keys.active().id();
  return recorder;
}

CallRecorder::~CallRecorder() {
  if (!open_) return;
  // Not closed by its owner (a call torn down early): the recording is still
  // kept if it can be, and its loss is logged, not silent (R13).
  if (Result<Duration> closed = Close(); !closed.ok()) {
    spdlog::error("recording: {}", closed.status().ToString());
  }
}

void CallRecorder::Write(std::span<const int16_t> caller, std::span<const int16_t> op) {
  if (!open_ || write_failed_) return;
  const size_t n = std::min(caller.size(), op.size());
  int16_t stereo[2 * 320];
  for (size_t done = 0; done < n;) {
    const size_t chunk = std::min<size_t>(n - done, 320);
    for (size_t i = 0; i < chunk; ++i) {
      stereo[2 * i] = caller[done + i];
      stereo[2 * i + 1] = op[done + i];
    }
    const auto frames = static_cast<sf_count_t>(chunk);
    if (sealed_) {
      // WAV's PCM is little-endian, whatever the host.
      char bytes[sizeof stereo];
      for (size_t i = 0; i < 2 * chunk; ++i) {
        const auto v = static_cast<uint16_t>(stereo[i]);
        bytes[2 * i] = static_cast<char>(v & 0xff);
        bytes[2 * i + 1] = static_cast<char>(v >> 8);
      }
      // A full disk loses the rest of the recording, never the call.
      if (!sealed_->Append(std::string_view(bytes, 4 * chunk)).ok()) write_failed_ = true;
    } else if (sf_writef_short(file_, stereo, frames) != frames) {
      write_failed_ = true;
    }
    frames_ += chunk;
    done += chunk;
  }
}

Result<Duration> CallRecorder::Close() {
  if (!open_) return Status::FailedPrecondition("recording already closed");
  open_ = false;
  if (sealed_) {
    // After a write error what was sealed before it stays, and plays as
    // truncated: the recording is reported all the same.
    Status finished = sealed_->Finish(/*final=*/!write_failed_);
    if (!finished.ok()) spdlog::error("recording {}: {}", path_, finished.ToString());
    const uint64_t frames = sealed_->pcm_bytes() / 4;
    sealed_.reset();
    size_bytes_ = FileSize(path_);
    return Duration(frames * 1000 / kRate);
  }
  sf_close(file_);
  file_ = nullptr;
  if (write_failed_ || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    return Status::IoError("cannot write recording " + path_);
  }
  size_bytes_ = FileSize(path_);
  return Duration(frames_ * 1000 / kRate);
}

}  // namespace gosline::telephony
