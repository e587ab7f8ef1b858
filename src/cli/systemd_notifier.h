// Tells the service manager how the node stands (systemd's Type=notify,
// sd_notify(3)): READY=1 once SIP and HTTP listen, STOPPING=1 when a drain
// begins, WATCHDOG=1 at half the unit's WatchdogSec while the node's loops
// answer. Not under systemd (no NOTIFY_SOCKET) every call does nothing.
//
// Why our own few lines and not libsystemd's sd_notify(): the protocol is
// one datagram of "KEY=VALUE" lines to the unix socket NOTIFY_SOCKET names
// (a path, or "@name" in the abstract namespace), documented as a stable
// interface; speaking it directly keeps the binary free of a library it
// would link only for that, on nodes run in containers or tests as well.
//
// Threads: Notify from any thread (the socket is made once and only sent
// on). The watchdog runs on a thread of its own, started by StartWatchdog
// and joined by the destructor; mu_ guards its stop flag.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"

namespace gosline::cli {

class SystemdNotifier {
 public:
  // From NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (the watchdog is
  // ours only when WATCHDOG_PID is unset or names this process).
  static std::unique_ptr<SystemdNotifier> FromEnvironment();
  // `socket`: as NOTIFY_SOCKET spells it; empty: notifications off.
  // `watchdog`: the unit's WatchdogSec; zero: no watchdog.
  SystemdNotifier(std::string socket, std::chrono::microseconds watchdog);
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  bool enabled() const { return fd_ >= 0; }
  std::chrono::microseconds watchdog() const { return watchdog_; }

  // One datagram, e.g. "READY=1\nSTATUS=serving". Ok when off.
  Status Notify(std::string_view state);
  Status Ready(std::string_view status_text);
  Status Stopping(std::string_view status_text);

  // Every half watchdog interval: WATCHDOG=1 when `alive()` (called on the
  // watchdog thread) says the node works; nothing when it does not, so the
  // manager restarts a node that hangs. No-op without a watchdog; once.
  void StartWatchdog(std::function<bool()> alive);
  // Joins the watchdog thread (before what `alive` reads goes away); the
  // destructor does it too. Idempotent.
  void StopWatchdog() GOSLINE_EXCLUDES(mu_);

 private:
  void RunWatchdog(std::function<bool()> alive) GOSLINE_EXCLUDES(mu_);

  const std::string socket_;
  const std::chrono::microseconds watchdog_;
  int fd_ = -1;  // set by the constructor, closed by the destructor
  Mutex mu_;
  CondVar wake_;
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread watchdog_thread_;  // the owner's thread starts and joins it
};

}  // namespace gosline::cli
