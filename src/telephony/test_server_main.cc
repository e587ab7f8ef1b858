// gosline_sipd_test_server: the telephony server alone on 127.0.0.1 for the
// end-to-end tests (sipp and the Python RTP caller) and the load benchmark.
// Prints "READY" once SIP and RTP listen; stops on SIGTERM/SIGINT. Call
// records go to --records, digits and queue entries to --events (JSON lines).
//
// With --centre-events: a minimal contact centre (TestCentre, below) stands in
// for src/app/contact_centre: key 0 puts the caller in a queue, each queued
// call is announced and offered to the --operator phones in turn (a no-answer
// after --ring-timeout-ms or a failure offers it to the next), and everything
// the telephony side reports is written as JSON lines for the test to check.
#include <signal.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/common/system_clock.h"
#include "core/common/thread_annotations.h"
#include "telephony/jsonl_call_record_sink.h"
#include "telephony/telephony_server.h"

namespace {

using namespace gosline::telephony;
using gosline::CondVar;
using gosline::Mutex;
using gosline::MutexLock;

// Threads: the telephony threads report; mu_ makes each line one write.
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
  void Write(const nlohmann::json& j) GOSLINE_EXCLUDES(mu_) {
    if (!f_) return;
    MutexLock lock(mu_);
    std::fprintf(f_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(f_);
  }
  Mutex mu_;
  std::FILE* const f_ GOSLINE_PT_GUARDED_BY(mu_);
};

namespace cc = gosline::contact_centre;

// Plays the greeting until the caller presses 0, then queues the call.
class QueueOnKeyFlow : public CallFlow {
 public:
  std::vector<gosline::IvrAction> Start(const gosline::CallInfo&, gosline::Time) override {
    return {gosline::PlayAction{1, {"greeting"}}};
  }
  std::vector<gosline::IvrAction> OnEvent(const gosline::IvrEvent& event) override {
    if (const auto* d = std::get_if<gosline::DigitEvent>(&event.what); d && d->digit == '0') {
      gosline::EnterQueueAction q;
      q.queue_id = "general";
      q.topic = "general";
      q.language = "ru";
      q.waiting_prompts = {"waiting"};
      return {gosline::StopPlaybackAction{1}, q};
    }
    return {};
  }
};

// Threads: the CallCentrePort calls come from telephony's threads; the timer
// thread (made by the constructor, joined by the destructor) fires the ring
// timeouts and releases. mu_ guards the offer bookkeeping and stop_;
// write_mu_ makes each line one write. They never nest, and neither is held
// while calling the connector. The connector is set once, before any call.
class TestCentre : public cc::CallCentrePort {
 public:
  struct Operator {
    std::string id;
    std::string contact;
  };
  // release_after > 0: each answered call is transferred away from its
  // operator after that long (CallConnector::ReleaseOperator) and offered again.
  TestCentre(const std::string& path, std::vector<Operator> operators,
             std::chrono::milliseconds ring_timeout, std::chrono::milliseconds release_after)
      : f_(std::fopen(path.c_str(), "a")), operators_(std::move(operators)),
        ring_timeout_(ring_timeout), release_after_(release_after),
        timer_([this] { RunTimers(); }) {}
  ~TestCentre() override {
    {
      MutexLock lock(mu_);
      stop_ = true;
    }
    cv_.NotifyAll();
    timer_.join();
    if (f_) std::fclose(f_);
  }
  void SetConnector(cc::CallConnector* c) { connector_ = c; }

  void CallEnqueued(cc::WaitingCall call, gosline::Time) override {
    Write({{"event", "enqueued"}, {"call", call.id}, {"caller", call.caller}, {"queue", call.queue},
           {"sip_call_id", call.sip_call_id}});
    connector_->Announce({call.id, 1, std::chrono::minutes(2), {}});
    Offer(call.id);
  }
  void OperatorAnswered(cc::CallId call, gosline::Time) override {
    Disarm(call);
    Write({{"event", "answered"}, {"call", call}});
    MutexLock lock(mu_);
    if (release_after_.count() > 0 && released_.insert(call).second) {
      releases_[call] = std::chrono::steady_clock::now() + release_after_;
    }
  }
  void OperatorRingFailed(cc::CallId call, std::string reason, gosline::Time) override {
    Disarm(call);
    Write({{"event", "ring_failed"}, {"call", call}, {"reason", reason}});
    Offer(call);
  }
  void CallerHungUp(cc::CallId call, gosline::Time) override {
    Disarm(call);
    {
      MutexLock lock(mu_);
      releases_.erase(call);
    }
    Write({{"event", "caller_hung_up"}, {"call", call}});
  }
  void OperatorHungUp(cc::CallId call, gosline::Time) override {
    Write({{"event", "operator_hung_up"}, {"call", call}});
  }
  void CallbackRequested(cc::CallId call, gosline::Time) override {
    Disarm(call);
    Write({{"event", "callback"}, {"call", call}});
  }
  void RecordingSaved(cc::CallId call, cc::SavedRecording recording) override {
    Write({{"event", "recording"}, {"call", call}, {"path", recording.path},
           {"ms", recording.length.count()}});
  }

