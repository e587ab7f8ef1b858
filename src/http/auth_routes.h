// Sign-in for staff (R19): login with password and TOTP (or a recovery
// code) gives a bearer token and an HttpOnly, Secure, SameSite=Strict
// cookie; logout ends the session; "me" says who is signed in; TOTP
// re-enrolment gives an otpauth:// URI and its QR code as SVG.
#pragma once

#include "core/common/status.h"
#include "http/router.h"
#include "http/session_authorizer.h"
#include "security/staff_auth.h"

namespace gosline::http {

// `auth` must outlive the router.
Status AddAuthRoutes(Router& router, security::StaffAuth& auth);

}  // namespace gosline::http
