// The composition root of `gosline serve`: the one place that names concrete
// engines (SQLite stores, Sofia-SIP telephony, the Beast server) and wires
// them to the app services through their interfaces.
//
// Start() runs named steps in dependency order; each step logs what it
// refused to do and the start stops there (what was already started is
// stopped again by the destructor). Stop() runs the reverse order:
//
//   start                              stop
//   1. LoadConfiguration               a. line configuration follower,
//                                         line prober, retention timer
//   2. OpenStores (data key first)     b. contact centre: no more rings or
//   3. StartContactCentre                 hang-ups are posted to telephony
//   4. StartTelephony                  c. telephony (BYE; records written;
//   5. OpenSecurity                       recordings were sealed as made)
//   6. OpenAdministration              d. HTTP (in-flight requests finish)
//   7. InstallConfigAppliers,          e. contact centre again: what
//      FollowLineConfiguration
//   8. BuildRoutes                        telephony reported while stopping
//   9. StartHttp                          gets its outcome
//  10. StartRetention                  f. stores close with their owners
//  11. StartProbing (cluster.probe_target)
//
// Whatever posts to a part stops before that part: the centre posts to
// telephony, telephony reports to the centre, so the centre stops taking
// decisions first and finishes its queue last.
// docs/design.md tells the threads each part runs and the lock order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/serve_options.h"
#include "config/config.h"
#include "core/common/status.h"
#include "http/metrics_routes.h"
#include "storage/call_record_store.h"

namespace gosline::cli {

class ServedLine {
 public:
  // Starts every part; a Status naming the step that failed otherwise (the
  // details are already logged).
  static Result<std::unique_ptr<ServedLine>> Start(const ServeOptions& options);
  ~ServedLine();  // Stop()
  ServedLine(const ServedLine&) = delete;
  ServedLine& operator=(const ServedLine&) = delete;

  // Idempotent; in the reverse order of the start.
  void Stop();

  // R4, a node leaving the line without cutting calls (serve_command.cc
  // drains on SIGTERM): new calls are refused (503 with Retry-After to
  // INVITE and to the SIP front's OPTIONS probes), the calls in progress
  // go on; Stop ends those still up. The serve thread.
  void BeginDrain();
  // Callers' calls on this node now (what a drain waits for).
  size_t CallsInProgress() const;
  // For the service manager's watchdog (one asker thread): false when the
  // SIP or media loop did not run what was posted to it at the last ask.
  bool LoopsAnswered();
  // As loaded at the start (with the command line's overrides).
  const Config& config() const;

 private:
  struct Parts;  // everything started, in start order (served_line.cc)
  explicit ServedLine(const ServeOptions& options);

  Status LoadConfiguration();
  Status OpenStores();
  Status OpenSqliteStores();    // storage.driver: sqlite
  Status OpenPostgresStores();  // storage.driver: postgres
  Result<std::unique_ptr<CallRecordStore>> OpenPhoneCallRecords();
  Status StartContactCentre();
  Status StartSharedQueue();
  Status StartTelephony();
  Status OpenSecurity();
  Status OpenAdministration();
  void InstallConfigAppliers();
  // storage.driver postgres: takes the line's newest configuration, then
  // follows it (admin/shared_config_follower.h).
  void FollowLineConfiguration();
  Status BuildRoutes();
  std::vector<http::MetricsWriter> MetricsWriters();  // after the router is made
  Status StartHttp();
  void StartRetention();
  Status StartProbing();

  const ServeOptions options_;
  std::unique_ptr<Parts> parts_;
  bool stopped_ = false;
};

}  // namespace gosline::cli
