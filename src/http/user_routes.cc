#include "http/user_routes.h"

#include <nlohmann/json.hpp>

#include "http/json_body.h"

namespace gosline::http {
namespace {

using nlohmann::json;

constexpr size_t kMaxField = 1024;

std::string PathParam(const HttpRequest& req, const std::string& name) {
  auto it = req.path_params.find(name);
  return it == req.path_params.end() ? std::string() : it->second;
}

// The audit actor: who the authorizer established.
std::string ActorOf(const HttpRequest& req) {
  return req.principal.empty() ? "anonymous" : req.principal;
}

std::optional<HttpResponse> OnlyFields(const json& body, std::initializer_list<const char*> known) {
  for (const auto& item : body.items()) {
    bool ok = false;
    for (const char* k : known) ok |= item.key() == k;
    if (!ok) return ErrorResponse(400, "invalid_argument", "unknown field", item.key());
  }
  return std::nullopt;
}

// An optional string member; the 400 that says what is wrong with it.
std::optional<HttpResponse> StringField(const json& body, const char* name, bool required,
                                        std::optional<std::string>& out) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return ErrorResponse(400, "invalid_argument", "is required", name);
    return std::nullopt;
  }
  if (!it->is_string()) return ErrorResponse(400, "invalid_argument", "must be a string", name);
  out = it->get<std::string>();
  if (out->size() > kMaxField) return ErrorResponse(400, "invalid_argument", "is too long", name);
  return std::nullopt;
}

json AccountJson(const StaffAccount& a) {
  return {{"login", a.login},
          {"display_name", a.display_name},
          {"role", a.role},
          {"disabled", a.disabled},
          {"totp_enrolled", a.totp_enrolled},
          {"failed_logins", a.failed_logins},
          {"locked", a.locked_until.has_value()},
          {"locked_until", a.locked_until ? json(FormatIso8601(*a.locked_until)) : json(nullptr)}};
}

