// R13, R18: the interval report end to end: calls written by the real
// stores into SQLite, rolled up by SqliteReportRollupStore, served by the
// real server on 127.0.0.1 to staff with real sessions, as JSON and CSV.
#include "http/interval_report_routes.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http/csv_cells.h"
#include "http/http_server.h"
#include "http/live_hub_test_support.h"
#include "http/openapi.h"
#include "storage/sqlite/sqlite_call_outcome_store.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_report_rollup_store.h"

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 09:00 Moscow time on 1 December.
const Time kMorning = *ParseIso8601("2026-12-01T06:00:00Z");

struct Reply {
  int status = 0;
  std::string content_type, disposition, body;
  json Json() const { return json::parse(body, nullptr, false); }
};

class IntervalReportRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (staff_.dir() / "calls.db").string();
    records_ = std::move(SqliteCallRecordStore::Open(db_)).value();
    outcomes_ = std::move(SqliteCallOutcomeStore::Open(db_)).value();
    rollups_ = std::move(SqliteReportRollupStore::Open(db_, {})).value();
    router_ = staff_.NewRouter();
    ASSERT_TRUE(AddIntervalReportRoutes(*router_, {.store = rollups_.get()}).ok());
    ASSERT_TRUE(router_->Add(OpenApiRoute()).ok());
    HttpConfig c;
    c.port = 0;
    c.threads = 1;
    server_ = std::make_unique<HttpServer>(c, *router_);
    ASSERT_TRUE(server_->Start().ok());
  }

  Route OpenApiRoute() {
    Route r;
    r.pattern = "/api/v1/openapi.json";
    r.doc.operation_id = "getOpenApi";
    r.handler = [this](const HttpRequest&) { return JsonResponse(200, BuildOpenApiDocument(*router_, "t")); };
    return r;
  }

  void AddCall(const std::string& id, const std::string& caller, Time started,
               const std::string& queue, const std::string& outcome, std::optional<Duration> wait,
               const std::string& op = "") {
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
    row.topic = queue.empty() ? "status" : "taxes";
    row.queue = queue;
    row.ivr_end = queue.empty() ? "completed" : "queued";
    ASSERT_TRUE(records_->Append(row).ok());
    ASSERT_TRUE(records_->Flush().ok());
    if (outcome.empty()) return;
    CallOutcome o;
    o.call_id = id;
    o.queue = queue;
    o.outcome = outcome;
    o.operator_id = op;
    o.wait = wait;
    if (outcome == "answered") o.talk = minutes(4);
    ASSERT_TRUE(*outcomes_->Apply(o));
  }

  void Morning() {
    AddCall("c1", "+79000000001", kMorning, "q_tax", "answered", seconds(10), "op-1");
    AddCall("c2", "+79000000002", kMorning + minutes(5), "q_tax", "answered", seconds(45), "op-2");
    AddCall("c3", "+79000000003", kMorning + minutes(10), "q_tax", "abandoned", seconds(60));
    AddCall("c4", "+79000000005", kMorning + minutes(12), "q_tax", "abandoned", seconds(3));
    AddCall("c5", "+79000000001", kMorning + hours(2), "=cmd|' /C calc'!A0", "answered",
            seconds(5), "op-1");
    AddCall("c6", "+79000000004", kMorning + hours(3), "", "", std::nullopt);
  }

  Reply Get(const std::string& target, const std::string& authorization) {
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
    return {static_cast<int>(res.result_int()), std::string(res[bhttp::field::content_type]),
            std::string(res[bhttp::field::content_disposition]), res.body()};
  }

  testing::StaffFixture staff_;
  std::string db_;
  std::unique_ptr<SqliteCallRecordStore> records_;
  std::unique_ptr<SqliteCallOutcomeStore> outcomes_;
  std::unique_ptr<SqliteReportRollupStore> rollups_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(IntervalReportRoutesTest, SupervisorSeesCallsEndedJustBeforeTheRequest) {
  Morning();
  const Reply r = Get(std::string(kIntervalReportPath) +
                          "?from=2026-11-30T21:00:00Z&to=2026-12-01T21:00:00Z&by=hour&dimension=queue",
                      staff_.BearerFor("supervisor"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.Json();
  ASSERT_EQ(body["over_time"].size(), 3u) << body.dump();
  const json& nine = body["over_time"][0];
  EXPECT_EQ(nine["start_local"], "2026-12-01T09:00+03:00");
  EXPECT_EQ(nine["offered"], 4);
  EXPECT_EQ(nine["answered"], 2);
  EXPECT_EQ(nine["abandoned"], 1);
  EXPECT_EQ(nine["short_abandoned"], 1);
  EXPECT_EQ(nine["answered_within_threshold"], 1);
  EXPECT_DOUBLE_EQ(nine["service_level_answered"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(nine["service_level_offered"].get<double>(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(nine["asa_seconds"].get<double>(), 27.5);
  EXPECT_DOUBLE_EQ(nine["aht_seconds"].get<double>(), 240.0);
  EXPECT_EQ(nine["fcr_eligible"], 2);
  EXPECT_EQ(nine["fcr_resolved"], 1);  // +7900...01 called about taxes again at 11:00
  EXPECT_EQ(body["over_time"][2]["ivr_contained"], 1);
  EXPECT_EQ(body["total"]["calls"], 6);
  EXPECT_EQ(body["total"]["repeat_contacts"], 1);
  ASSERT_EQ(body["by_key"].size(), 3u);
  EXPECT_EQ(body["by_key"][0]["key"], "(none)");
  EXPECT_EQ(body["by_key"][2]["key"], "q_tax");
  EXPECT_EQ(body["by_key"][2]["offered"], 4);
  EXPECT_EQ(body["dimension"], "queue");

  // A call that ends now shows in the next request.
  AddCall("c7", "+79000000009", kMorning + minutes(20), "q_tax", "answered", seconds(1), "op-2");
  const json again = Get(std::string(kIntervalReportPath) +
                             "?from=2026-11-30T21:00:00Z&to=2026-12-01T21:00:00Z&by=day",
                         staff_.BearerFor("compliance_controller")).Json();
  ASSERT_EQ(again["over_time"].size(), 1u) << again.dump();
  EXPECT_EQ(again["over_time"][0]["answered"], 4);
  EXPECT_EQ(again["over_time"][0]["start_local"], "2026-12-01T00:00+03:00");
}

TEST_F(IntervalReportRoutesTest, CsvHasAHeaderRowQuotedCellsAndNoFormulas) {
  Morning();
  const Reply r = Get(std::string(kIntervalReportPath) +
                          "?from=2026-11-30T21:00:00Z&to=2026-12-01T21:00:00Z&by=day"
                          "&dimension=queue&format=csv&table=by_key",
                      staff_.BearerFor("supervisor"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(r.disposition.find("attachment; filename=\"gosline-report-by_key-queue-day-2026-12-01"),
            std::string::npos) << r.disposition;
  EXPECT_EQ(r.body.substr(0, r.body.find("\r\n")),
            "queue,calls,offered,answered,abandoned,short_abandoned,answered_within_threshold,"
            "service_level_answered,service_level_offered,abandon_rate,asa_seconds,aht_seconds,"
            "avg_talk_seconds,avg_wrap_up_seconds,transfers,callbacks_requested,ivr_contained,"
            "repeat_contacts,repeat_contact_rate,first_contact_resolution,fcr_eligible,fcr_resolved");
  // The hostile queue name is quoted and cannot start a formula.
  EXPECT_NE(r.body.find("\r\n'=cmd|' /C calc'!A0,1,1,1,0,0,1,1.0000,1.0000,"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("\r\nq_tax,4,4,2,1,1,1,0.5000,0.3333,"), std::string::npos) << r.body;

  const Reply rows = Get(std::string(kIntervalReportPath) +
                             "?from=2026-11-30T21:00:00Z&to=2026-12-01T21:00:00Z&by=hour&format=csv&table=over_time",
                         staff_.BearerFor("supervisor"));
  ASSERT_EQ(rows.status, 200);
  EXPECT_EQ(rows.body.rfind("period_start,total,calls,", 0), 0u);
  EXPECT_NE(rows.body.find("\r\n2026-12-01T09:00+03:00,,4,4,2,"), std::string::npos) << rows.body;
}

TEST_F(IntervalReportRoutesTest, BadInputIs400JsonAndOtherRolesAreRefused) {
  const std::string sup = staff_.BearerFor("supervisor");
  for (const char* bad : {"?from=2026-12-01&to=2026-11-01",
                          "?from=yesterday&to=2026-12-02",
                          "?to=2026-12-02",
                          "?from=2026-12-01T00:07:00Z&to=2026-12-02",
                          "?from=2026-12-01&to=2026-12-02&by=year",
                          "?from=2026-12-01&to=2026-12-02&dimension=phone",
                          "?from=2026-12-01&to=2026-12-02&format=xlsx",
                          "?from=2026-12-01&to=2026-12-02&table=cases",
                          "?from=2026-12-01&to=2026-12-02&x=1",
                          "?from=2026-12-01&from=2026-12-01&to=2026-12-02",
                          "?from=2026-01-01&to=2026-03-01&by=15m",
                          "?from=2026-01-01&to=2026-06-01&by=hour",
                          "?from=2020-01-01&to=2026-06-01&by=month"}) {
    const Reply r = Get(std::string(kIntervalReportPath) + bad, sup);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(r.Json().contains("error")) << bad << " " << r.body;
  }
  EXPECT_EQ(Get(std::string(kIntervalReportPath) + "?from=2026-01-01&to=2026-02-01&by=15m", sup).status,
            200);
  const std::string q = std::string(kIntervalReportPath) + "?from=2026-12-01&to=2026-12-02";
  EXPECT_EQ(Get(q, staff_.BearerFor("operator")).status, 403);
  EXPECT_EQ(Get(q, staff_.BearerFor("administrator")).status, 403);
  EXPECT_EQ(Get(q, "").status, 401);
  const json doc = Get("/api/v1/openapi.json", "").Json();
  const json& op = doc["paths"][kIntervalReportPath]["get"];
  EXPECT_EQ(op["x-required-role"], "report_reader");
  EXPECT_EQ(op["x-api-scope"], "reports:read");
}

TEST(CsvCellsTest, QuotesAndNeutralisesFormulas) {
  EXPECT_EQ(CsvTextCell("q_tax"), "q_tax");
  EXPECT_EQ(CsvTextCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvTextCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvTextCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvTextCell("=1+1"), "'=1+1");
  EXPECT_EQ(CsvTextCell("+7900"), "'+7900");
  EXPECT_EQ(CsvTextCell("-2"), "'-2");
  EXPECT_EQ(CsvTextCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvTextCell("\tx"), "'\tx");
  EXPECT_EQ(CsvTextCell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvRecord({"a", "", "1"}), "a,,1\r\n");
}

}  // namespace
}  // namespace gosline::http
