#include "http/router.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

namespace gosline::http {
namespace {

// "/a/b/c" -> {"a","b","c"}, "/" -> {} (the root); false when the path does
// not start with '/'.
bool SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (path.empty()) return true;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kPublic: return "public";
    case Role::kOperator: return "operator";
    case Role::kSupervisor: return "supervisor";
    case Role::kAdministrator: return "administrator";
    case Role::kSecurityAdministrator: return "security_administrator";
    case Role::kComplianceController: return "compliance_controller";
    case Role::kReportReader: return "report_reader";
    case Role::kIntegration: return "integration";
    case Role::kAuthenticated: return "authenticated";
  }
  return "unknown";
}

Status Authorizer::AuthorizeRoute(HttpRequest& request, const Route& route) const {
  return Authorize(request, route.role);
}

Router::Router(std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(authorizer ? std::move(authorizer) : std::make_shared<OpenAuthorizer>()) {}

Status Router::Add(Route route) {
  std::vector<std::string_view> parts;
  if (!SplitPath(route.pattern, parts)) {
    return Status::InvalidArgument("route pattern must start with '/': " + route.pattern);
  }
  Compiled compiled;
  for (std::string_view part : parts) {
    if (part.empty()) return Status::InvalidArgument("empty segment in " + route.pattern);
    bool is_param = part.front() == '{';
    if (is_param) {
      if (part.size() < 3 || part.back() != '}') {
        return Status::InvalidArgument("malformed parameter in " + route.pattern);
      }
      part = part.substr(1, part.size() - 2);
    } else if (part.find_first_of("{}") != std::string_view::npos) {
      return Status::InvalidArgument("malformed segment in " + route.pattern);
    }
    compiled.segments.push_back({std::string(part), is_param});
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      return Status::AlreadyExists("duplicate route " + std::string(ToString(route.method)) + " " +
                                   route.pattern);
    }
  }
  if (!route.handler) return Status::InvalidArgument("route without handler: " + route.pattern);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
  return Status::Ok();
}

Status AddRoutes(Router& router, std::vector<Route> routes) {
  for (Route& r : routes) GOSLINE_RETURN_IF_ERROR(router.Add(std::move(r)));
  return Status::Ok();
}

RouteMatch Router::Match(Method method, std::string_view raw_path) const {
  RouteMatch match;
  std::vector<std::string_view> raw;
  if (!SplitPath(raw_path, raw)) return match;
  std::vector<std::string> decoded;
  decoded.reserve(raw.size());
  for (std::string_view part : raw) {
    auto d = PercentDecode(part);
    if (!d) return match;  // a broken escape names no resource
    decoded.push_back(std::move(*d));
  }
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Compiled& c = compiled_[i];
    if (c.segments.size() != decoded.size()) continue;
    PathParams params;
    bool ok = true;
    for (size_t s = 0; s < decoded.size() && ok; ++s) {
      const Segment& seg = c.segments[s];
      if (seg.is_param) {
        ok = !decoded[s].empty();
        if (ok) params[seg.text] = decoded[s];
      } else {
        ok = seg.text == decoded[s];
      }
    }
    if (!ok) continue;
    match.path_known = true;
    match.allowed.push_back(routes_[i].method);
    if (routes_[i].method == method && match.route == nullptr) {
      match.route = &routes_[i];
      match.params = std::move(params);
    }
  }
  return match;
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  if (!observer_) {
    const Route* ignored = nullptr;
    return DispatchMatched(request, ignored);
  }
  const auto start = std::chrono::steady_clock::now();
  const Route* route = nullptr;
  HttpResponse response = DispatchMatched(request, route);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  observer_(request, route ? std::string_view(route->pattern) : std::string_view(),
            response.status, took.count());
  return response;
}

HttpResponse Router::DispatchMatched(HttpRequest& request, const Route*& matched) const {
  RouteMatch match = Match(request.method, request.path);
  if (!match.path_known) {
    return ErrorResponse(404, "not_found", "no such resource");
  }
  if (match.route == nullptr) {
    std::string allow;
    for (Method m : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += ToString(m);
    }
    std::string name =
        request.method_name.empty() ? std::string(ToString(request.method)) : request.method_name;
    HttpResponse r = ErrorResponse(405, "method_not_allowed",
                                   "method " + name + " is not allowed here; allowed: " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  request.path_params = std::move(match.params);
  const Route& route = *match.route;
  matched = &route;
  Status auth = authorizer_->AuthorizeRoute(request, route);
  if (!auth.ok()) {
    HttpResponse refused = ErrorResponse(auth);
    if (refused.status == 401) refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (audit_hook_ && route.role != Role::kPublic) audit_hook_(request, route, refused.status);
    return refused;
  }
  HttpResponse response = Run(route, request);
  if (audit_hook_ && route.role != Role::kPublic) audit_hook_(request, route, response.status);
  return response;
}

HttpResponse Router::Run(const Route& route, HttpRequest& request) const {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("http: handler {} failed: {} (request {})", route.doc.operation_id,
                  e.what(), request.request_id);
  } catch (...) {
    spdlog::error("http: handler {} failed with a non-standard exception (request {})",
                  route.doc.operation_id, request.request_id);
  }
  return ErrorResponse(Status::Internal("handler failed"));
}

}  // namespace gosline::http
