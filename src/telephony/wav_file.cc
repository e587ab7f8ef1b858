#include "telephony/wav_file.h"

#include <sndfile.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace gosline::telephony {

Result<PcmAudio> ReadWavMono(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr) return Status::IoError("cannot read audio file " + path + ": " + sf_strerror(nullptr));
  if (info.channels <= 0 || info.samplerate <= 0 || info.frames < 0 ||
      info.frames > static_cast<sf_count_t>(info.samplerate) * 3600) {
    sf_close(f);
    return Status::InvalidArgument("unsupported audio file " + path);
  }
  std::vector<int16_t> interleaved(static_cast<size_t>(info.frames) * info.channels);
  const sf_count_t got = sf_readf_short(f, interleaved.data(), info.frames);
  sf_close(f);
  PcmAudio out;
  out.sample_rate = info.samplerate;
  out.samples.resize(static_cast<size_t>(std::max<sf_count_t>(got, 0)));
  for (size_t i = 0; i < out.samples.size(); ++i) {
    long sum = 0;
    for (int c = 0; c < info.channels; ++c) sum += interleaved[i * info.channels + c];
    out.samples[i] = static_cast<int16_t>(sum / info.channels);
  }
  return out;
}

Status WriteWavMono16(const std::string& path, const PcmAudio& audio) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return Status::IoError("cannot write audio file " + tmp + ": " + sf_strerror(nullptr));
  const sf_count_t n = static_cast<sf_count_t>(audio.samples.size());
  const sf_count_t wrote = sf_writef_short(f, audio.samples.data(), n);
  sf_close(f);
  if (wrote != n || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError("cannot write audio file " + path);
  }
  return Status::Ok();
}

}  // namespace gosline::telephony