// Secrets must not stay in a browser or proxy cache.
HttpResponse NoStore(HttpResponse r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse ListUsers(StaffAdmin& admin, const HttpRequest&) {
  Result<std::vector<StaffAccount>> all = admin.List();
  if (!all.ok()) return ErrorResponse(all.status());
  json items = json::array();
  for (const StaffAccount& a : *all) items.push_back(AccountJson(a));
  return JsonResponse(200, {{"users", std::move(items)}});
}

HttpResponse GetUser(StaffAdmin& admin, const HttpRequest& req) {
  Result<StaffAccount> a = admin.Get(PathParam(req, "login"));
  if (!a.ok()) return ErrorResponse(a.status());
  return JsonResponse(200, AccountJson(*a));
}

HttpResponse CreateUser(StaffAdmin& admin, const HttpRequest& req) {
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  if (auto refused = OnlyFields(body, {"login", "display_name", "role", "password"})) {
    return *refused;
  }
  std::optional<std::string> login, name, role, password;
  if (auto refused = StringField(body, "login", true, login)) return *refused;
  if (auto refused = StringField(body, "display_name", false, name)) return *refused;
  if (auto refused = StringField(body, "role", true, role)) return *refused;
  if (auto refused = StringField(body, "password", false, password)) return *refused;
  Result<IssuedTemporaryPassword> made = admin.Create(
      {*login, name.value_or(""), *role, password.value_or("")}, ActorOf(req));
  if (!made.ok()) return ErrorResponse(made.status());
  Result<StaffAccount> account = admin.Get(*login);
  if (!account.ok()) return ErrorResponse(account.status());
  json out = {{"user", AccountJson(*account)}};
  if (!made->temporary_password.empty()) out["temporary_password"] = made->temporary_password;
  HttpResponse r = JsonResponse(201, out);
  r.headers.emplace_back("Location", "/api/v1/users/" + *login);
  return NoStore(std::move(r));
}

HttpResponse UpdateUser(StaffAdmin& admin, const HttpRequest& req) {
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  if (auto refused = OnlyFields(body, {"display_name", "role", "disabled"})) return *refused;
  StaffAccountPatch patch;
  if (auto refused = StringField(body, "display_name", false, patch.display_name)) return *refused;
  if (auto refused = StringField(body, "role", false, patch.role)) return *refused;
  if (auto it = body.find("disabled"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return ErrorResponse(400, "invalid_argument", "must be true or false", "disabled");
    patch.disabled = it->get<bool>();
  }
  Result<StaffAccount> a = admin.Update(PathParam(req, "login"), patch, ActorOf(req));
  if (!a.ok()) return ErrorResponse(a.status());
  return JsonResponse(200, AccountJson(*a));
}

HttpResponse ResetTotp(StaffAdmin& admin, const HttpRequest& req) {
  const std::string login = PathParam(req, "login");
  if (Status st = admin.ResetTotp(login, ActorOf(req)); !st.ok()) return ErrorResponse(st);
  Result<StaffAccount> a = admin.Get(login);
  if (!a.ok()) return ErrorResponse(a.status());
  return JsonResponse(200, AccountJson(*a));
}

HttpResponse ResetPassword(StaffAdmin& admin, const HttpRequest& req) {
  const std::string login = PathParam(req, "login");
  Result<std::string> password = admin.ResetPassword(login, ActorOf(req));
  if (!password.ok()) return ErrorResponse(password.status());
  return NoStore(JsonResponse(200, {{"login", login}, {"temporary_password", *password}}));
}

HttpResponse Unlock(StaffAdmin& admin, const HttpRequest& req) {
  Result<StaffAccount> a = admin.Unlock(PathParam(req, "login"), ActorOf(req));
  if (!a.ok()) return ErrorResponse(a.status());
  return JsonResponse(200, AccountJson(*a));
}

}  // namespace

Status AddUserRoutes(Router& router, StaffAdmin& admin) {
  auto bind = BindTo(std::ref(admin));
  const std::string all = "/api/v1/users";
  const std::string one = all + "/{login}";
  // No API-key scope opens these: accounts are administered by a person.
  std::vector<Route> routes;
  routes.push_back({Method::kGet, all, Role::kSecurityAdministrator,
                    {.operation_id = "listUsers",
                     .summary = "Staff accounts: role, disabled, second factor, failed logins, lock",
                     .tag = "users",
                     .response_schema = "UserList"},
                    bind(&ListUsers)});
  routes.push_back({Method::kGet, one, Role::kSecurityAdministrator,
                    {.operation_id = "getUser",
                     .summary = "One staff account",
                     .tag = "users",
                     .response_schema = "User",
                     .errors = {404}},
                    bind(&GetUser)});
  routes.push_back({Method::kPost, all, Role::kSecurityAdministrator,
                    {.operation_id = "createUser",
                     .summary = "Create an account with a temporary password (made and returned "
                                "once when none is given); its owner sets their own password and "
                                "enrols their authenticator at first sign-in",
                     .tag = "users",
                     .request_schema = "UserCreate",
                     .success_status = 201,
                     .response_schema = "UserCreated",
                     .response_headers = {"Location", "Cache-Control"},
                     .errors = {400, 409, 415}},
                    bind(&CreateUser)});
  routes.push_back({Method::kPatch, one, Role::kSecurityAdministrator,
                    {.operation_id = "updateUser",
                     .summary = "Change display name, role or disabled (a new role or disabling "
                                "ends the user's sessions); 409 for your own account or the last "
                                "security administrator",
                     .tag = "users",
                     .request_schema = "UserPatch",
                     .response_schema = "User",
                     .errors = {400, 404, 409, 415}},
                    bind(&UpdateUser)});
  routes.push_back({Method::kPost, one + "/totp-reset", Role::kSecurityAdministrator,
                    {.operation_id = "resetUserTotp",
                     .summary = "Remove the authenticator and recovery codes; the user's "
                                "sessions end and they enrol a new one at next sign-in",
                     .tag = "users",
                     .response_schema = "User",
                     .errors = {404, 409}},
                    bind(&ResetTotp)});
  routes.push_back({Method::kPost, one + "/password", Role::kSecurityAdministrator,
                    {.operation_id = "resetUserPassword",
                     .summary = "A new temporary password (returned once), replaced by the user "
                                "at next sign-in; the user's sessions end",
                     .tag = "users",
                     .response_schema = "TemporaryPassword",
                     .response_headers = {"Cache-Control"},
                     .errors = {404}},
                    bind(&ResetPassword)});
  routes.push_back({Method::kPost, one + "/unlock", Role::kSecurityAdministrator,
                    {.operation_id = "unlockUser",
                     .summary = "Clear the login lockout and the failed-login count",
                     .tag = "users",
                     .response_schema = "User",
                     .errors = {404}},
                    bind(&Unlock)});
  return AddRoutes(router, std::move(routes));
}

void AddUserSchemas(json& s) {
  const json str = {{"type", "string"}};
  const json roles = {{"type", "string"},
                      {"enum", {"operator", "supervisor", "administrator", "security_administrator",
                                "compliance_controller"}}};
  s["User"] = {{"type", "object"},
               {"required", {"login", "display_name", "role", "disabled", "totp_enrolled",
                             "failed_logins", "locked", "locked_until"}},
               {"properties",
                {{"login", str},
                 {"display_name", str},
                 {"role", roles},
                 {"disabled", {{"type", "boolean"}}},
                 {"totp_enrolled", {{"type", "boolean"}}},
                 {"failed_logins", {{"type", "integer"}}},
                 {"locked", {{"type", "boolean"}}},
                 {"locked_until", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}}}}};
  s["UserList"] = {{"type", "object"},
                   {"required", {"users"}},
                   {"properties",
                    {{"users", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/User"}}}}}}}};
  s["UserCreate"] = {
      {"type", "object"},
      {"required", {"login", "role"}},
      {"additionalProperties", false},
      {"properties",
       {{"login", {{"type", "string"}, {"description", "lowercase latin letters, digits, . _ -"}}},
        {"display_name", str},
        {"role", roles},
        {"password", {{"type", "string"},
                      {"description", "temporary, at least 12 characters; omitted: one is made"}}}}}};
  s["UserPatch"] = {{"type", "object"},
                    {"additionalProperties", false},
                    {"minProperties", 1},
                    {"properties",
                     {{"display_name", str}, {"role", roles}, {"disabled", {{"type", "boolean"}}}}}};
  s["UserCreated"] = {{"type", "object"},
                      {"required", {"user"}},
                      {"properties",
                       {{"user", {{"$ref", "#/components/schemas/User"}}},
                        {"temporary_password",
                         {{"type", "string"}, {"description", "only when the server chose it"}}}}}};
  s["TemporaryPassword"] = {{"type", "object"},
                            {"required", {"login", "temporary_password"}},
                            {"properties", {{"login", str}, {"temporary_password", str}}}};
}

}  // namespace gosline::http
