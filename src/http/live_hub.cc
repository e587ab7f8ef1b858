#include "http/live_hub.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "http/websocket_origin.h"

namespace gosline::http {

std::string OperatorTopic(std::string_view login) { return "operator/" + std::string(login); }

Result<uint64_t> LiveHub::Subscribe(std::vector<std::string> topics,
                                    std::weak_ptr<Subscriber> subscriber) {
  // Snapshots are built outside the lock (a provider takes the centre's lock).
  std::vector<std::pair<std::string, std::function<nlohmann::json()>>> providers;
  {
    MutexLock lock(mu_);
    for (const std::string& t : topics) {
      auto it = snapshots_.find(t);
      if (it != snapshots_.end()) providers.emplace_back(t, it->second);
    }
  }
  std::vector<std::shared_ptr<const std::string>> first;
  for (auto& [topic, provider] : providers) first.push_back(Envelope(topic, provider()));
  // Declared before the lock: if this is the last reference, the session's
  // destructor (which unsubscribes) runs after the lock is released.
  std::shared_ptr<Subscriber> s = subscriber.lock();
  MutexLock lock(mu_);
  if (clients_.size() >= options_.max_clients) {
    return Status::ResourceExhausted("too many live clients");
  }
  const uint64_t id = next_id_++;
  clients_.emplace(id, Client{std::move(topics), subscriber});
  // Under the lock, so every later Publish reaches this client after its snapshot.
  if (s) {
    for (auto& m : first) s->Deliver(std::move(m));
  }
  return id;
}

void LiveHub::Unsubscribe(uint64_t id) {
  MutexLock lock(mu_);
  clients_.erase(id);
}

std::shared_ptr<const std::string> LiveHub::Envelope(std::string_view topic,
                                                     const nlohmann::json& data) {
  uint64_t seq = 0;
  {
    MutexLock lock(mu_);
    seq = ++seq_;
  }
  nlohmann::json m = {{"topic", topic}, {"seq", seq}, {"data", data}};
  // Invalid UTF-8 in a name must not throw out of Publish: replace it.
  return std::make_shared<const std::string>(
      m.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

size_t LiveHub::Publish(std::string_view topic, const nlohmann::json& data) {
  auto message = Envelope(topic, data);
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    MutexLock lock(mu_);
    for (const auto& [id, client] : clients_) {
      if (std::find(client.topics.begin(), client.topics.end(), topic) == client.topics.end()) {
        continue;
      }
      if (auto s = client.subscriber.lock()) targets.push_back(std::move(s));
    }
  }
  // Deliver only queues (the session's strand writes), so this never blocks.
  for (auto& s : targets) s->Deliver(message);
  return targets.size();
}

void LiveHub::SetSnapshotProvider(std::string topic, std::function<nlohmann::json()> provider) {
  MutexLock lock(mu_);
  snapshots_[std::move(topic)] = std::move(provider);
}

size_t LiveHub::clients() const {
  MutexLock lock(mu_);
  return clients_.size();
}

std::vector<std::string> LiveTopicsFor(const HttpRequest& request) {
  std::vector<std::string> topics;
  std::string_view login = request.principal;
  if (login.rfind("user:", 0) == 0) login.remove_prefix(5);
  if (!login.empty()) topics.push_back(OperatorTopic(login));
  if (request.principal_role == "supervisor" || request.principal_role == "compliance_controller") {
    topics.push_back(kWallboardTopic);
  }
  return topics;
}

Status AddLiveRoute(Router& router, std::vector<std::string> allowed_origins) {
  Route route;
  route.method = Method::kGet;
  route.pattern = kLivePath;
  route.role = Role::kOperator;
  route.doc = {.operation_id = "getLiveFeed",
               .summary = "WebSocket feed of live figures (wallboard: supervisors) and the "
                          "caller's own events; answers 101 Switching Protocols",
               .tag = "live",
               .success_status = 101,
               .errors = {400, 403, 426}};
  route.handler = [allowed = std::move(allowed_origins)](const HttpRequest& request) {
    if (!WebSocketOriginAllowed(request, allowed)) {
      return ErrorResponse(403, "forbidden_origin",
                           "this page's origin may not open the live feed (http.allowed_origins)");
    }
    auto upgrade = request.Header("upgrade");
    std::string value(upgrade.value_or(""));
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (value != "websocket") {
      HttpResponse r = ErrorResponse(426, "upgrade_required",
                                     "this endpoint speaks WebSocket: send Upgrade: websocket");
      r.headers.emplace_back("Upgrade", "websocket");
      return r;
    }
    const std::vector<std::string> topics = LiveTopicsFor(request);
    if (topics.empty()) {
      return ErrorResponse(400, "no_topics", "this caller has no live topics");
    }
    std::string joined;
    for (const auto& t : topics) joined += (joined.empty() ? "" : " ") + t;
    HttpResponse r;
    r.status = 101;
    r.body.clear();
    r.headers.emplace_back(kLiveTopicsHeader, joined);
    return r;
  };
  return router.Add(std::move(route));
}

}  // namespace gosline::http
