#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace gosline::http {
namespace {

using nlohmann::json;

Handler Echo(std::string name) {
  return [name](const HttpRequest& req) {
    json params = json::object();
    for (const auto& [k, v] : req.path_params) params[k] = v;
    return JsonResponse(200, json{{"route", name}, {"params", params}});
  };
}

Route MakeRoute(Method m, std::string pattern, Handler h, Role role = Role::kPublic) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.role = role;
  r.doc.operation_id = "op";
  r.handler = std::move(h);
  return r;
}

HttpRequest Req(Method m, std::string path) {
  HttpRequest req;
  req.method = m;
  req.method_name = std::string(ToString(m));
  req.path = std::move(path);
  return req;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.Add(MakeRoute(Method::kGet, "/api/v1/cases", Echo("search"))).ok());
    ASSERT_TRUE(router_.Add(MakeRoute(Method::kPost, "/api/v1/cases", Echo("create"))).ok());
    ASSERT_TRUE(router_.Add(MakeRoute(Method::kGet, "/api/v1/cases/{number}", Echo("get"))).ok());
    ASSERT_TRUE(
        router_.Add(MakeRoute(Method::kPatch, "/api/v1/cases/{number}", Echo("patch"))).ok());
    ASSERT_TRUE(router_
                    .Add(MakeRoute(Method::kPost, "/api/v1/cases/{number}/notes/{kind}",
                                   Echo("notes")))
                    .ok());
  }

  json Call(Method m, std::string path, int expect_status) {
    HttpRequest req = Req(m, std::move(path));
    HttpResponse res = router_.Dispatch(req);
    EXPECT_EQ(res.status, expect_status) << res.body;
    EXPECT_EQ(res.content_type, "application/json");
    return json::parse(res.body);
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPathsByMethod) {
  EXPECT_EQ(Call(Method::kGet, "/api/v1/cases", 200)["route"], "search");
  EXPECT_EQ(Call(Method::kPost, "/api/v1/cases", 200)["route"], "create");
}

TEST_F(RouterTest, ExtractsAndDecodesPathParameters) {
  json r = Call(Method::kGet, "/api/v1/cases/0000%2000042", 200);
  EXPECT_EQ(r["route"], "get");
  EXPECT_EQ(r["params"]["number"], "0000 00042");

  json two = Call(Method::kPost, "/api/v1/cases/123/notes/call", 200);
  EXPECT_EQ(two["params"]["number"], "123");
  EXPECT_EQ(two["params"]["kind"], "call");
}

TEST_F(RouterTest, EncodedSlashStaysInsideOneParameter) {
  json r = Call(Method::kGet, "/api/v1/cases/a%2Fb", 200);
  EXPECT_EQ(r["params"]["number"], "a/b");
}

TEST_F(RouterTest, UnknownPathIs404WithJsonError) {
  for (const char* path : {"/", "/api/v1/case", "/api/v1/cases/", "/api/v1/cases/1/2",
                           "/api/v1//cases", "/api/v1/cases/%zz", "/api/v1/cases/%00"}) {
    json r = Call(Method::kGet, path, 404);
    EXPECT_EQ(r["error"]["code"], "not_found") << path;
  }
}

TEST(RouterRootTest, TheRootIsARouteOfItsOwn) {
  Router router;
  ASSERT_TRUE(router.Add(MakeRoute(Method::kGet, "/", Echo("root"))).ok());
  for (const auto& [path, status] : {std::pair{"/", 200}, {"/x", 404}, {"//", 404}}) {
    HttpRequest req = Req(Method::kGet, path);
    EXPECT_EQ(router.Dispatch(req).status, status) << path;
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpRequest req = Req(Method::kDelete, "/api/v1/cases/42");
  HttpResponse res = router_.Dispatch(req);
  EXPECT_EQ(res.status, 405);
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Allow");
  EXPECT_EQ(res.headers[0].second, "GET, PATCH");
  EXPECT_EQ(json::parse(res.body)["error"]["code"], "method_not_allowed");
}

TEST_F(RouterTest, MatchReportsAllowedMethodsWithoutCalling) {
  RouteMatch m = router_.Match(Method::kPut, "/api/v1/cases");
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<Method>{Method::kGet, Method::kPost}));

  RouteMatch ok = router_.Match(Method::kPatch, "/api/v1/cases/77");
  ASSERT_NE(ok.route, nullptr);
  EXPECT_EQ(ok.route->pattern, "/api/v1/cases/{number}");
  EXPECT_EQ(ok.params.at("number"), "77");
}

