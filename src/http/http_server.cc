// The only translation unit of the server that includes Boost.Beast.
#include "http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// After a response that closes the connection we stop sending, then read and
// discard what the client still sends for a moment: closing a socket with
// unread data makes the kernel send RST, which can destroy the response
// (e.g. a 413 while the client is still uploading) before the client reads it.
constexpr auto kMaxLinger = std::chrono::seconds(1);
constexpr size_t kMaxLingerBytes = 8 << 20;
// Refused connections (over max_connections) get a 503; beyond this many at
// once they are closed without a word.
constexpr size_t kMaxRefusing = 256;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  uint64_t bits = rng();
  for (char& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

// A client's id is echoed only when it is short and harmless in logs.
bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == ':';
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// What sessions share with the server.
struct ServerState {
  ServerState(const HttpConfig& c, const Router& r) : config(c), router(r) {}

  const HttpConfig config;
  const Router& router;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> active{0};
  std::atomic<size_t> refusing{0};
  std::mutex idle_mu;
  std::condition_variable idle_cv;  // signalled when `active` drops to 0

  std::chrono::milliseconds read_timeout() const {
    return std::chrono::milliseconds(std::max(1, config.read_timeout_ms));
  }
  std::chrono::milliseconds idle_timeout() const {
    return std::chrono::milliseconds(std::max(1, config.idle_timeout_ms));
  }
};

class Session;

// Live sessions, so Stop() can reach them.
class SessionRegistry {
 public:
  void Add(Session* s, std::weak_ptr<Session> w) {
    std::lock_guard lock(mu_);
    sessions_.emplace(s, std::move(w));
  }
  void Remove(Session* s) {
    std::lock_guard lock(mu_);
    sessions_.erase(s);
  }
  std::vector<std::shared_ptr<Session>> Snapshot() {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(mu_);
    for (auto& [_, weak] : sessions_) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // refuse: answer 503 at once and close (over the connection cap).
  Session(tcp::socket&& socket, ServerState& state, SessionRegistry& registry, bool refuse)
      : stream_(std::move(socket)), state_(state), registry_(registry), refuse_(refuse) {
    if (refuse_) {
      state_.refusing.fetch_add(1);
    } else {
      state_.active.fetch_add(1);
    }
  }

  ~Session() {
    registry_.Remove(this);
    if (refuse_) {
      state_.refusing.fetch_sub(1);
    } else if (state_.active.fetch_sub(1) == 1) {
      std::lock_guard lock(state_.idle_mu);
      state_.idle_cv.notify_all();
    }
  }

  void Start() {
    registry_.Add(this, weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->refuse_) {
        self->SendError(503, "unavailable", "too many connections; try again later");
      } else {
        self->AwaitRequest();
      }
    });
  }

  // From Stop(): idle connections close now; busy ones after their response.
  void OnServerStop() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kIdle) self->Close();
    });
  }

  void ForceClose() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };

  void AwaitRequest() {
    if (state_.stopping.load()) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    phase_ = Phase::kIdle;
    stream_.expires_after(first_request_ ? state_.read_timeout() : state_.idle_timeout());
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnFirstBytes(ec, n); });
  }

  void OnFirstBytes(beast::error_code ec, size_t n) {
    if (ec) return Close();  // idle timeout, client went away, or server stop
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    phase_ = Phase::kReading;
    first_request_ = false;
    started_ = Clock::now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    parser_->body_limit(static_cast<std::uint64_t>(state_.config.max_body_bytes));
    // One deadline for the whole request, head and body: a client that
    // trickles bytes (slowloris) cannot hold the connection beyond it.
    stream_.expires_after(state_.read_timeout());
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (beast::iequals(req[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      continue_.emplace(bhttp::status::continue_, req.version());
      bhttp::async_write(stream_, *continue_,
                         [self = shared_from_this()](beast::error_code wec, size_t) {
                           if (wec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return OnRequest();
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->OnRequest();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return SendError(413, "payload_too_large",
                       "request body exceeds " + std::to_string(state_.config.max_body_bytes) +
                           " bytes");
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(431, "header_too_large",
                       "request header exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
    }
    // Any other parse error of the HTTP category: the client sent something that is not HTTP.
    if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return SendError(400, "bad_request", "malformed HTTP request");
    }
    if (ec == beast::error::timeout) {
      spdlog::info("http: closed a connection that sent no complete request within {} ms",
                   state_.read_timeout().count());
    }
    Close();  // timeout (the stream is already closed), EOF, reset, server stop
  }

  void OnRequest() {
    phase_ = Phase::kHandling;
    bhttp::request<bhttp::string_body> req = parser_->release();
    parser_.reset();

    HttpRequest in;
    beast::error_code peer_ec;
    const auto peer = stream_.socket().remote_endpoint(peer_ec);
    if (!peer_ec) in.remote_address = peer.address().to_string();
    in.method_name = std::string(req.method_string());
    in.method = ParseMethod(in.method_name);
    std::string_view target = req.target();
    size_t q = target.find('?');
    in.path = std::string(target.substr(0, q));
    for (const auto& field : req) in.headers[Lower(field.name_string())] = std::string(field.value());
    auto client_id = in.Header("X-Request-Id");
    in.request_id = client_id && IsAcceptableRequestId(*client_id) ? std::string(*client_id)
                                                                   : NewRequestId();
    bool keep_alive = req.keep_alive();
    in.body = std::move(req.body());

    HttpResponse out;
    Result<QueryParams> query =
        ParseQuery(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
    if (!query.ok()) {
      out = ErrorResponse(query.status());
    } else if (in.path.empty() || in.path.front() != '/') {
      out = ErrorResponse(400, "bad_request", "request target must be an absolute path");
    } else {
      in.query = std::move(query).value();
      try {
        out = state_.router.Dispatch(in);
      } catch (const std::exception& e) {  // Dispatch catches handler exceptions; belt and braces
        spdlog::error("http: dispatch failed: {} (request {})", e.what(), in.request_id);
        out = ErrorResponse(Status::Internal("dispatch failed"));
      }
    }
    Send(std::move(out), in.method_name, in.path, in.request_id,
         keep_alive && !state_.stopping.load(), req.version());
  }

  void SendError(int status, std::string_view code, std::string message) {
    Send(ErrorResponse(status, code, message), "-", "-", NewRequestId(), false, 11);
  }

  void Send(HttpResponse out, std::string_view method, std::string_view path,
            const std::string& request_id, bool keep_alive, unsigned version) {
    phase_ = Phase::kWriting;
    response_.emplace();
    auto& res = *response_;
    res.version(version);
    res.result(static_cast<unsigned>(out.status));
    res.set(bhttp::field::server, "gosline");
    res.set(bhttp::field::content_type, out.content_type);
    res.set(bhttp::field::cache_control, "no-store");  // case data is personal data
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Request-Id", request_id);
    for (auto& [name, value] : out.headers) res.set(name, value);
    res.body() = std::move(out.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();

    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    spdlog::info("http: {} {} {} {:.1f}ms id={}", method, path.substr(0, 256), out.status,
                 method == "-" ? 0.0 : ms, request_id);

    stream_.expires_after(state_.read_timeout());
    bhttp::async_write(stream_, res,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                         self->response_.reset();
                         if (ec) return self->Close();
                         if (!keep_alive || self->state_.stopping.load()) return self->Linger();
                         self->AwaitRequest();
                       });
  }

  // Half-close, then drain briefly (see kMaxLinger).
  void Linger() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::min<Clock::duration>(kMaxLinger, state_.read_timeout()));
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxLingerBytes) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  ServerState& state_;
  SessionRegistry& registry_;
  const bool refuse_;
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;
  Clock::time_point started_ = Clock::now();
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const HttpConfig& config, const Router& router)
      : state_(config, router), ioc_(std::max(1, config.threads)) {}

  Status Start() {
    if (started_) return Status::FailedPrecondition("server already started");
    beast::error_code ec;
    auto address = net::ip::make_address(state_.config.listen, ec);
    if (ec) {
      return Status::InvalidArgument("http.listen is not an IP address: " + state_.config.listen,
                                     "http.listen");
    }
    tcp::endpoint endpoint(address, state_.config.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Unavailable("cannot listen on " + state_.config.listen + ":" +
                                 std::to_string(state_.config.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    started_ = true;

    const Authorizer& auth = state_.router.authorizer();
    if (auth.Enforces()) {
      spdlog::info("http: {}", auth.Describe());
    } else {
      spdlog::warn("http: {}", auth.Describe());
    }
    spdlog::info("http: listening on {}:{} with {} I/O threads, {} routes", state_.config.listen,
                 port_, std::max(1, state_.config.threads), state_.router.routes().size());

    Accept();
    for (int i = 0; i < std::max(1, state_.config.threads); ++i) {
      threads_.emplace_back([this] { Run(); });
    }
    return Status::Ok();
  }

  void Stop(std::chrono::milliseconds grace) {
    if (!started_ || stopped_) return;
    stopped_ = true;
    state_.stopping.store(true);
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
    });
    for (auto& s : registry_.Snapshot()) s->OnServerStop();
    {
      std::unique_lock lock(state_.idle_mu);
      state_.idle_cv.wait_for(lock, grace, [this] { return state_.active.load() == 0; });
    }
    for (auto& s : registry_.Snapshot()) s->ForceClose();
    {
      std::unique_lock lock(state_.idle_mu);
      state_.idle_cv.wait_for(lock, std::chrono::seconds(1),
                              [this] { return state_.active.load() == 0; });
    }
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    spdlog::info("http: stopped");
  }

  uint16_t port() const { return port_; }
  size_t active() const { return state_.active.load(); }

 private:
  void Run() {
    // A handler that throws must not take an I/O thread down with it.
    while (true) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread caught: {}", e.what());
      }
    }
  }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [this](beast::error_code ec, tcp::socket socket) {
                             OnAccept(ec, std::move(socket));
                           });
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (state_.stopping.load() || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([this](beast::error_code wec) {
        if (!wec && !state_.stopping.load()) Accept();
      });
      return;
    }
    beast::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    bool refuse = state_.active.load() >= state_.config.max_connections;
    if (refuse && state_.refusing.load() >= kMaxRefusing) {
      socket.close(opt_ec);
    } else {
      auto session = std::make_shared<Session>(std::move(socket), state_, registry_, refuse);
      session->Start();
    }
    Accept();
  }

  // Declaration order matters: ioc_ is destroyed before the state its
  // leftover handlers (sessions) refer to.
  ServerState state_;
  SessionRegistry registry_;
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
  tcp::acceptor acceptor_{net::make_strand(ioc_)};
  net::steady_timer retry_timer_{acceptor_.get_executor()};
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

HttpServer::HttpServer(const HttpConfig& config, const Router& router)
    : impl_(std::make_unique<Impl>(config, router)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() { return impl_->Start(); }

uint16_t HttpServer::port() const { return impl_->port(); }

void HttpServer::Stop(std::chrono::milliseconds grace) { impl_->Stop(grace); }

size_t HttpServer::active_connections() const { return impl_->active(); }

}  // namespace gosline::http
