// Speech recognition off the media thread (R7): a bounded pool of worker
// threads, each with its own engine (a Recognizer holds an acoustic model and
// decodes one utterance at a time). The media loop hands over a finished
// utterance and returns at once; the answer comes back through `done`, on a
// worker thread, and the caller posts it to its loop. A full queue answers
// at once with nothing heard, so a burst of speakers can never make the
// media loop wait: those callers are re-prompted and can use keys.
//
// Threads: Submit from any thread (the media loop). Workers (started by the
// constructor, joined by Stop) take jobs under mu_ and decode outside it;
// each worker's engine is its own (made on that thread, used only there).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/speech/recognizer.h"

namespace gosline::telephony {

class RecognitionWorkers {
 public:
  using Done = std::function<void(RecognitionHypothesis)>;

  // `factory` must outlive the workers. workers >= 1; max_queue: utterances
  // waiting beyond those being decoded.
  RecognitionWorkers(RecognizerFactory& factory, int workers, size_t max_queue);
  ~RecognitionWorkers();
  RecognitionWorkers(const RecognitionWorkers&) = delete;
  RecognitionWorkers& operator=(const RecognitionWorkers&) = delete;

  // Whether the engine has a model for the language.
  bool Supports(const std::string& language) const;
  // Any thread; returns at once. `done` runs exactly once (on a worker, or
  // here with nothing heard when the queue is full or the pool stopped).
  void Submit(RecognitionTurn turn, std::vector<int16_t> audio, Done done) GOSLINE_EXCLUDES(mu_);
  // Drops what waits (its `done` runs with nothing heard) and joins the workers.
  void Stop() GOSLINE_EXCLUDES(mu_);

  uint64_t rejected() const GOSLINE_EXCLUDES(mu_);

 private:
  struct Job {
    RecognitionTurn turn;
    std::vector<int16_t> audio;
    Done done;
  };
  void Work() GOSLINE_EXCLUDES(mu_);

  RecognizerFactory& factory_;
  const std::vector<std::string> languages_;
  const size_t max_queue_;
  mutable Mutex mu_;
  CondVar cv_;
  std::deque<Job> pending_ GOSLINE_GUARDED_BY(mu_);
  bool stopping_ GOSLINE_GUARDED_BY(mu_) = false;
  uint64_t rejected_ GOSLINE_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_;  // made by the constructor, joined by the first Stop
};

}  // namespace gosline::telephony
