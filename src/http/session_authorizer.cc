#include "http/session_authorizer.h"

#include "http/access_policy.h"

namespace gosline::http {

std::optional<std::string_view> SessionCookie(const HttpRequest& request) {
  auto header = request.Header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie) {
      return pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

Result<security::Principal> SessionAuthorizer::Authenticate(const HttpRequest& request) const {
  if (auto header = request.Header("Authorization")) {
    std::string_view value = *header;
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() <= kBearer.size() || value.substr(0, kBearer.size()) != kBearer) {
      return Status::Unauthenticated("Authorization must be \"Bearer <token or API key>\"");
    }
    value.remove_prefix(kBearer.size());
    if (value.substr(0, 4) == "gsk_") return auth_.AuthenticateApiKey(value);
    return auth_.AuthenticateSession(value);
  }
  if (auto cookie = SessionCookie(request)) return auth_.AuthenticateSession(*cookie);
  return Status::Unauthenticated(
      "sign in: POST /api/v1/auth/login, then send Authorization: Bearer <token>");
}

Status SessionAuthorizer::Authorize(const HttpRequest& request, Role required) const {
  Route route;
  route.method = request.method;
  route.role = required;
  HttpRequest copy = request;
  return AuthorizeRoute(copy, route);
}

namespace {

// What a first-sign-in session may do (R19): say who it is, end itself, set
// the person's own password and enrol their authenticator.
bool IsFirstSignInStep(const Route& route) {
  for (std::string_view allowed :
       {"/api/v1/auth/me", "/api/v1/auth/logout", "/api/v1/auth/password",
        "/api/v1/auth/totp/enrol", "/api/v1/auth/totp/confirm"}) {
    if (route.pattern == allowed) return true;
  }
  return false;
}

}  // namespace

Status SessionAuthorizer::AuthorizeRoute(HttpRequest& request, const Route& route) const {
  // Public routes ignore credentials, so a stale cookie cannot block a login.
  if (route.role == Role::kPublic) return Status::Ok();
  Result<security::Principal> who = Authenticate(request);
  if (!who.ok()) {
    if (who.status().code() == Status::Code::kUnauthenticated) return who.status();
    return Status::Unavailable("cannot check credentials now");
  }
  if (who->SetupRequired() && !IsFirstSignInStep(route)) {
    request.principal = who->Actor();
    request.principal_role = who->role;
    return Status::PermissionDenied(
        std::string("first sign-in: ") +
            (who->must_change_password ? "set your own password" : "") +
            (who->must_change_password && who->must_enrol_totp ? " and " : "") +
            (who->must_enrol_totp ? "enrol your authenticator" : "") + " first");
  }
  const bool allowed = who->kind == security::Principal::Kind::kApiKey
                           ? ApiKeyMayUse(who->scopes, route)
                           : StaffMayUse(who->role, route);
  if (!allowed) {
    request.principal = who->Actor();
    request.principal_role = who->role;
    return Status::PermissionDenied(
        who->kind == security::Principal::Kind::kApiKey
            ? "this API key lacks the scope " + (route.scope.empty() ? "(none opens this route)"
                                                                      : route.scope)
            : "the role " + who->role + " may not do this");
  }
  request.principal = who->Actor();
  request.principal_role = who->role;
  return Status::Ok();
}

}  // namespace gosline::http
