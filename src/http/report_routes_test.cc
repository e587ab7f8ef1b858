// The report end to end: call records and outcomes written by the real
// stores into SQLite, read by SqliteCallReportReader, served by the real
// server on 127.0.0.1 to a supervisor with a real session.
#include "http/report_routes.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http/http_server.h"
#include "http/live_hub_test_support.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_call_report_reader.h"

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kDay = *ParseIso8601("2026-12-01T06:00:00Z");

class ReportRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string db = (staff_.dir() / "calls.db").string();
    auto records = SqliteCallRecordStore::Open(db);
    ASSERT_TRUE(records.ok()) << records.status().ToString();
    auto outcomes = SqliteCallOutcomeStore::Open(db);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    // Four calls to the tax queue and one IVR-only call; +7900 calls twice.
    AddCall(**records, **outcomes, "c1", "+79000000001", kDay, "taxes", "q_tax", "answered",
            seconds(10), minutes(3), minutes(1));
    AddCall(**records, **outcomes, "c2", "+79000000002", kDay + minutes(5), "taxes", "q_tax",
            "answered", seconds(45), minutes(5), std::nullopt);
    AddCall(**records, **outcomes, "c3", "+79000000003", kDay + minutes(10), "taxes", "q_tax",
            "abandoned", seconds(60), std::nullopt, std::nullopt);
    AddCall(**records, **outcomes, "c4", "+79000000001", kDay + hours(2), "taxes", "q_tax",
            "answered", seconds(5), minutes(2), std::nullopt);
    AddCall(**records, **outcomes, "c5", "+79000000004", kDay + hours(3), "status", "", "",
            std::nullopt, std::nullopt, std::nullopt);
    ASSERT_TRUE((*records)->Close().ok());

    auto reader = SqliteCallReportReader::Open(db);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_ = std::move(reader).value();
    router_ = staff_.NewRouter();
    ASSERT_TRUE(AddReportRoutes(*router_, [this](Time from, Time to) {
                  return reader_->Read(from, to);
                }).ok());
    HttpConfig c;
    c.port = 0;
    c.threads = 1;
    server_ = std::make_unique<HttpServer>(c, *router_);
    ASSERT_TRUE(server_->Start().ok());
  }

  void AddCall(SqliteCallRecordStore& records, SqliteCallOutcomeStore& outcomes,
               const std::string& id, const std::string& caller, Time started,
               const std::string& topic, const std::string& queue, const std::string& outcome,
               std::optional<Duration> wait, std::optional<Duration> talk,
               std::optional<Duration> wrap) {
    CallRecordRow row;
    row.call_id = id;
    row.from = caller;
    row.caller_e164 = caller;
    row.dialled = "115";
    row.region = "77";
    row.started = started;
    row.ended = started + minutes(10);
    row.end_reason = "caller_hangup";
    row.sip_status = 200;
    row.topic = topic;
    row.queue = queue;
    ASSERT_TRUE(records.Append(row).ok());
    ASSERT_TRUE(records.Flush().ok());
    if (outcome.empty()) return;
    CallOutcome o;
    o.call_id = id;
    o.queue = queue;
    o.outcome = outcome;
    o.wait = wait;
    o.talk = talk;
    o.wrap_up = wrap;
    auto applied = outcomes.Apply(o);
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    ASSERT_TRUE(*applied);
  }

  // GET over a real connection; the status and the parsed body.
  std::pair<int, json> Get(const std::string& target, const std::string& authorization) {
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
    bhttp::request<bhttp::empty_body> req(bhttp::verb::get, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!authorization.empty()) req.set(bhttp::field::authorization, authorization);
    bhttp::write(s, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res);
    return {static_cast<int>(res.result_int()), json::parse(res.body(), nullptr, false)};
  }

  testing::StaffFixture staff_;
  std::unique_ptr<SqliteCallReportReader> reader_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(ReportRoutesTest, SupervisorGetsTheSummaryFromTheCallRecords) {
  auto [status, body] = Get(std::string(kReportSummaryPath) +
                                "?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&group_by=queue",
                            staff_.BearerFor("supervisor"));
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["groups"].size(), 2u) << body.dump();
  const json& ivr = body["groups"][0];
  EXPECT_EQ(ivr["key"], "(none)");
  EXPECT_EQ(ivr["calls"], 1);
  EXPECT_EQ(ivr["offered"], 0);
  const json& tax = body["groups"][1];
  EXPECT_EQ(tax["key"], "q_tax");
  EXPECT_EQ(tax["offered"], 4);
  EXPECT_EQ(tax["answered"], 3);
  EXPECT_EQ(tax["abandoned"], 1);
  EXPECT_DOUBLE_EQ(tax["service_level"].get<double>(), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(tax["avg_wait_seconds"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(tax["avg_handle_seconds"].get<double>(), (240.0 + 300.0 + 120.0) / 3.0);
  EXPECT_EQ(tax["repeat_contacts"], 1);  // c4: the same number two hours later
  // c1 was followed by c4 within 7 days: not resolved on the first contact.
  EXPECT_DOUBLE_EQ(tax["first_contact_resolution"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(body["total"]["calls"], 5);
  EXPECT_EQ(body["group_by"], "queue");
}

TEST_F(ReportRoutesTest, GroupsByHourAndRefusesBadInputAndOtherRoles) {
  auto [status, body] = Get(std::string(kReportSummaryPath) +
                                "?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&group_by=hour",
                            staff_.BearerFor("supervisor"));
  ASSERT_EQ(status, 200);
  ASSERT_EQ(body["groups"].size(), 3u);
  EXPECT_EQ(body["groups"][0]["key"], "2026-12-01T09:00+03:00");
  EXPECT_EQ(body["groups"][0]["calls"], 3);

  const std::string sup = staff_.BearerFor("supervisor");
  for (const char* bad : {"?from=2026-12-01&to=2026-11-01", "?from=yesterday&to=2026-12-02",
                          "?to=2026-12-02", "?from=2026-12-01&to=2026-12-02&group_by=week",
                          "?from=2026-12-01&from=2026-12-01&to=2026-12-02",
                          "?from=2026-12-01&to=2026-12-02&x=1"}) {
    auto [s, b] = Get(std::string(kReportSummaryPath) + bad, sup);
    EXPECT_EQ(s, 400) << bad;
    EXPECT_TRUE(b.contains("error")) << bad << " " << b.dump();
  }
  const std::string q = std::string(kReportSummaryPath) + "?from=2026-12-01&to=2026-12-02";
  EXPECT_EQ(Get(q, staff_.BearerFor("operator")).first, 403);
  EXPECT_EQ(Get(q, "").first, 401);
}

TEST_F(ReportRoutesTest, ReaderRefusesARangeBeyondItsLimit) {
  auto rows = reader_->Read(kDay - hours(1), kDay + hours(24), 2);
  EXPECT_EQ(rows.status().code(), Status::Code::kResourceExhausted);
  auto ok = reader_->Read(kDay - hours(1), kDay + hours(24), 10);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 5u);
  EXPECT_EQ((*ok)[0].caller, "+79000000001");  // no key at rest: the number is its own key
  EXPECT_EQ((*ok)[0].outcome, "answered");
}

}  // namespace
}  // namespace gosline::http

#include "http/live_hub.h"
#include "http/openapi.h"
#include "http/public_status_routes.h"

namespace gosline::http {
namespace {

TEST(LiveStatusReportOpenApiTest, RoutesAreDocumentedWithTheirRoles) {
  Router router;
  Config config;
  ManualClock clock(kDay);
  EstimatedWaitSource waits;
  ASSERT_TRUE(AddLiveRoute(router).ok());
  ASSERT_TRUE(AddPublicStatusRoutes(router, config, clock, waits).ok());
  ASSERT_TRUE(AddReportRoutes(router, [](Time, Time) {
                return Result<std::vector<stats::ReportCall>>(std::vector<stats::ReportCall>{});
              }).ok());
  const json doc = BuildOpenApiDocument(router, "t");
  EXPECT_EQ(doc["paths"][kLivePath]["get"]["x-required-role"], "operator");
  EXPECT_EQ(doc["paths"][kPublicStatusPath]["get"]["x-required-role"], "public");
  const json& report = doc["paths"][kReportSummaryPath]["get"];
  EXPECT_EQ(report["x-required-role"], "supervisor");
  EXPECT_EQ(report["x-api-scope"], "reports:read");
  int query = 0;
  for (const json& p : report["parameters"]) query += p["in"] == "query";
  EXPECT_EQ(query, 3);
}

}  // namespace
}  // namespace gosline::http
