// The composition root of `gosline serve`: the one place that names concrete
// engines (SQLite stores, Sofia-SIP telephony, the Beast server) and wires
// them to the app services through their interfaces.
//
// Start() runs named steps in dependency order; each step logs what it
// refused to do and the start stops there (what was already started is
// stopped again by the destructor). Stop() runs the reverse order:
//
//   start                              stop
//   1. LoadConfiguration               6. retention timer
//   2. OpenStores (data key first)     5. HTTP (in-flight requests finish)
//   3. StartContactCentre              4. telephony (BYE; records written),
//   4. StartTelephony                     then the recording sealer drains
//   5. OpenSecurity                    3. contact centre (queued events
//   6. OpenAdministration                 handled; outcomes written)
//   7. InstallConfigAppliers           2. stores close with their owners
//   8. BuildRoutes
//   9. StartHttp
//  10. StartRetention
//
// Calls are stopped before HTTP and the centre because their ends are what
// the centre records; the centre stops after every part that posts to it.
// docs/design.md tells the threads each part runs and the lock order.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/serve_options.h"
#include "core/common/status.h"

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

 private:
  struct Parts;  // everything started, in start order (served_line.cc)
  explicit ServedLine(const ServeOptions& options);

  Status LoadConfiguration();
  Status OpenStores();
  Status StartContactCentre();
  Status StartTelephony();
  Status OpenSecurity();
  Status OpenAdministration();
  void InstallConfigAppliers();
  Status BuildRoutes();
  Status StartHttp();
  void StartRetention();

  const ServeOptions options_;
  std::unique_ptr<Parts> parts_;
  bool stopped_ = false;
};

}  // namespace gosline::cli