TEST_F(RouterTest, RefusesMalformedAndDuplicateRoutes) {
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "no-slash", Echo("x"))).ok());
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "/a//b", Echo("x"))).ok());
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "/a/{}", Echo("x"))).ok());
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "/a/{b", Echo("x"))).ok());
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "/a/x{b}", Echo("x"))).ok());
  EXPECT_FALSE(router_.Add(MakeRoute(Method::kGet, "/a", nullptr)).ok());
  Status dup = router_.Add(MakeRoute(Method::kGet, "/api/v1/cases", Echo("again")));
  EXPECT_EQ(dup.code(), Status::Code::kAlreadyExists);
}

TEST_F(RouterTest, HandlerExceptionBecomes500WithoutDetails) {
  ASSERT_TRUE(router_
                  .Add(MakeRoute(Method::kGet, "/boom",
                                 [](const HttpRequest&) -> HttpResponse {
                                   throw std::runtime_error("secret sql text");
                                 }))
                  .ok());
  HttpRequest req = Req(Method::kGet, "/boom");
  HttpResponse res = router_.Dispatch(req);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("secret"), std::string::npos);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], "internal");
}

// An authorizer that admits only public routes, as the security issue's will
// for a caller without credentials: the router must ask it for every route.
class PublicOnlyAuthorizer final : public Authorizer {
 public:
  Status Authorize(const HttpRequest&, Role required) const override {
    if (required == Role::kPublic) return Status::Ok();
    return Status::Unauthenticated("credentials required for role " +
                                   std::string(ToString(required)));
  }
  std::string Describe() const override { return "public only"; }
  bool Enforces() const override { return true; }
};

TEST(RouterAuthorizationTest, EveryRouteIsCheckedAgainstItsRole) {
  Router router(std::make_shared<PublicOnlyAuthorizer>());
  ASSERT_TRUE(router.Add(MakeRoute(Method::kGet, "/healthz", Echo("health"))).ok());
  ASSERT_TRUE(
      router.Add(MakeRoute(Method::kGet, "/cases", Echo("cases"), Role::kOperator)).ok());

  HttpRequest health = Req(Method::kGet, "/healthz");
  EXPECT_EQ(router.Dispatch(health).status, 200);
  HttpRequest cases = Req(Method::kGet, "/cases");
  HttpResponse denied = router.Dispatch(cases);
  EXPECT_EQ(denied.status, 401);
  EXPECT_NE(denied.body.find("operator"), std::string::npos);
}

TEST(RouterAuthorizationTest, DefaultIsOpenAndSaysSo) {
  Router router;
  EXPECT_FALSE(router.authorizer().Enforces());
  EXPECT_NE(router.authorizer().Describe().find("authentication disabled"), std::string::npos);
}

