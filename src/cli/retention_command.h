// Retention (R23) from the command line:
//   gosline retention run [--now 2026-03-01T00:00:00Z]
// runs the retention job once (at the given time, for checks and replays;
// default now) on the configured database with security.retention's
// periods, audits each deletion (counts and ids) and prints the counts.
// serve runs the same RunRetention hourly.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <thread>
#include <ostream>
#include <string>

#include "app/retention_job.h"
#include "cli/cli_context.h"
#include "config/config.h"
#include "core/common/thread_annotations.h"
#include "core/common/time.h"

namespace gosline::cli {

// One run on config.storage.path at `now`; audit records go to the
// configuration's audit log, by `actor` ("system:retention", "cli:<user>").
Result<RetentionReport> RunRetention(const Config& config, Time now, const std::string& actor,
                                     std::ostream& err);

std::string DescribeRetention(const RetentionReport& r);

// Removes a recording's file for retention and erasure (R23, R24): only a
// recording's name inside `recordings_dir` (security/recording_location.h),
// never a path a row holds as it is (PermissionDenied); NotFound when it
// is not there.
std::function<Status(const std::string& file_name)> RecordingFileRemover(std::string recordings_dir);

// 0: done (counts printed); 1: an error; 2: bad --now.
int RunRetentionCommand(const CliContext& ctx, const std::string& now_text, std::ostream& out,
                        std::ostream& err);

void AddRetentionCommand(CLI::App& app);

// serve's timer: RunRetention at start and then every `interval` on its own
// thread, by "system:retention", until destroyed. Each run's outcome goes to
// `report` (a log line). Stops promptly: the wait is on a condition.
//
// Threads: the owner constructs and destroys; the timer's own thread (made
// by the constructor, joined by the destructor) runs the job and calls
// `report`. mu_ guards only stop_, and is not held while the job runs.
class RetentionTimer {
 public:
  using ReportFn = std::function<void(const Result<RetentionReport>&)>;
  RetentionTimer(Config config, std::chrono::minutes interval, ReportFn report);
  ~RetentionTimer();
  RetentionTimer(const RetentionTimer&) = delete;
  RetentionTimer& operator=(const RetentionTimer&) = delete;

 private:
  void Loop() GOSLINE_EXCLUDES(mu_);

  const Config config_;
  const std::chrono::minutes interval_;
  ReportFn report_;
  Mutex mu_;
  CondVar cv_;  // stop_ was set
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gosline::cli
