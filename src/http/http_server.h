// The HTTP/1.1 server (Boost.Beast, asynchronous): keep-alive, per-request
// read deadline (slowloris clients are cut off), idle deadline between
// requests, header/body size limits, a connection cap and a graceful stop.
// Beast stays inside http_server.cc; this header is cheap to include.
// With http.tls.enabled a second listener serves the same routes over TLS
// 1.2+ (OpenSSL); the plain one stays on http.port (see HttpTlsConfig).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "config/config.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

class LiveHub;

// Not in HttpConfig (yet): larger request heads get 431.
inline constexpr size_t kMaxHeaderBytes = 16 * 1024;

class HttpServer {
 public:
  // `router` must outlive the server and not change while it runs.
  HttpServer(const HttpConfig& config, const Router& router);
  ~HttpServer();  // stops (graceful, with the default grace)
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves GET /api/v1/live (live_hub.h) as WebSocket upgrades to `hub`'s
  // feed, once the router's route for it authorised the caller. Before Start.
  void SetLiveHub(std::shared_ptr<LiveHub> hub);

  // Binds config.listen:config.port (0 = any free port), starts config.threads
  // I/O threads. kUnavailable when the address cannot be bound.
  Status Start();

  // The bound port (after Start), so tests can listen on port 0.
  uint16_t port() const;
  // The bound HTTPS port (http.tls.enabled), else 0.
  uint16_t tls_port() const;

  // Stops accepting, closes idle connections at once, lets requests in
  // progress finish and their responses go out (with Connection: close) for
  // up to `grace`, then closes whatever remains and joins the threads.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // Connections being served now (not counting refused ones).
  size_t active_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gosline::http
