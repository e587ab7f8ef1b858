#include "core/speech/utterance_detector.h"

#include <algorithm>
#include <cmath>

namespace gosline {
namespace {

int Frames(int ms, int frame_ms) { return std::max(1, ms / std::max(1, frame_ms)); }

}  // namespace

UtteranceDetector::UtteranceDetector(UtteranceDetectorParams params)
    : params_(params), noise_floor_(params.min_rms / params.floor_factor) {}

double UtteranceDetector::Rms(std::span<const int16_t> frame) {
  if (frame.empty()) return 0.0;
  double sum = 0.0;
  for (int16_t s : frame) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(frame.size()));
}

void UtteranceDetector::Reset() {
  speaking_ = false;
  voiced_run_ = 0;
  silent_run_ = 0;
  speech_frames_ = 0;
  preroll_.clear();
  utterance_.clear();
  ready_ = false;
}

std::vector<int16_t> UtteranceDetector::TakeUtterance() {
  ready_ = false;
  std::vector<int16_t> out;
  out.swap(utterance_);
  return out;
}

UtteranceDetector::Change UtteranceDetector::Feed(std::span<const int16_t> frame) {
  const double rms = Rms(frame);
  const double threshold = std::max(params_.min_rms, noise_floor_ * params_.floor_factor);
  const bool voiced = rms >= threshold;
  // The floor follows quiet frames quickly and loud ones slowly, so speech
  // does not teach the detector that speech is noise.
  if (!voiced) {
    noise_floor_ = 0.9 * noise_floor_ + 0.1 * rms;
  } else {
    noise_floor_ = 0.999 * noise_floor_ + 0.001 * rms;
  }

  if (!speaking_) {
    if (ready_) return Change::kNone;  // the last utterance waits to be taken
    preroll_.emplace_back(frame.begin(), frame.end());
    const int preroll_frames = Frames(params_.preroll_ms, params_.frame_ms) +
                               Frames(params_.start_ms, params_.frame_ms);
    while (static_cast<int>(preroll_.size()) > preroll_frames) preroll_.pop_front();
    voiced_run_ = voiced ? voiced_run_ + 1 : 0;
    if (voiced_run_ < Frames(params_.start_ms, params_.frame_ms)) return Change::kNone;
    speaking_ = true;
    silent_run_ = 0;
    speech_frames_ = voiced_run_;
    utterance_.clear();
    for (const auto& f : preroll_) utterance_.insert(utterance_.end(), f.begin(), f.end());
    preroll_.clear();
    return Change::kSpeechStarted;
  }

  utterance_.insert(utterance_.end(), frame.begin(), frame.end());
  ++speech_frames_;
  silent_run_ = voiced ? 0 : silent_run_ + 1;
  if (silent_run_ >= Frames(params_.end_silence_ms, params_.frame_ms) ||
      speech_frames_ >= Frames(params_.max_utterance_ms, params_.frame_ms)) {
    speaking_ = false;
    voiced_run_ = 0;
    ready_ = true;
    return Change::kUtteranceEnded;
  }
  return Change::kNone;
}

}  // namespace gosline
