// The router's audit hook (R21): every read of a case (personal data), every
// change, and every refused request to a protected route becomes a record in
// the audit log, with who, which case and the outcome. Query values are not
// recorded (a phone number is personal data); only which parameters were used.
#pragma once

#include "core/common/clock.h"
#include "http/router.h"
#include "security/audit_log.h"

namespace gosline::http {

// `log` and `clock` must outlive the router.
Router::AuditHook MakeAuditHook(security::AuditLog& log, const Clock& clock);

// The record one request gives; nullopt when nothing needs recording (sign-in
// routes record themselves). Separate from the hook for tests.
std::optional<security::AuditEntry> AuditEntryFor(const HttpRequest& request, const Route& route,
                                                  int status);

}  // namespace gosline::http