TEST(HttpMessageTest, StatusCodesMapToHttp) {
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status::Conflict("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::FailedPrecondition("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::AlreadyExists("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::Unauthenticated("x")), 401);
  EXPECT_EQ(HttpStatusFor(Status::PermissionDenied("x")), 403);
  EXPECT_EQ(HttpStatusFor(Status::Unavailable("x")), 503);
  EXPECT_EQ(HttpStatusFor(Status::IoError("x")), 500);
}

TEST(HttpMessageTest, ErrorBodyCarriesCodeMessageAndField) {
  json body = json::parse(ErrorResponse(Status::InvalidArgument("must be a string", "phone")).body);
  EXPECT_EQ(body, json::parse(R"({"error":{"code":"invalid_argument",
                                          "message":"must be a string","field":"phone"}})"));
  json internal = json::parse(ErrorResponse(Status::IoError("disk /var/x failed")).body);
  EXPECT_EQ(internal["error"]["message"], "internal server error");
  EXPECT_FALSE(internal["error"].contains("field"));
}

TEST(HttpMessageTest, ParsesQueryStrings) {
  Result<QueryParams> q = ParseQuery("phone=%2B7+916&limit=5&&flag&phone=2");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, (QueryParams{{"phone", "+7 916"}, {"limit", "5"}, {"flag", ""}, {"phone", "2"}}));
  EXPECT_FALSE(ParseQuery("a=%4").ok());
  EXPECT_FALSE(ParseQuery("a=%00").ok());
  EXPECT_FALSE(ParseQuery("a=%G0").ok());
}

TEST(HttpMessageTest, HeadersAreCaseInsensitive) {
  HttpRequest req;
  req.headers["content-type"] = "application/json";
  EXPECT_EQ(req.Header("Content-Type").value_or(""), "application/json");
  EXPECT_FALSE(req.Header("If-Match").has_value());
}

struct Counter {
  int calls = 0;
};

HttpResponse CountByReference(Counter& counter, const HttpRequest&) {
  return JsonResponse(200, json{{"calls", ++counter.calls}});
}
HttpResponse CountByPointer(Counter* counter, const HttpRequest&) {
  return JsonResponse(200, json{{"calls", ++counter->calls}});
}
HttpResponse ReadShared(const Counter& counter, const HttpRequest&) {
  return JsonResponse(200, json{{"calls", counter.calls}});
}

int Calls(const HttpResponse& r) { return json::parse(r.body).at("calls").get<int>(); }

TEST(BindToTest, HandlersReachTheContextTheyWereBoundTo) {
  Counter counter;
  Handler by_ref = BindTo(std::ref(counter))(&CountByReference);
  Handler by_ptr = BindTo(&counter)(&CountByPointer);
  EXPECT_EQ(Calls(by_ref(HttpRequest{})), 1);
  EXPECT_EQ(Calls(by_ptr(HttpRequest{})), 2);  // the same counter, not a copy
  EXPECT_EQ(counter.calls, 2);
}

TEST(BindToTest, HandlersShareOwnershipOfASharedContext) {
  Handler read;
  {
    auto shared = std::make_shared<const Counter>(Counter{7});
    read = BindTo(shared)(&ReadShared);
  }
  EXPECT_EQ(Calls(read(HttpRequest{})), 7);  // still alive through the handler
}

TEST(AddRoutesTest, AddsATableInOrderAndStopsAtTheFirstRefusal) {
  Router router;
  std::vector<Route> table;
  table.push_back(MakeRoute(Method::kGet, "/a", Echo("a")));
  table.push_back(MakeRoute(Method::kGet, "/a", Echo("again")));  // duplicate
  table.push_back(MakeRoute(Method::kGet, "/b", Echo("b")));
  EXPECT_EQ(AddRoutes(router, std::move(table)).code(), Status::Code::kAlreadyExists);
  ASSERT_EQ(router.routes().size(), 1u);
  EXPECT_EQ(router.routes()[0].pattern, "/a");

  std::vector<Route> good;
  good.push_back(MakeRoute(Method::kGet, "/b", Echo("b")));
  good.push_back(MakeRoute(Method::kPost, "/b", Echo("b-post")));
  ASSERT_TRUE(AddRoutes(router, std::move(good)).ok());
  EXPECT_EQ(router.routes().size(), 3u);
}

}  // namespace
}  // namespace gosline::http
