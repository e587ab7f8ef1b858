#include "security/recording_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "security/crypto_ready.h"

namespace gosline::security {
namespace fs = std::filesystem;
namespace {

using Stream = crypto_secretstream_xchacha20poly1305_state;
constexpr size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
// A reader refuses chunk lengths beyond this: a damaged length must not make
// it allocate gigabytes.
constexpr uint32_t kMaxSealedChunk = 1u << 20;
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == kDataKeyBytes);

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

uint32_t GetU32(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

void PutLe(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// The clear header up to (not including) the secretstream header.
std::string ClearHeader(std::string_view key_id, std::string_view case_number,
                        RecordingFormat format) {
  std::string h(kRecordingStreamMagic);
  h += static_cast<char>(key_id.size());
  h += key_id;
  h += static_cast<char>(case_number.size());
  h += case_number;
  PutU32(h, format.sample_rate);
  h += static_cast<char>(format.channels);
  return h;
}

std::string AdditionalData(std::string_view clear_header, std::string_view file_name) {
  return std::string(clear_header) + "|" + std::string(file_name);
}

std::string NameOf(const std::string& path, std::string_view bound_name) {
  return bound_name.empty() ? fs::path(path).filename().string() : std::string(bound_name);
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

bool IsRecordingStream(std::string_view head) { return head.starts_with(kRecordingStreamMagic); }

std::string WavHeader(RecordingFormat format, uint64_t pcm_bytes) {
  // RIFF sizes are 32-bit; a longer recording (over 74 h at 8 kHz stereo)
  // says the largest size, which players read as "to the end".
  const uint64_t data = std::min<uint64_t>(pcm_bytes, 0xffffffffu - 36);
  const uint32_t block_align = 2u * format.channels;
  std::string h = "RIFF";
  PutLe(h, 36 + data, 4);
  h += "WAVEfmt ";
  PutLe(h, 16, 4);
  PutLe(h, 1, 2);  // PCM
  PutLe(h, format.channels, 2);
  PutLe(h, format.sample_rate, 4);
  PutLe(h, uint64_t{format.sample_rate} * block_align, 4);
  PutLe(h, block_align, 2);
  PutLe(h, 16, 2);
  h += "data";
  PutLe(h, data, 4);
  return h;
}

Result<std::unique_ptr<SealedRecordingWriter>> SealedRecordingWriter::Create(
    const KeyRing& ring, const std::string& path, std::string_view case_number,
    RecordingFormat format, std::string_view bound_name) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  const DataKey& key = ring.active();
  if (case_number.empty() || case_number.size() > 255 || key.id().size() > 255) {
    return Status::InvalidArgument("a recording is sealed to its case", "case_number");
  }
  if (format.channels == 0 || format.sample_rate == 0) {
    return Status::InvalidArgument("a recording needs a sample rate and channels", "format");
  }
  // O_EXCL: never written over another recording or through a link planted
  // in its place; 0600 from the start, whatever the process umask.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) return Status::AlreadyExists("a file is already at " + path);
    return Status::IoError("cannot create the recording " + path + ": " + std::strerror(err));
  }
  std::unique_ptr<SealedRecordingWriter> w(new SealedRecordingWriter(path, fd));
  const std::string clear = ClearHeader(key.id(), case_number, format);
  w->ad_ = AdditionalData(clear, NameOf(path, bound_name));
  unsigned char stream_header[kStreamHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&w->state_, stream_header,
                                                  key.recording_key().data());
  GOSLINE_RETURN_IF_ERROR(w->WriteAll(
      clear + std::string(reinterpret_cast<const char*>(stream_header), kStreamHeaderBytes)));
  return w;
}

SealedRecordingWriter::~SealedRecordingWriter() {
  sodium_memzero(&state_, sizeof state_);
  if (!buffer_.empty()) sodium_memzero(buffer_.data(), buffer_.size());
  if (fd_ >= 0) ::close(fd_);
}

Status SealedRecordingWriter::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = true;
      return Status::IoError("cannot write the recording " + path_ + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SealedRecordingWriter::SealChunk(std::string_view pcm, unsigned char tag) {
  std::string out;
  PutU32(out, static_cast<uint32_t>(pcm.size() + kChunkOverhead));
  out.resize(4 + pcm.size() + kChunkOverhead);
  unsigned long long sealed_len = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_, reinterpret_cast<unsigned char*>(out.data() + 4), &sealed_len, Bytes(pcm), pcm.size(),
      Bytes(ad_), ad_.size(), tag);
  return WriteAll(out);
}

Status SealedRecordingWriter::Append(std::string_view pcm) {
  if (failed_ || fd_ < 0) return Status::FailedPrecondition("the recording " + path_ + " is closed");
  buffer_.append(pcm);
  pcm_bytes_ += pcm.size();
  size_t done = 0;
  Status st = Status::Ok();
  while (st.ok() && buffer_.size() - done >= kChunkBytes) {
    st = SealChunk(std::string_view(buffer_).substr(done, kChunkBytes),
                   crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    done += kChunkBytes;
  }
  sodium_memzero(buffer_.data(), done);
  buffer_.erase(0, done);
  return st;
}

Status SealedRecordingWriter::Finish(bool final, bool sync) {
  if (fd_ < 0) return Status::FailedPrecondition("the recording " + path_ + " is closed");
  Status st = failed_ ? Status::IoError("the recording " + path_ + " lost its end to a write error")
                      : Status::Ok();
  if (st.ok() && (final || !buffer_.empty())) {
    st = SealChunk(buffer_, final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  }
  sodium_memzero(buffer_.data(), buffer_.size());
  buffer_.clear();
  if (st.ok() && sync && ::fsync(fd_) != 0) {
    st = Status::IoError("cannot sync the recording " + path_ + ": " + std::strerror(errno));
  }
  ::close(fd_);
  fd_ = -1;
  return st;
}

Result<OpenedRecording> OpenRecordingStream(const KeyRing& ring, const std::string& path,
                                            std::string_view case_number, uint64_t max_pcm_bytes,
                                            std::string_view bound_name) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound("no recording at " + path);
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return Status::IoError("cannot size " + path + ": " + ec.message());
  // Sealing adds a length and a tag to each chunk: the file is never smaller than its audio.
  if (size > max_pcm_bytes + max_pcm_bytes / 64 + 4096) {
    return Status::ResourceExhausted("the recording is larger than allowed");
  }
  std::string file(size, '\0');
  {
    std::ifstream in(path, std::ios::binary);
    if (!in.read(file.data(), static_cast<std::streamsize>(size))) {
      return Status::IoError("cannot read " + path);
    }
  }
  const Status not_stream = Status::Corruption(path + " is not a sealed recording stream");
  std::string_view rest(file);
  if (!IsRecordingStream(rest)) return not_stream;
  rest.remove_prefix(kRecordingStreamMagic.size());
  auto take_text = [&rest](std::string& out) {
    if (rest.empty()) return false;
    const size_t n = static_cast<unsigned char>(rest[0]);
    if (rest.size() < 1 + n) return false;
    out.assign(rest.substr(1, n));
    rest.remove_prefix(1 + n);
    return true;
  };
  OpenedRecording opened;
  if (!take_text(opened.key_id) || !take_text(opened.case_number) || rest.size() < 5) return not_stream;
  opened.format.sample_rate = GetU32(rest);
  opened.format.channels = static_cast<uint8_t>(rest[4]);
  rest.remove_prefix(5);
  const size_t clear_len = file.size() - rest.size();
  if (rest.size() < kStreamHeaderBytes || opened.format.channels == 0) return not_stream;
  if (!case_number.empty() && opened.case_number != case_number) {
    return Status::Corruption(path + " is sealed to another case");
  }
  const DataKey* key = ring.Find(opened.key_id);
  if (key == nullptr) {
    return Status::FailedPrecondition("the recording is sealed under key '" + opened.key_id +
                                      "', which is not in the key ring");
  }
  const std::string ad =
      AdditionalData(std::string_view(file).substr(0, clear_len), NameOf(path, bound_name));
  Stream state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, Bytes(rest),
                                                      key->recording_key().data()) != 0) {
    return not_stream;
  }
  rest.remove_prefix(kStreamHeaderBytes);
  std::string pcm;
  bool final_seen = false;
  int chunks = 0;
  while (!rest.empty() && !final_seen) {
    // A length or chunk cut short by the end of the file: the writer died in
    // the middle of it.
    if (rest.size() < 4) break;
    const uint32_t len = GetU32(rest);
    if (len < kChunkOverhead || len > kMaxSealedChunk) return not_stream;
    if (rest.size() - 4 < len) break;
    const std::string_view sealed = rest.substr(4, len);
    rest.remove_prefix(4 + len);
    if (pcm.size() + len > max_pcm_bytes + kChunkOverhead) {
      sodium_memzero(&state, sizeof state);
      return Status::ResourceExhausted("the recording is larger than allowed");
    }
    const size_t at = pcm.size();
    pcm.resize(at + len - kChunkOverhead);
    unsigned long long out_len = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state, reinterpret_cast<unsigned char*>(pcm.data() + at), &out_len, &tag, Bytes(sealed),
            sealed.size(), Bytes(ad), ad.size()) != 0) {
      pcm.resize(at);
      // The last chunk of a file that ends mid-recording may be a torn write:
      // played up to the chunk before. Anything else (wrong name, case or key,
      // altered data) is refused.
      if (!rest.empty() || chunks == 0) {
        sodium_memzero(pcm.data(), pcm.size());
        sodium_memzero(&state, sizeof state);
        return Status::Corruption("the recording " + path +
                                  " does not authenticate (altered, renamed, or another case's)");
      }
      break;
    }
    ++chunks;
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }
  sodium_memzero(&state, sizeof state);
  if (final_seen && !rest.empty()) return Status::Corruption(path + " has data after its end");
  opened.truncated = !final_seen;
  opened.pcm_bytes = pcm.size();
  opened.wav = WavHeader(opened.format, pcm.size());
  opened.wav += pcm;
  sodium_memzero(pcm.data(), pcm.size());
  return opened;
}

}  // namespace gosline::security