 private:
  // Offers the call to the next operator; three offers at most.
  void Offer(cc::CallId call) GOSLINE_EXCLUDES(mu_) {
    size_t attempt;
    {
      MutexLock lock(mu_);
      attempt = attempts_[call]++;
      if (attempt >= 3 || operators_.empty()) return;
      if (ring_timeout_.count() > 0) deadlines_[call] = std::chrono::steady_clock::now() + ring_timeout_;
    }
    cv_.NotifyAll();
    const Operator& op = operators_[attempt % operators_.size()];
    Write({{"event", "ring"}, {"call", call}, {"operator", op.id}, {"attempt", attempt + 1}});
    connector_->RingOperator({call, op.id, op.contact, "T-" + std::to_string(call), "general", ""});
  }
  void Disarm(cc::CallId call) GOSLINE_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    deadlines_.erase(call);
  }
  void RunTimers() GOSLINE_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    while (!stop_) {
      const auto now = std::chrono::steady_clock::now();
      std::vector<cc::CallId> due;
      for (auto it = deadlines_.begin(); it != deadlines_.end();) {
        if (it->second <= now) {
          due.push_back(it->first);
          it = deadlines_.erase(it);
        } else {
          ++it;
        }
      }
      std::vector<cc::CallId> release;
      for (auto it = releases_.begin(); it != releases_.end();) {
        if (it->second <= now) {
          release.push_back(it->first);
          it = releases_.erase(it);
        } else {
          ++it;
        }
      }
      if (!due.empty() || !release.empty()) {
        lock.Unlock();
        for (cc::CallId call : due) {
          Write({{"event", "no_answer"}, {"call", call}});
          connector_->CancelRing(call);
          Offer(call);
        }
        for (cc::CallId call : release) {
          Write({{"event", "transfer"}, {"call", call}});
          connector_->ReleaseOperator(call);
          Offer(call);
        }
        lock.Lock();
        continue;
      }
      cv_.WaitFor(mu_, std::chrono::milliseconds(50));
    }
  }
  void Write(const nlohmann::json& j) GOSLINE_EXCLUDES(write_mu_) {
    if (!f_) return;
    MutexLock lock(write_mu_);
    std::fprintf(f_, "%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(f_);
  }

  std::FILE* const f_ GOSLINE_PT_GUARDED_BY(write_mu_);
  const std::vector<Operator> operators_;
  const std::chrono::milliseconds ring_timeout_;
  cc::CallConnector* connector_ = nullptr;
  Mutex write_mu_;
  Mutex mu_;
  CondVar cv_;  // a deadline was armed, or stop_
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  std::map<cc::CallId, size_t> attempts_ GOSLINE_GUARDED_BY(mu_);
  std::map<cc::CallId, std::chrono::steady_clock::time_point> deadlines_ GOSLINE_GUARDED_BY(mu_);
  const std::chrono::milliseconds release_after_;
  std::set<cc::CallId> released_ GOSLINE_GUARDED_BY(mu_);  // once per call
  std::map<cc::CallId, std::chrono::steady_clock::time_point> releases_ GOSLINE_GUARDED_BY(mu_);
  std::thread timer_;
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
  std::string centre_events;
  std::vector<std::string> operators;
  int ring_timeout_ms = 0;
  int release_after_ms = 0;
  app.add_option("--release-after-ms", release_after_ms, "test centre: transfer after answer");
  std::string callback_key = "5";
  app.add_option("--centre-events", centre_events, "run the test contact centre; its log (JSONL)");
  app.add_option("--operator", operators, "id=sip:contact (or id= for registered only)");
  app.add_option("--operator-passwords", config.operator_passwords_file);
  app.add_option("--recordings", config.recordings_dir);
  app.add_option("--ring-timeout-ms", ring_timeout_ms, "test centre: no-answer time");
  app.add_option("--callback-key", callback_key);
  int no_response_ms = 3000;
  app.add_option("--operator-no-response-ms", no_response_ms);
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
  config.prompts = {PromptSpec{"greeting", "ru", greeting, ""},
                    PromptSpec{"waiting", "ru", "Пожалуйста, оставайтесь на линии.", ""}};
  config.callback_key = callback_key.empty() ? '\0' : callback_key[0];
  config.operator_no_response = std::chrono::milliseconds(no_response_ms);
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
  std::unique_ptr<TestCentre> centre;
  if (!centre_events.empty()) {
    std::vector<TestCentre::Operator> ops;
    for (const std::string& o : operators) {
      const size_t eq = o.find('=');
      ops.push_back({o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1)});
    }
    centre = std::make_unique<TestCentre>(centre_events, std::move(ops),
                                          std::chrono::milliseconds(ring_timeout_ms),
                                          std::chrono::milliseconds(release_after_ms));
    deps.make_flow = [] { return std::make_unique<QueueOnKeyFlow>(); };
  }
  gosline::SystemClock clock;
  TelephonyServer server(config, deps, clock);
  if (centre) {
    centre->SetConnector(&server);
    server.SetCallCentre(centre.get());
  }
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
  centre.reset();
  return 0;
}
