// Staff accounts over HTTP for the security administrator (R19,
// R20): list and read accounts, create one (its TOTP enrolment and, when no
// password is given, a temporary password come back once), change display
// name, role or disabled, reset the second factor or the password, clear a
// login lockout. The logic and the audit records are in app/staff_admin.h;
// responses that carry a secret are marked Cache-Control: no-store.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "app/staff_admin.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// `admin` must outlive the router.
Status AddUserRoutes(Router& router, StaffAdmin& admin);

// The JSON schemas of these routes, for openapi.cc.
void AddUserSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
