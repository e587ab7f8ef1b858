#include "http/audit_hook.h"

#include <spdlog/spdlog.h>

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

Router::AuditHook MakeAuditHook(security::AuditLog& log, const Clock& clock) {
  return [&log, &clock](const HttpRequest& request, const Route& route, int status) {
    std::optional<security::AuditEntry> entry = AuditEntryFor(request, route, status);
    if (!entry) return;
    Result<security::AuditRecord> r = log.Append(*entry, clock.Now());
    if (!r.ok()) {
      spdlog::error("audit: cannot record {} {} (request {}): {}", entry->action, entry->object,
                    request.request_id, r.status().ToString());
    }
  };
}

}  // namespace gosline::http
