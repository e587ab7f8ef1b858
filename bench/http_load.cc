// HTTP load generator: N keep-alive connections POST new
// cases as fast as the server answers, for a bounded count and time, and
// report creates/s with latency p50/p99.
//
// Against a running server (e.g. `gosline serve --config config/gosline.yaml`):
//   gosline_http_load --connect 127.0.0.1:8080 --topic registration
// Self-contained: an in-process server on 127.0.0.1 with a SQLite file (a
// fresh temporary one, or --db PATH, e.g. the 1,000,000-case bench database):
//   gosline_http_load --connections 64 --requests 50000 --server-threads 16
//
// Goal on the 2-core reference machine: >= 3,000 creates/s with keep-alive.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "app/case_service.h"
#include "config/config_vocabulary.h"
#include "core/common/system_clock.h"
#include "http/api_routes.h"
#include "http/http_server.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string connect;  // host:port; empty = in-process server
  int connections = 64;
  int64_t requests = 30000;
  double seconds = 30;
  std::string topic = "registration";
  std::string api_key;  // sent as Authorization: Bearer (a running server needs one)
  // In-process server only:
  std::string db;  // empty = a fresh temporary file
  int server_threads = 16;  // handlers wait for the group commit; more threads, bigger groups
  std::string synchronous = "full";
  bool access_log = false;
};

// What all connections share; the client runs on one thread, so no locking.
struct Load {
  Options opts;
  int64_t issued = 0;
  int64_t created = 0;
  int64_t failed = 0;
  int64_t connection_errors = 0;
  SteadyClock::time_point deadline;
  std::vector<double> latency_ms;
  std::string first_failure;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, tcp::endpoint endpoint, Load& load)
      : stream_(ioc), endpoint_(endpoint), load_(load) {}

  void Start() {
    stream_.async_connect(endpoint_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Fail(ec);
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->Next();
    });
  }

 private:
  void Next() {
    if (load_.issued >= load_.opts.requests || SteadyClock::now() >= load_.deadline) return;
    int64_t i = load_.issued++;
    char phone[24];
    std::snprintf(phone, sizeof phone, "+7916%07lld", static_cast<long long>(i % 10'000'000));
    req_ = {bhttp::verb::post, "/api/v1/cases", 11};
    req_.set(bhttp::field::host, "gosline");
    req_.set(bhttp::field::content_type, "application/json");
    req_.set("X-Gosline-Actor", "bench");
    if (!load_.opts.api_key.empty()) {
      req_.set(bhttp::field::authorization, "Bearer " + load_.opts.api_key);
    }
    req_.body() = std::string("{\"phone\":\"") + phone + "\",\"topic\":\"" + load_.opts.topic +
                  "\",\"channel\":\"app\",\"summary\":\"http load\"}";
    req_.keep_alive(true);
    req_.prepare_payload();
    started_ = SteadyClock::now();
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Fail(ec);
      self->res_ = {};
      bhttp::async_read(self->stream_, self->buffer_, self->res_,
                        [self](beast::error_code rec, size_t) { self->OnResponse(rec); });
    });
  }

  void OnResponse(beast::error_code ec) {
    if (ec) return Fail(ec);
    load_.latency_ms.push_back(
        std::chrono::duration<double, std::milli>(SteadyClock::now() - started_).count());
    if (res_.result_int() == 201) {
      ++load_.created;
    } else {
      if (load_.failed++ == 0) {
        load_.first_failure = std::to_string(res_.result_int()) + " " + res_.body();
      }
    }
    if (!res_.keep_alive()) return Fail(beast::error_code());
    Next();
  }

  void Fail(beast::error_code ec) {
    ++load_.connection_errors;
    if (load_.first_failure.empty()) load_.first_failure = "connection: " + ec.message();
  }

  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
  Load& load_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  bhttp::response<bhttp::string_body> res_;
  SteadyClock::time_point started_;
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// The in-process server and what it stands on.
struct EmbeddedServer {
  Config config;
  std::unique_ptr<SqliteCaseStore> store;
  std::unique_ptr<ConfigVocabulary> vocabulary;
  BusinessCalendar calendar;
  std::unique_ptr<CaseWorkflow> workflow;
  SystemClock clock;
  std::unique_ptr<CaseService> service;
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
  std::filesystem::path temp_dir;

  ~EmbeddedServer() {
    if (server) server->Stop();
    server.reset();
    store.reset();
    if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
  }

