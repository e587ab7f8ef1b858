// The status of a case by its number for the IVR (R16), answered off the
// caller's thread: the telephony adapter asks from its media loop, which must
// never wait for the registry, so each request is queued for a small pool of
// worker threads that read through CaseService and answer through `done`
// (on a worker thread). A full queue or a stopped service answers kError at
// once, so the IVR moves on to its "status unavailable" prompt.
//
// Threads: Lookup from any thread (the media loop); the workers (made by the
// constructor, joined by Stop) take requests under mu_ and answer outside it.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "app/case_service.h"
#include "core/common/thread_annotations.h"
#include "core/ivr/ivr_session.h"

namespace gosline {

class CaseStatusLookup {
 public:
  using Done = std::function<void(CaseLookupResultEvent)>;

  struct Options {
    int workers = 1;           // registry reads take well under a millisecond
    size_t max_pending = 1024; // requests waiting beyond this get kError
  };

  CaseStatusLookup(CaseService& cases, Options opts);
  explicit CaseStatusLookup(CaseService& cases) : CaseStatusLookup(cases, Options{}) {}
  ~CaseStatusLookup();  // Stop()
  CaseStatusLookup(const CaseStatusLookup&) = delete;
  CaseStatusLookup& operator=(const CaseStatusLookup&) = delete;

  // Any thread; returns at once. `done` runs exactly once, with the outcome
  // (found + status + topic, not found, or error); request_id is left 0.
  // Found only when the case's phone ends in `phone_last4`: a wrong ending
  // is answered as an unknown case, so the answer is no oracle (R16, R22).
  void Lookup(const std::string& case_number, const std::string& phone_last4, Done done);
  // Answers what is queued with kError and joins the workers. Idempotent.
  void Stop();

  // The outcome for one number, on the calling thread (what workers run).
  CaseLookupResultEvent LookupNow(const std::string& case_number, const std::string& phone_last4);

 private:
  struct Request {
    std::string number;
    std::string phone_last4;
    Done done;
  };
  void Work() GOSLINE_EXCLUDES(mu_);

  CaseService& cases_;
  const Options opts_;
  Mutex mu_;
  CondVar cv_;
  std::deque<Request> pending_ GOSLINE_GUARDED_BY(mu_);
  bool stopping_ GOSLINE_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;  // made by the constructor, joined by the first Stop
};

}  // namespace gosline
