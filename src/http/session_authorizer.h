// The server's Authorizer (R19, R20): a session token (Authorization: Bearer
// or the gosline_session cookie) or an integration API key
// (Authorization: Bearer gsk_...), checked against the route by
// access_policy.h. 401 without valid credentials, 403 with the wrong role.
#pragma once

#include <string_view>

#include "http/router.h"
#include "security/staff_auth.h"

namespace gosline::http {

inline constexpr std::string_view kSessionCookie = "gosline_session";

// The session token from the gosline_session cookie, if any.
std::optional<std::string_view> SessionCookie(const HttpRequest& request);

class SessionAuthorizer final : public Authorizer {
 public:
  explicit SessionAuthorizer(security::StaffAuth& auth) : auth_(auth) {}

  Status Authorize(const HttpRequest& request, Role required) const override;
  Status AuthorizeRoute(HttpRequest& request, const Route& route) const override;
  std::string Describe() const override {
    return "sessions (bearer or cookie) and API keys, role per route";
  }
  bool Enforces() const override { return true; }

  // Who is calling, or Unauthenticated; public routes are not special here.
  Result<security::Principal> Authenticate(const HttpRequest& request) const;

 private:
  security::StaffAuth& auth_;
};

}  // namespace gosline::http
