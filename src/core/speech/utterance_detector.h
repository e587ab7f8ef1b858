// Finds where a caller speaks in a stream of 20 ms frames (voice activity
// detection) and keeps that stretch of audio, with a little before it, as one
// utterance for a recogniser. Energy against an adaptive noise floor: cheap
// enough for the media thread, which only decides "speaking now" (to stop a
// prompt: barge-in) and "finished" (to hand the utterance to a worker).
// Pure: no clock, time is counted in frames.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace gosline {

struct UtteranceDetectorParams {
  int sample_rate = 8000;
  int frame_ms = 20;
  double min_rms = 300.0;        // quieter than this is never speech (line noise, comfort noise)
  double floor_factor = 3.0;     // speech is this much louder than the noise floor
  int start_ms = 60;             // voiced this long in a row: speech started
  int end_silence_ms = 700;      // quiet this long after speech: utterance finished
  int preroll_ms = 200;          // audio kept from before the start (the first consonant)
  int max_utterance_ms = 8000;   // a longer utterance is cut here (bounded memory)
};

class UtteranceDetector {
 public:
  enum class Change { kNone, kSpeechStarted, kUtteranceEnded };

  explicit UtteranceDetector(UtteranceDetectorParams params = {});

  // One frame. kUtteranceEnded: take the audio with TakeUtterance().
  Change Feed(std::span<const int16_t> frame);
  bool speaking() const { return speaking_; }
  // The finished utterance (pre-roll included); empties the buffer.
  std::vector<int16_t> TakeUtterance();
  // Forgets any speech in progress (a new turn begins).
  void Reset();

 private:
  static double Rms(std::span<const int16_t> frame);

  UtteranceDetectorParams params_;
  double noise_floor_;
  bool speaking_ = false;
  int voiced_run_ = 0;     // frames in a row above the threshold
  int silent_run_ = 0;     // frames in a row below it, while speaking
  int speech_frames_ = 0;  // frames since speech started
  std::deque<std::vector<int16_t>> preroll_;
  std::vector<int16_t> utterance_;
  bool ready_ = false;
};

}  // namespace gosline
