// The router's audit hook (R21): every read of a case (personal data) and
// every change becomes a record in the audit log, with who, which case and
// the outcome. Query values are not recorded (a phone number is personal
// data); only which parameters were used.
//
// Refused requests to protected routes (401, 403) are counted instead of
// written one by one (core/security/refusal_tally.h): one "access.denied"
// record per client address and minute, with the count and the minute's
// first refusal. An unauthenticated client can then not make the audit log
// (a synchronous, group-committed append) the bottleneck of the server. A
// finished minute is written by the next request that reaches the hook, and
// whatever is still counted when the hook is destroyed (with the router).
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
