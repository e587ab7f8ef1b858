#include "http/auth_routes.h"

#include <algorithm>
#include <chrono>
#include <tuple>

#include <nlohmann/json.hpp>

#include "http/json_codec.h"
#include "security/qr_code.h"

namespace gosline::http {
namespace {

using nlohmann::json;

constexpr size_t kMaxField = 1024;

Result<json> JsonBody(const HttpRequest& req) {
  auto content_type = req.Header("Content-Type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return Status::InvalidArgument("Content-Type must be application/json", "Content-Type");
  }
  return ParseJsonObject(req.body);
}

// An optional string member of at most kMaxField bytes.
Result<std::string> StringField(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument("is required", name);
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument("must be a string", name);
  std::string value = it->get<std::string>();
  if (value.size() > kMaxField) return Status::InvalidArgument("is too long", name);
  return value;
}

std::string SessionCookieHeader(const std::string& token, int max_age_s) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/api/; Max-Age=" +
         std::to_string(max_age_s) + "; HttpOnly; Secure; SameSite=Strict";
}

json PrincipalJson(const security::Principal& p) {
  json out = {{"kind", p.kind == security::Principal::Kind::kUser ? "user" : "api_key"},
              {"name", p.name},
              {"display_name", p.display_name},
              {"role", p.role}};
  if (p.kind == security::Principal::Kind::kApiKey) {
    out["scopes"] = p.scopes.scopes();
  } else {
    out["session_expires_at"] = FormatIso8601(p.session_expires_at);
    json steps = json::array();
    if (p.must_change_password) steps.push_back("password");
    if (p.must_enrol_totp) steps.push_back("totp");
    out["setup_required"] = std::move(steps);
  }
  return out;
}

// The second factor belongs to people; integrations have keys.
std::optional<HttpResponse> RefuseApiKey(const security::Principal& who) {
  if (who.kind != security::Principal::Kind::kApiKey) return std::nullopt;
  return ErrorResponse(Status::PermissionDenied("API keys have no second factor"));
}

HttpResponse Login(security::StaffAuth& auth, const HttpRequest& req) {
  Result<json> body = JsonBody(req);
  if (!body.ok()) {
    return body.status().field() == "Content-Type"
               ? ErrorResponse(415, "unsupported_media_type", body.status().message())
               : ErrorResponse(body.status());
  }
  security::LoginRequest in;
  for (auto [name, out, required] :
       {std::tuple{"login", &in.login, true}, std::tuple{"password", &in.password, true},
        std::tuple{"totp", &in.totp, false}, std::tuple{"recovery_code", &in.recovery_code, false}}) {
    Result<std::string> v = StringField(*body, name, required);
    if (!v.ok()) return ErrorResponse(v.status());
    *out = std::move(v).value();
  }
  in.address = req.remote_address;
  Result<security::LoginResult> done = auth.Login(in);
  if (!done.ok()) return ErrorResponse(done.status());
  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
      done->principal.session_expires_at - done->issued_at);
  HttpResponse r = JsonResponse(200, json{{"token", done->token},
                                          {"token_type", "Bearer"},
                                          {"user", PrincipalJson(done->principal)}});
  r.headers.emplace_back("Set-Cookie",
                         SessionCookieHeader(done->token, static_cast<int>(std::max<int64_t>(
                                                              0, max_age.count()))));
  return r;
}

std::optional<std::string_view> PresentedToken(const HttpRequest& req) {
  if (auto header = req.Header("Authorization")) {
    if (header->substr(0, 7) == "Bearer ") return header->substr(7);
    return std::nullopt;
  }
  return SessionCookie(req);
}

HttpResponse Logout(security::StaffAuth& auth, const HttpRequest& req) {
  std::optional<std::string_view> token = PresentedToken(req);
  if (!token || token->substr(0, 4) == "gsk_") {
    return ErrorResponse(400, "bad_request", "API keys do not log out; revoke them instead");
  }
  Status st = auth.Logout(*token, req.remote_address);
  if (!st.ok()) return ErrorResponse(st);
  HttpResponse r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", SessionCookieHeader("", 0));
  return r;
}

HttpResponse ChangePassword(security::StaffAuth& auth, const SessionAuthorizer& authorizer,
                            const HttpRequest& req) {
  Result<security::Principal> who = authorizer.Authenticate(req);
  if (!who.ok()) return ErrorResponse(who.status());
  if (who->kind != security::Principal::Kind::kUser) {
    return ErrorResponse(Status::PermissionDenied("API keys have no password"));
  }
  Result<json> body = JsonBody(req);
  if (!body.ok()) return ErrorResponse(body.status());
  Result<std::string> current = StringField(*body, "current_password", true);
  if (!current.ok()) return ErrorResponse(current.status());
  Result<std::string> next = StringField(*body, "new_password", true);
  if (!next.ok()) return ErrorResponse(next.status());
  Status st = auth.ChangeOwnPassword(*who, *current, *next);
  if (!st.ok()) return ErrorResponse(st);
  HttpResponse r;
  r.status = 204;
  return r;
}

}  // namespace

