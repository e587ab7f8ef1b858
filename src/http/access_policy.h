// Who may call which route (R20, least privilege). A route names the least
// role it needs and, optionally, the API-key scope that opens it to
// integrations. The roles are not one ladder: each staff role gets only what
// its work needs.
//
//   route role              staff roles allowed                       API keys
//   public                  everyone, signed in or not                 yes
//   authenticated           every staff role                           yes
//   operator                operator, supervisor; compliance_controller  scope
//                           on read-only (GET) routes, for oversight
//   supervisor              supervisor                                 scope
//   administrator           administrator                              scope
//   security_administrator  security_administrator                     scope
//   compliance_controller   compliance_controller                      scope
//   report_reader           supervisor, compliance_controller          scope
//                           (figures without personal data, R18)
//   integration             none                                       scope
//
// "scope": an API key passes when the route names a scope and the key has it.
// Administrators (configuration) and security administrators (accounts, keys)
// do not read citizens' cases: their work does not need personal data.
// Compliance controllers read cases with the phone number masked
// (case_routes.cc): they check how cases were handled, they do not call back.
#pragma once

#include <string_view>

#include "core/security/api_scope.h"
#include "http/router.h"

namespace gosline::http {

// Whether a member of staff with `staff_role` ("operator", ...) may call `route`.
bool StaffMayUse(std::string_view staff_role, const Route& route);
// Whether an API key with `scopes` may call `route`.
bool ApiKeyMayUse(const security::ScopeSet& scopes, const Route& route);

}  // namespace gosline::http
