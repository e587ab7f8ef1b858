// Keeps this node's configuration with the line's (several nodes on one
// database, R4): on its own thread it reads the newest stored version every
// poll interval and hands a newer one to ConfigEditor::ApplyShared, the path a
// local edit takes (checked, applied by the running parts, written). A
// version that this node refuses is logged and counted, never half-applied;
// a database that cannot be read is logged once per outage and tried again.
//
// Threads: PollOnce on the caller's thread before Start; afterwards only the
// follower's own thread polls. mu_ guards stop_; the counters are atomic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "app/admin/config_editor.h"
#include "core/common/thread_annotations.h"
#include "storage/config_version_store.h"

namespace gosline::admin {

class SharedConfigFollower {
 public:
  SharedConfigFollower(ConfigEditor& editor, ConfigVersionStore& store,
                       std::chrono::milliseconds interval);
  ~SharedConfigFollower();  // Stop
  SharedConfigFollower(const SharedConfigFollower&) = delete;
  SharedConfigFollower& operator=(const SharedConfigFollower&) = delete;

  // One look at the newest version. `at_start` says so in the log when it
  // replaces what this node's file said.
  void PollOnce(bool at_start = false);
  void Start();
  void Stop();

  // Versions this node refused (invalid here, an applier refused).
  int64_t refused() const { return refused_.load(); }
  // Versions taken from the line that changed this node's configuration.
  int64_t taken() const { return taken_.load(); }

 private:
  void Run();

  ConfigEditor& editor_;
  ConfigVersionStore& store_;
  const std::chrono::milliseconds interval_;
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> taken_{0};
  bool store_failing_ = false;  // follower's thread (or the caller's before Start)
  Mutex mu_;
  CondVar wake_;
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;  // started by Start, joined by Stop
};

}  // namespace gosline::admin