Status AddAuthRoutes(Router& router, security::StaffAuth& auth) {
  const std::string base = "/api/v1/auth";
  // Handlers that need the whole principal (user id, expiry) look it up again.
  auto authorizer_ptr = std::make_shared<SessionAuthorizer>(auth);
  auto bind = BindTo(std::ref(auth));
  std::vector<Route> routes;
  routes.push_back({Method::kPost, base + "/login", Role::kPublic,
                    {.operation_id = "login",
                     .summary = "Sign in with password and TOTP (or a recovery code)",
                     .tag = "auth",
                     .request_schema = "LoginRequest",
                     .response_schema = "LoginResponse",
                     .response_headers = {"Set-Cookie"},
                     .errors = {400, 401, 415, 429}},
                    bind(&Login)});
  routes.push_back({Method::kPost, base + "/logout", Role::kAuthenticated,
                    {.operation_id = "logout",
                     .summary = "End this session",
                     .tag = "auth",
                     .success_status = 204,
                     .response_headers = {"Set-Cookie"},
                     .errors = {400}},
                    bind(&Logout)});
  routes.push_back({Method::kGet, base + "/me", Role::kAuthenticated,
                    {.operation_id = "getMe",
                     .summary = "Who is signed in, with role and session expiry",
                     .tag = "auth",
                     .response_schema = "Principal"},
                    [authorizer_ptr](const HttpRequest& req) {
                      const SessionAuthorizer& authorizer = *authorizer_ptr;
                      Result<security::Principal> who = authorizer.Authenticate(req);
                      if (!who.ok()) return ErrorResponse(who.status());
                      return JsonResponse(200, PrincipalJson(*who));
                    }});
  routes.push_back({Method::kPost, base + "/password", Role::kAuthenticated,
                    {.operation_id = "changePassword",
                     .summary = "Replace your own password (a temporary one at first sign-in)",
                     .tag = "auth",
                     .request_schema = "PasswordChange",
                     .success_status = 204,
                     .errors = {400, 415}},
                    [&auth, authorizer_ptr](const HttpRequest& req) {
                      return ChangePassword(auth, *authorizer_ptr, req);
                    }});
  routes.push_back({Method::kPost, base + "/totp/enrol", Role::kAuthenticated,
                    {.operation_id = "enrolTotp",
                     .summary = "Start a new TOTP enrolment: otpauth URI and QR code (SVG); "
                                "with an authenticator already enrolled, the current password "
                                "and a current code are required",
                     .tag = "auth",
                     .request_schema = "TotpReenrol",
                     .response_schema = "TotpEnrolment",
                     .errors = {400, 409, 415, 429}},
                    [&auth, authorizer_ptr](const HttpRequest& req) {
                      const SessionAuthorizer& authorizer = *authorizer_ptr;
                      Result<security::Principal> who = authorizer.Authenticate(req);
                      if (!who.ok()) return ErrorResponse(who.status());
                      if (auto refused = RefuseApiKey(*who)) return *refused;
                      // The proof is a body; a first enrolment may send none.
                      security::TotpReenrolProof proof;
                      if (!req.body.empty()) {
                        Result<json> body = JsonBody(req);
                        if (!body.ok()) return ErrorResponse(body.status());
                        Result<std::string> password = StringField(*body, "password", false);
                        if (!password.ok()) return ErrorResponse(password.status());
                        Result<std::string> code = StringField(*body, "totp", false);
                        if (!code.ok()) return ErrorResponse(code.status());
                        proof = {*password, *code};
                      }
                      Result<security::TotpEnrolment> e = auth.BeginTotpEnrolment(*who, proof);
                      if (!e.ok()) return ErrorResponse(e.status());
                      Result<security::QrCode> qr = security::QrCode::Encode(e->otpauth_uri);
                      if (!qr.ok()) return ErrorResponse(qr.status());
                      return JsonResponse(200, json{{"otpauth_uri", e->otpauth_uri},
                                                    {"qr_svg", qr->ToSvg()}});
                    }});
  routes.push_back({Method::kPost, base + "/totp/confirm", Role::kAuthenticated,
                    {.operation_id = "confirmTotp",
                     .summary = "Confirm the new TOTP secret with a code from it; a first "
                                "enrolment returns the recovery codes, once",
                     .tag = "auth",
                     .request_schema = "TotpConfirm",
                     .response_schema = "TotpConfirmed",
                     .errors = {400, 409, 415}},
                    [&auth, authorizer_ptr](const HttpRequest& req) {
                      const SessionAuthorizer& authorizer = *authorizer_ptr;
                      Result<security::Principal> who = authorizer.Authenticate(req);
                      if (!who.ok()) return ErrorResponse(who.status());
                      if (auto refused = RefuseApiKey(*who)) return *refused;
                      Result<json> body = JsonBody(req);
                      if (!body.ok()) return ErrorResponse(body.status());
                      Result<std::string> code = StringField(*body, "totp", true);
                      if (!code.ok()) return ErrorResponse(code.status());
                      Result<std::vector<std::string>> recovery =
                          auth.ConfirmTotpEnrolment(*who, *code);
                      if (!recovery.ok()) return ErrorResponse(recovery.status());
                      HttpResponse r = JsonResponse(200, json{{"recovery_codes", *recovery}});
                      r.headers.emplace_back("Cache-Control", "no-store");
                      return r;
                    }});
  return AddRoutes(router, std::move(routes));
}

}  // namespace gosline::http
