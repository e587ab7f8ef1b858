#include "telephony/recognition_workers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace gosline::telephony {
namespace {

// One frame of the line (20 ms at 8 kHz), as the engine is fed in streaming.
size_t FrameOf(int sample_rate) { return static_cast<size_t>(std::max(sample_rate, 8000) / 50); }

}  // namespace

RecognitionWorkers::RecognitionWorkers(RecognizerFactory& factory, int workers, size_t max_queue)
    : factory_(factory), languages_(factory.Languages()), max_queue_(max_queue) {
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { Work(); });
}

RecognitionWorkers::~RecognitionWorkers() { Stop(); }

bool RecognitionWorkers::Supports(const std::string& language) const {
  return std::find(languages_.begin(), languages_.end(), language) != languages_.end();
}

void RecognitionWorkers::Submit(RecognitionTurn turn, std::vector<int16_t> audio, Done done) {
  {
    MutexLock lock(mu_);
    if (!stopping_ && pending_.size() < max_queue_) {
      pending_.push_back(Job{std::move(turn), std::move(audio), std::move(done)});
      cv_.NotifyOne();
      return;
    }
    ++rejected_;
  }
  done(RecognitionHypothesis{{}, 0.0, true});
}

uint64_t RecognitionWorkers::rejected() const {
  MutexLock lock(mu_);
  return rejected_;
}

void RecognitionWorkers::Stop() {
  std::deque<Job> dropped;
  {
    MutexLock lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    dropped.swap(pending_);
    cv_.NotifyAll();
  }
  for (Job& job : dropped) job.done(RecognitionHypothesis{{}, 0.0, true});
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
}

void RecognitionWorkers::Work() {
  std::unique_ptr<Recognizer> engine;
  bool engine_failed = false;
  while (true) {
    Job job;
    {
      MutexLock lock(mu_);
      while (!stopping_ && pending_.empty()) cv_.Wait(mu_);
      if (stopping_) return;
      job = std::move(pending_.front());
      pending_.pop_front();
    }
    // The model loads on the first utterance, on this thread, not at start-up
    // of a line that may never hear speech.
    if (!engine && !engine_failed) {
      Result<std::unique_ptr<Recognizer>> made = factory_.Create();
      if (made.ok()) {
        engine = std::move(*made);
      } else {
        engine_failed = true;
        spdlog::error("speech recognition unavailable: {}", made.status().ToString());
      }
    }
    RecognitionHypothesis result{{}, 0.0, true};
    if (engine) {
      const Status begun = engine->Begin(job.turn);
      if (begun.ok()) {
        const size_t frame = FrameOf(job.turn.sample_rate);
        for (size_t at = 0; at < job.audio.size(); at += frame) {
          const size_t n = std::min(frame, job.audio.size() - at);
          (void)engine->Feed(std::span<const int16_t>(job.audio.data() + at, n));
        }
        result = engine->Finish();
      } else {
        spdlog::warn("speech turn refused: {}", begun.ToString());
      }
    }
    job.done(std::move(result));
  }
}

}  // namespace gosline::telephony
