// Routes declared as data: method, path pattern, the role a caller needs, the
// OpenAPI description and the handler. The route table is the one source for
// dispatching, authorisation and the OpenAPI document (openapi.h), so the
// three cannot drift apart.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "http/http_message.h"

namespace gosline::http {

// R20: every route names the least role that may call it.
enum class Role {
  kPublic,
  kOperator,
  kSupervisor,
  kAdministrator,
  kSecurityAdministrator,
  kComplianceController,
  kReportReader,   // supervisors and compliance controllers: anonymous historical reports
  kIntegration,
  kAuthenticated,  // any signed-in member of staff or API key (logout, "who am I")
};
std::string_view ToString(Role role);  // "public", "operator", ...

struct Route;

// Decides whether a request may use a route: SessionAuthorizer
// (session_authorizer.h) in the server, OpenAuthorizer in tests of other parts.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // ok, or kUnauthenticated (401) / kPermissionDenied (403).
  virtual Status Authorize(const HttpRequest& request, Role required) const = 0;
  // What the router calls: the whole route (role and API-key scope); may
  // record the caller in request.principal. By default, Authorize(role).
  virtual Status AuthorizeRoute(HttpRequest& request, const Route& route) const;
  // One line for the startup log.
  virtual std::string Describe() const = 0;
  // False while nothing is checked, so the server warns loudly at startup.
  virtual bool Enforces() const = 0;
};

class OpenAuthorizer final : public Authorizer {
 public:
  Status Authorize(const HttpRequest&, Role) const override { return Status::Ok(); }
  std::string Describe() const override {
    return "authentication disabled: every route is open (OpenAuthorizer)";
  }
  bool Enforces() const override { return false; }
};

// OpenAPI description of one query parameter.
struct QueryParamDoc {
  std::string name;
  std::string type = "string";      // string | integer
  std::string format;               // "date-time", "int32", ""
  std::string description;
  std::vector<std::string> enum_values;
  bool required = false;
};

// What openapi.cc needs besides the method and the pattern.
struct RouteDoc {
  std::string operation_id;         // "getCase"
  std::string summary;
  std::string tag;                  // "cases", "health", "meta"
  std::string request_schema;       // components/schemas name; "" = no body
  int success_status = 200;
  std::string response_schema;      // components/schemas name
  std::vector<QueryParamDoc> query;
  std::vector<std::string> request_headers;   // documented headers it reads: "If-Match"
  std::vector<std::string> response_headers;  // "Location", "ETag"
  std::vector<int> errors;          // documented error statuses: 400, 404, 409
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;              // "/api/v1/cases/{number}"
  Role role = Role::kPublic;
  RouteDoc doc;
  Handler handler;
  // The API-key scope that opens this route to integrations ("cases:read");
  // empty: no API key may call it (see access_policy.h).
  std::string scope;
};

// The result of looking a path up, without calling anything.
struct RouteMatch {
  const Route* route = nullptr;     // set when path and method match
  PathParams params;
  bool path_known = false;          // some route has this path
  std::vector<Method> allowed;      // the methods of the routes with this path
};

class Router {
 public:
  explicit Router(std::shared_ptr<const Authorizer> authorizer =
                      std::make_shared<OpenAuthorizer>());
  // Handlers may hold a reference to the router (the OpenAPI route does).
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Fails on a malformed pattern or a duplicate method + pattern.
  Status Add(Route route);

  RouteMatch Match(Method method, std::string_view raw_path) const;

  // Matches, authorises, runs the handler. Never throws: unknown path -> 404,
  // wrong method -> 405 with Allow, a handler exception -> 500.
  HttpResponse Dispatch(HttpRequest& request) const;

  const std::vector<Route>& routes() const { return routes_; }
  const Authorizer& authorizer() const { return *authorizer_; }

  // Called after every request to a non-public route, allowed or refused
  // (R21: every access to personal data is audited), with the final status.
  using AuditHook = std::function<void(const HttpRequest&, const Route&, int status)>;
  void SetAuditHook(AuditHook hook) { audit_hook_ = std::move(hook); }

  // Called after every request with the matched route's pattern ("" when no
  // route matched), the final status and the seconds Dispatch took (for
  // monitoring: request_metrics.h). Set before the server starts.
  using RequestObserver =
      std::function<void(const HttpRequest&, std::string_view pattern, int status, double seconds)>;
  void SetRequestObserver(RequestObserver observer) { observer_ = std::move(observer); }

 private:
  struct Segment {
    std::string text;
    bool is_param = false;
  };
  struct Compiled {
    std::vector<Segment> segments;
  };

  HttpResponse Run(const Route& route, HttpRequest& request) const;
  // Dispatch without the observer; `matched` is set to the route it ran or refused.
  HttpResponse DispatchMatched(HttpRequest& request, const Route*& matched) const;

  std::shared_ptr<const Authorizer> authorizer_;
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;  // parallel to routes_
  AuditHook audit_hook_;
  RequestObserver observer_;
};

// A route file's table goes in as one: in order, stopping at the first route
// the router refuses.
Status AddRoutes(Router& router, std::vector<Route> routes);

namespace route_binding {
template <typename T>
T& Arg(const std::shared_ptr<T>& shared) { return *shared; }
template <typename T>
T Arg(T plain) { return plain; }  // a pointer or a std::reference_wrapper
}  // namespace route_binding

// Binds a route file's handler functions to what they work on, so a table
// names plain functions: with `auto bind = BindTo(context);`, bind(&GetCase)
// is the Handler that calls GetCase(context, request). `context` is copied
// into every handler: a pointer, std::ref(object) (which must outlive the
// router), or a shared_ptr the handlers then share (GetCase(*context, request)).
template <typename Context>
auto BindTo(Context context) {
  return [context](auto fn) -> Handler {
    return [context, fn](const HttpRequest& request) {
      return fn(route_binding::Arg(context), request);
    };
  };
}

}  // namespace gosline::http
