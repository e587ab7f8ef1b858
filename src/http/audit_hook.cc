#include "http/audit_hook.h"

#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/common/thread_annotations.h"
#include "core/security/refusal_tally.h"

namespace gosline::http {

std::optional<security::AuditEntry> AuditEntryFor(const HttpRequest& request, const Route& route,
                                                  int status) {
  const bool refused = status == 401 || status == 403;
  const bool cases = route.doc.tag == "cases";
  const bool read = request.method == Method::kGet || request.method == Method::kHead;
  // Contact centre: every state change and transfer, and the screen
  // pop (it shows the caller's number).
  const bool centre = route.doc.tag == "contact-centre" &&
                      (!read || route.doc.operation_id == "getOperatorCall");
  if (!refused && !cases && !centre) return std::nullopt;

  security::AuditEntry e;
  e.actor = request.principal.empty() ? "anonymous" : request.principal;
  if (refused) {
    e.action = "access.denied";
  } else if (centre) {
    e.action = read ? "call.read" : route.doc.operation_id == "transferCall" ? "call.transfer"
                                                                           : "operator.change";
  } else if (route.doc.operation_id == "getCaseRecording") {
    e.action = "recording.play";  // R21: every playback of a recording
  } else {
    e.action = read ? "case.read" : "case.change";
  }
  auto number = request.path_params.find("number");
  auto id = request.path_params.find("id");
  if (number != request.path_params.end()) {
    e.object = "case:" + number->second.substr(0, 64);
  } else if (centre && id != request.path_params.end()) {
    e.object = (route.doc.operation_id == "transferCall" ? "call:" : "operator:") + id->second.substr(0, 64);
  } else {
    e.object = route.pattern;
  }
  e.detail = route.doc.operation_id + " " + std::string(ToString(request.method)) + " status " +
             std::to_string(status) + "; address " + request.remote_address + "; request " +
             request.request_id;
  if (!request.query.empty()) {
    e.detail += "; query";
    for (const auto& [name, value] : request.query) e.detail += " " + name.substr(0, 32);
  }
  return e;
}

namespace {

// Threads: the hook runs on every HTTP I/O thread; mu_ guards the tally
// only, and is let go before the audit log is written.
class RefusalAuditor {
 public:
  RefusalAuditor(security::AuditLog& log, const Clock& clock) : log_(log), clock_(clock) {}
  ~RefusalAuditor() {
    std::vector<security::RefusalCount> left;
    {
      MutexLock lock(mu_);
      left = tally_.TakeAll();
    }
    Write(left);
  }
  RefusalAuditor(const RefusalAuditor&) = delete;
  RefusalAuditor& operator=(const RefusalAuditor&) = delete;

  void Count(const security::AuditEntry& e, const HttpRequest& request) GOSLINE_EXCLUDES(mu_) {
    const std::string address = request.remote_address.empty() ? "-" : request.remote_address;
    MutexLock lock(mu_);
    tally_.Add({address, e.actor, e.object, e.detail}, clock_.Now());
  }

  void WriteFinished() GOSLINE_EXCLUDES(mu_) {
    std::vector<security::RefusalCount> done;
    {
      MutexLock lock(mu_);
      done = tally_.TakeFinished(clock_.Now());
    }
    Write(done);
  }

 private:
  void Write(const std::vector<security::RefusalCount>& counts) {
    for (const security::RefusalCount& c : counts) {
      security::AuditEntry e;
      e.actor = c.first.actor;
      e.action = "access.denied";
      e.object = c.first.object;
      e.detail = std::to_string(c.count) + (c.count == 1 ? " refused request" : " refused requests") +
                 " from address " + c.first.address + " in the minute from " +
                 FormatIso8601(c.minute) + "; the first: " + c.first.detail;
      Result<security::AuditRecord> r = log_.Append(e, clock_.Now());
      if (!r.ok()) {
        spdlog::error("audit: cannot record {} refusals from {}: {}", c.count, c.first.address,
                      r.status().ToString());
      }
    }
  }

  security::AuditLog& log_;
  const Clock& clock_;
  Mutex mu_;
  security::RefusalTally tally_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace

Router::AuditHook MakeAuditHook(security::AuditLog& log, const Clock& clock) {
  auto refusals = std::make_shared<RefusalAuditor>(log, clock);
  return [&log, &clock, refusals](const HttpRequest& request, const Route& route, int status) {
    refusals->WriteFinished();
    std::optional<security::AuditEntry> entry = AuditEntryFor(request, route, status);
    if (!entry) return;
    if (status == 401 || status == 403) return refusals->Count(*entry, request);
    Result<security::AuditRecord> r = log.Append(*entry, clock.Now());
    if (!r.ok()) {
      spdlog::error("audit: cannot record {} {} (request {}): {}", entry->action, entry->object,
                    request.request_id, r.status().ToString());
    }
  };
}

}  // namespace gosline::http
