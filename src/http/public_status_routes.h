// The public status of the line (R3), no login: GET /api/v1/public/status.
// Open or closed now by the centres' hours and the holiday calendar, per
// topic its names, default agency, whether it is open, the estimated wait
// (from the contact centre; null until it reports), its hours, and what
// callers can settle by phone (topics marked phone_solvable and the IVR's
// typical answers); and the agencies by id and name (for the case forms).
// The web application renders the page (/status) from this JSON.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/clock.h"
#include "config/config.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kPublicStatusPath = "/api/v1/public/status";

// Estimated wait per topic id, filled in by the contact centre once it runs.
// Threads: Set from serve's thread, For from HTTP threads; mu_ guards fn_
// (copied out, called without the lock). nullopt (JSON null) while unset or unknown.
class EstimatedWaitSource {
 public:
  using Fn = std::function<std::optional<Duration>(const std::string& topic_id)>;
  void Set(Fn fn) {
    MutexLock lock(mu_);
    fn_ = std::move(fn);
  }
  std::optional<Duration> For(const std::string& topic_id) const {
    Fn fn;
    {
      MutexLock lock(mu_);
      fn = fn_;
    }
    return fn ? fn(topic_id) : std::nullopt;
  }

 private:
  mutable Mutex mu_;
  Fn fn_ GOSLINE_GUARDED_BY(mu_);
};

// The status document at `now` (pure over the config; the route adds the clock).
nlohmann::json BuildPublicStatus(const Config& config, Time now, const EstimatedWaitSource& waits);

// The config the page describes, asked for on every request, so an edit
// from the administration screen (hours, holidays, topics) shows at once.
using ConfigProvider = std::function<std::shared_ptr<const Config>()>;

// `clock` and `waits` must outlive the router.
Status AddPublicStatusRoutes(Router& router, ConfigProvider config, const Clock& clock,
                             const EstimatedWaitSource& waits);
// A fixed config (tests, tools); `config` must outlive the router too.
Status AddPublicStatusRoutes(Router& router, const Config& config, const Clock& clock,
                             const EstimatedWaitSource& waits);

// The JSON schema of the document ("PublicStatus"), for openapi.cc.
void AddPublicStatusSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
