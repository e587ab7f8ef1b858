// The live feed (R18): JSON messages pushed to browsers over a
// WebSocket at GET /api/v1/live. Producers (the contact centre, the alarm
// evaluator) call Publish from any thread; the server's WebSocket sessions
// subscribe to the topics their caller may see. Publish never waits for a
// client: each session has a bounded queue and a client that falls behind is
// disconnected (it reconnects and gets a fresh snapshot), so one slow browser
// cannot hold up the others or the server.
//
// Topics: "wallboard" (queues, operators, alarms; supervisors) and
// OperatorTopic(login) (one operator's own events: the call pop, state).
// Every message is {"topic": "...", "seq": n, "data": <the published JSON>}.
//
// Threads: any. mu_ guards the clients, the snapshot providers and the
// sequence; it is never held while a provider runs or a client is handed a
// message (providers take the contact centre's lock: LiveHub's is taken
// after it, never before).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "http/router.h"

namespace gosline::http {

inline constexpr const char* kLivePath = "/api/v1/live";
inline constexpr const char* kWallboardTopic = "wallboard";
// "operator/<login>": a signed-in member of staff's own events.
std::string OperatorTopic(std::string_view login);

class LiveHub {
 public:
  struct Options {
    size_t max_queued_messages = 256;        // per client, then it is disconnected
    size_t max_queued_bytes = 8 << 20;       // per client
    size_t max_clients = 2000;
  };

  // What a WebSocket session implements; Deliver must not block.
  class Subscriber {
   public:
    virtual ~Subscriber() = default;
    virtual void Deliver(std::shared_ptr<const std::string> message) = 0;
  };

  LiveHub() : LiveHub(Options{}) {}
  explicit LiveHub(Options options) : options_(options) {}
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  // Registers a client for `topics`, then delivers each topic's snapshot (if a
  // provider is set) so a new page starts complete. ResourceExhausted over
  // max_clients. Returns the id for Unsubscribe.
  Result<uint64_t> Subscribe(std::vector<std::string> topics, std::weak_ptr<Subscriber> subscriber);
  void Unsubscribe(uint64_t id);

  // Any thread. Returns the number of clients the message was handed to.
  size_t Publish(std::string_view topic, const nlohmann::json& data);

  // The current state of a topic, sent to each new subscriber first.
  void SetSnapshotProvider(std::string topic, std::function<nlohmann::json()> provider);

  // Sessions report a client they cut off for falling behind.
  void CountDropped() { dropped_.fetch_add(1); }

  size_t clients() const;
  uint64_t dropped() const { return dropped_.load(); }
  const Options& options() const { return options_; }

 private:
  struct Client {
    std::vector<std::string> topics;
    std::weak_ptr<Subscriber> subscriber;
  };
  std::shared_ptr<const std::string> Envelope(std::string_view topic, const nlohmann::json& data)
      GOSLINE_EXCLUDES(mu_);

  const Options options_;
  mutable Mutex mu_;
  uint64_t next_id_ GOSLINE_GUARDED_BY(mu_) = 1;
  uint64_t seq_ GOSLINE_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Client> clients_ GOSLINE_GUARDED_BY(mu_);
  std::map<std::string, std::function<nlohmann::json()>, std::less<>> snapshots_
      GOSLINE_GUARDED_BY(mu_);
  std::atomic<uint64_t> dropped_{0};
};

// The topics a signed-in caller gets: their own, plus the wallboard for
// supervisors (and the compliance controller, who oversees).
std::vector<std::string> LiveTopicsFor(const HttpRequest& request);

// GET /api/v1/live. The router authenticates and authorises it like any route
// (any operator or supervisor); the handler answers 426 to a request that is
// not a WebSocket upgrade, otherwise 101 with the topics in kLiveTopicsHeader,
// and the server (http_server.cc) performs the upgrade.
inline constexpr const char* kLiveTopicsHeader = "X-Gosline-Live-Topics";
// A handshake from another site's page (Origin, websocket_origin.h) gets 403.
Status AddLiveRoute(Router& router, std::vector<std::string> allowed_origins = {});

}  // namespace gosline::http