  Status Start(const Options& opts) {
    std::string path = opts.db;
    if (path.empty()) {
      temp_dir = std::filesystem::temp_directory_path() /
                 ("gosline_http_load_" + std::to_string(::getpid()));
      std::filesystem::create_directories(temp_dir);
      path = (temp_dir / "cases.db").string();
    }
    SqliteOptions sqlite;
    std::optional<SqliteSync> sync = ParseSqliteSync(opts.synchronous);
    if (!sync) return Status::InvalidArgument("--synchronous must be normal or full");
    sqlite.synchronous = *sync;
    auto opened = SqliteCaseStore::Open(path, sqlite);
    if (!opened.ok()) return opened.status();
    store = std::move(opened).value();

    config.topics = {Topic{opts.topic, {}, "", "", false, false}};
    vocabulary = std::make_unique<ConfigVocabulary>(config);
    workflow = std::make_unique<CaseWorkflow>(*vocabulary, calendar);
    service = std::make_unique<CaseService>(*store, *workflow, clock);
    GOSLINE_RETURN_IF_ERROR(http::AddApiRoutes(router, *service, *store, "bench"));
    HttpConfig http;
    http.listen = "127.0.0.1";
    http.port = 0;
    http.threads = opts.server_threads;
    server = std::make_unique<http::HttpServer>(http, router);
    GOSLINE_RETURN_IF_ERROR(server->Start());
    std::printf("in-process server on 127.0.0.1:%u, %d threads, sqlite %s (synchronous=%s)\n",
                server->port(), opts.server_threads, path.c_str(), opts.synchronous.c_str());
    return Status::Ok();
  }
};

int Run(const Options& opts) {
  if (!opts.access_log) spdlog::set_level(spdlog::level::warn);
  EmbeddedServer embedded;
  tcp::endpoint endpoint;
  if (opts.connect.empty()) {
    Status st = embedded.Start(opts);
    if (!st.ok()) {
      std::fprintf(stderr, "http_load: %s\n", st.ToString().c_str());
      return 1;
    }
    endpoint = tcp::endpoint(net::ip::make_address("127.0.0.1"), embedded.server->port());
  } else {
    size_t colon = opts.connect.rfind(':');
    beast::error_code ec;
    auto address = net::ip::make_address(opts.connect.substr(0, colon), ec);
    if (colon == std::string::npos || ec) {
      std::fprintf(stderr, "http_load: --connect wants IP:PORT\n");
      return 2;
    }
    endpoint = tcp::endpoint(address, static_cast<uint16_t>(std::stoi(opts.connect.substr(colon + 1))));
  }

  Load load;
  load.opts = opts;
  load.latency_ms.reserve(static_cast<size_t>(std::min<int64_t>(opts.requests, 10'000'000)));
  net::io_context ioc(1);
  auto start = SteadyClock::now();
  load.deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                              std::chrono::duration<double>(opts.seconds));
  for (int i = 0; i < opts.connections; ++i) {
    std::make_shared<Connection>(ioc, endpoint, load)->Start();
  }
  ioc.run();
  double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();

  double p50 = Percentile(load.latency_ms, 0.50);
  double p99 = Percentile(load.latency_ms, 0.99);
  double max = load.latency_ms.empty()
                   ? 0
                   : *std::max_element(load.latency_ms.begin(), load.latency_ms.end());
  std::printf(
      "http_load: %lld created in %.2f s = %.0f creates/s; latency p50 %.2f ms, p99 %.2f ms, "
      "max %.2f ms; %d keep-alive connections; %lld non-201, %lld connection errors\n",
      static_cast<long long>(load.created), elapsed, static_cast<double>(load.created) / elapsed,
      p50, p99, max, opts.connections, static_cast<long long>(load.failed),
      static_cast<long long>(load.connection_errors));
  if (!load.first_failure.empty()) {
    std::printf("first failure: %s\n", load.first_failure.substr(0, 300).c_str());
  }
  return load.failed == 0 && load.connection_errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace gosline

int main(int argc, char** argv) {
  gosline::Options opts;
  CLI::App app{"gosline HTTP load generator: POST /api/v1/cases over keep-alive connections"};
  app.add_option("--connect", opts.connect, "IP:PORT of a running server (default: in-process)");
  app.add_option("--connections", opts.connections, "Keep-alive connections")
      ->check(CLI::Range(1, 10000));
  app.add_option("--requests", opts.requests, "Stop after this many requests")
      ->check(CLI::PositiveNumber);
  app.add_option("--seconds", opts.seconds, "Stop after this long")->check(CLI::PositiveNumber);
  app.add_option("--topic", opts.topic, "Topic id the server's configuration knows");
  app.add_option("--api-key", opts.api_key,
                 "API key with cases:write for a running server (gosline apikey create)");
  app.add_option("--db", opts.db, "In-process: SQLite file (default: a fresh temporary one)");
  app.add_option("--server-threads", opts.server_threads, "In-process: HTTP I/O threads")
      ->check(CLI::Range(1, 256));
  app.add_option("--synchronous", opts.synchronous, "In-process: normal | full");
  app.add_flag("--access-log", opts.access_log, "In-process: keep the per-request access log");
  CLI11_PARSE(app, argc, argv);
  return gosline::Run(opts);
}
