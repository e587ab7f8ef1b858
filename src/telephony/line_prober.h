// Probes the line as a citizen reaches it (R4 availability): every interval
// a SIP OPTIONS to the line's public address (the SIP front in a cluster),
// a final 2xx within the timeout counts as up. Results go to a sink (the
// composition root stores them: storage/probe_store.h) and feed the monthly
// report (core/stats/availability.h).
//
// Why a few lines of SIP of its own instead of the node's Sofia-SIP stack:
// the probe must see the line from outside, over the network path callers
// use, and must not depend on this node's SIP thread being healthy (a
// probe that shares the stack it measures cannot see it hang).
//
// Threads: Start makes one thread that sleeps between probes; Stop (any
// other thread) wakes and joins it. mu_ guards stopping_ only.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "core/common/clock.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "core/stats/availability.h"

namespace gosline::telephony {

struct ProbeTarget {
  std::string user;   // "115"
  std::string host;   // address or name
  uint16_t port = 5060;
};
// "sip:115@10.0.0.1:5060" (user and port optional). InvalidArgument otherwise.
Result<ProbeTarget> ParseProbeTarget(const std::string& uri);

struct ProbeOptions {
  ProbeTarget target;
  std::string node;                                    // who probes, in the results
  std::chrono::milliseconds interval{std::chrono::seconds(60)};
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

// One probe now, on the caller's thread: the result (ok, "200 OK",
// "timeout", "503 Service Unavailable", "cannot resolve ...").
stats::ProbeResult ProbeOnce(const ProbeOptions& options, const Clock& clock);

class LineProber {
 public:
  using Sink = std::function<void(const stats::ProbeResult&)>;

  // `clock` must outlive the prober; the sink is called on the prober's thread.
  LineProber(ProbeOptions options, const Clock& clock, Sink sink);
  ~LineProber();  // Stop()
  LineProber(const LineProber&) = delete;
  LineProber& operator=(const LineProber&) = delete;

  void Start();
  void Stop() GOSLINE_EXCLUDES(mu_);

 private:
  void Run() GOSLINE_EXCLUDES(mu_);

  const ProbeOptions options_;
  const Clock& clock_;
  const Sink sink_;
  Mutex mu_;
  CondVar wake_;
  bool stopping_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gosline::telephony
