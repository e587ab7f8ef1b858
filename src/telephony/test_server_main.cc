// gosline_sipd_test_server: the telephony server alone on 127.0.0.1 for the
// end-to-end tests (sipp and the Python RTP caller) and the load benchmark.
// Prints "READY" once SIP and RTP listen; stops on SIGTERM/SIGINT. Call
// records go to --records, digits and queue entries to --events (JSON lines).
#include <signal.h>

#include <cstdio>
#include <mutex>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "telephony/jsonl_call_record_sink.h"
#include "telephony/telephony_server.h"

namespace {

using namespace gosline::telephony;

class EventLog : public TelephonyObserver {
 public:
  explicit EventLog(const std::string& path) : f_(path.empty() ? nullptr : std::fopen(path.c_str(), "a")) {}
  ~EventLog() override {
    if (f_) std::fclose(f_);
  }
  void OnDigit(const std::string& call_id, char digit, DigitSource source) override {
    Write({{"event", "digit"}, {"call_id", call_id}, {"digit", std::string(1, digit)},
           {"source", DigitSourceName(source)}});
  }
  void OnEnteredQueue(const std::string& call_id, const gosline::EnterQueueAction& q) override {
    Write({{"event", "queue"}, {"call_id", call_id}, {"queue", q.queue_id}, {"topic", q.topic}});
  }

 private:
  void Write(const nlohmann::json& j) {
    if (!f_) return;
    std::lock_guard lock(mu_);
    std::fprintf(f_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(f_);
  }
  std::mutex mu_;
  std::FILE* f_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gosline telephony test server"};
  TelephonyConfig config;
  config.numbers = {"115", "88001007010", "+74957274747"};
  std::string records = "call_records.jsonl";
  std::string events;
  int ring_ms = 0;
  int media_timeout_s = 60;
  std::string transports = "udp,tcp";
  std::string greeting =
      "Здравствуйте! Вы позвонили на единую линию поддержки портала Госуслуг. "
      "Оставайтесь на линии.";
  app.add_option("--sip-address", config.sip_address);
  app.add_option("--sip-port", config.sip_port);
  app.add_option("--transports", transports, "udp,tcp | udp | tcp");
  app.add_option("--rtp-min", config.rtp_port_min);
  app.add_option("--rtp-max", config.rtp_port_max);
  app.add_option("--max-calls", config.max_calls);
  app.add_option("--ring-ms", ring_ms);
  app.add_option("--media-timeout-s", media_timeout_s);
  app.add_option("--prompt-cache", config.prompt_cache_dir);
  app.add_option("--greeting", greeting);
  app.add_option("--records", records);
  app.add_option("--events", events);
  CLI11_PARSE(app, argc, argv);

  config.sip_transports.clear();
  for (size_t start = 0; start <= transports.size();) {
    size_t comma = transports.find(',', start);
    if (comma == std::string::npos) comma = transports.size();
    if (comma > start) config.sip_transports.push_back(transports.substr(start, comma - start));
    start = comma + 1;
  }
  config.rtp_address = config.sip_address;
  config.ring_time = std::chrono::milliseconds(ring_ms);
  config.media_timeout = std::chrono::seconds(media_timeout_s);
  config.prompts = {PromptSpec{"greeting", "ru", greeting, ""}};
  config.greeting_prompt = "greeting";

  auto sink = JsonLinesCallRecordSink::Open(records);
  if (!sink.ok()) {
    std::fprintf(stderr, "%s\n", sink.status().ToString().c_str());
    return 2;
  }
  EventLog log(events);

  // Block the stop signals before any thread starts; wait for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  TelephonyServerDeps deps;
  deps.records = sink->get();
  deps.observer = &log;
  TelephonyServer server(config, deps);
  gosline::Status st = server.Start();
  if (!st.ok()) {
    std::fprintf(stderr, "cannot start: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("READY\n");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("stopping on signal {}", sig);
  server.Stop();
  return 0;
}
