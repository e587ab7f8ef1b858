// The only translation unit of the server that includes Boost.Beast.
// Sessions are a template over the stream: beast::tcp_stream for plain HTTP,
// beast::ssl_stream<tcp_stream> for HTTPS (R22); only the handshake and the
// closing differ, the HTTP handling is the same code.
//
// Threads: config.threads I/O threads run the io_context. Each connection's
// stream is on its own strand, and a session's members are touched only by
// handlers on that strand (Deliver, OnServerStop and ForceClose, called from
// other threads, post to it). What sessions share is atomic, or locked:
// SessionRegistry under its mu_; ServerState's idle_mu only pairs idle_cv
// with the atomic `active` (a session that brings it to 0 notifies under it,
// so Stop cannot miss the wake-up). HttpServer's own calls (Start, Stop)
// come from the owner's thread.
#include "http/http_server.h"

#include "core/common/thread_annotations.h"
#include "http/address_slots.h"
#include "http/live_hub.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <optional>
#include <random>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

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
  ServerState(const HttpConfig& c, const Router& r)
      : config(c), router(r), slots(AddressSlots::Create(c.max_connections_per_address)) {}

  const HttpConfig config;
  const Router& router;
  const std::shared_ptr<AddressSlots> slots;  // connections per client address
  std::atomic<uint64_t> refused_by_address{0};
  std::shared_ptr<LiveHub> live_hub;  // set before Start; null: no live feed
  std::atomic<bool> stopping{false};
  std::atomic<size_t> active{0};
  std::atomic<size_t> refusing{0};
  Mutex idle_mu;    // guards no member: see idle_cv
  CondVar idle_cv;  // signalled, under idle_mu, when `active` drops to 0

  std::chrono::milliseconds read_timeout() const {
    return std::chrono::milliseconds(std::max(1, config.read_timeout_ms));
  }
  std::chrono::milliseconds idle_timeout() const {
    return std::chrono::milliseconds(std::max(1, config.idle_timeout_ms));
  }
};

// What Stop() needs of a session, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void OnServerStop() = 0;
  virtual void ForceClose() = 0;
};
using Session = SessionBase;

// Live sessions, so Stop() can reach them.
class SessionRegistry {
 public:
  void Add(Session* s, std::weak_ptr<Session> w) GOSLINE_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    sessions_.emplace(s, std::move(w));
  }
  void Remove(Session* s) GOSLINE_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    sessions_.erase(s);
  }
  std::vector<std::shared_ptr<Session>> Snapshot() GOSLINE_EXCLUDES(mu_) {
    std::vector<std::shared_ptr<Session>> out;
    MutexLock lock(mu_);
    for (auto& [_, weak] : sessions_) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  Mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_ GOSLINE_GUARDED_BY(mu_);
};

// A client of the live feed (live_hub.h): the HTTP session hands its stream
// over once GET /api/v1/live was authorised. Server to client only; what the
// client sends is read and dropped. Messages wait in a bounded queue; a client
// that lets it fill is disconnected rather than slowing anyone down.
template <class Stream>
class LiveSession : public SessionBase,
                    public LiveHub::Subscriber,
                    public std::enable_shared_from_this<LiveSession<Stream>> {
  using std::enable_shared_from_this<LiveSession<Stream>>::shared_from_this;
  using std::enable_shared_from_this<LiveSession<Stream>>::weak_from_this;

 public:
  LiveSession(ServerState& state, SessionRegistry& registry, Stream&& stream,
              std::vector<std::string> topics, std::shared_ptr<AddressSlots::Slot> slot)
      : ws_(std::move(stream)), state_(state), registry_(registry), hub_(state.live_hub),
        topics_(std::move(topics)), slot_(std::move(slot)) {
    state_.active.fetch_add(1);
  }

  ~LiveSession() override {
    if (id_) hub_->Unsubscribe(*id_);
    registry_.Remove(this);
    if (state_.active.fetch_sub(1) == 1) {
      MutexLock lock(state_.idle_mu);
      state_.idle_cv.NotifyAll();
    }
  }

  void Start(bhttp::request<bhttp::string_body> req) {
    registry_.Add(this, weak_from_this());
    upgrade_ = std::move(req);
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket timeouts take over
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = state_.read_timeout();
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;  // a vanished browser is noticed within a minute
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "gosline"); }));
    ws_.read_message_max(4096);
    ws_.async_accept(upgrade_, [self = shared_from_this()](beast::error_code ec) {
      self->OnAccepted(ec);
    });
  }

  void Deliver(std::shared_ptr<const std::string> message) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
      self->Enqueue(std::move(message));
    });
  }

  void OnServerStop() override {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closing_) return;
      if (self->writing_ || !self->open_) return self->Close();
      self->closing_ = true;
      self->ws_.async_close(websocket::close_code::going_away,
                            [self](beast::error_code) { self->Close(); });
    });
  }

  void ForceClose() override {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  void OnAccepted(beast::error_code ec) {
    if (ec) return Close();
    open_ = true;
    Result<uint64_t> id = hub_->Subscribe(topics_, weak_from_this());
    if (!id.ok()) {
      closing_ = true;
      ws_.async_close(websocket::close_code::try_again_later,
                      [self = shared_from_this()](beast::error_code) { self->Close(); });
      return;
    }
    id_ = *id;
    ReadNext();
  }

  void ReadNext() {
    ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();  // closed by the client, timeout, too large
      self->incoming_.consume(self->incoming_.size());
      self->ReadNext();
    });
  }

  void Enqueue(std::shared_ptr<const std::string> message) {
    if (closing_) return;
    if (queue_.size() >= hub_->options().max_queued_messages ||
        queued_bytes_ + message->size() > hub_->options().max_queued_bytes) {
      spdlog::warn("http: live client fell behind ({} messages queued); disconnected",
                   queue_.size());
      hub_->CountDropped();
      return Close();
    }
    queued_bytes_ += message->size();
    queue_.push_back(std::move(message));
    if (open_ && !writing_) WriteNext();
  }

  void WriteNext() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) return self->Close();
                      self->queued_bytes_ -= self->queue_.front()->size();
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closing_) self->WriteNext();
                    });
  }

  void Close() {
    closing_ = true;
    beast::error_code ec;
    auto& tcp = beast::get_lowest_layer(ws_);
    tcp.socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp.socket().close(ec);
  }

  websocket::stream<Stream> ws_;
  ServerState& state_;
  SessionRegistry& registry_;
  std::shared_ptr<LiveHub> hub_;
  std::vector<std::string> topics_;
  std::shared_ptr<AddressSlots::Slot> slot_;  // the connection's, from the HTTP session
  std::optional<uint64_t> id_;
  bhttp::request<bhttp::string_body> upgrade_;
  beast::flat_buffer incoming_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  size_t queued_bytes_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

template <class Stream>
class StreamSession : public SessionBase, public std::enable_shared_from_this<StreamSession<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<StreamSession<Stream>>::shared_from_this;
  using std::enable_shared_from_this<StreamSession<Stream>>::weak_from_this;

 public:
  // refuse: answer 503 at once and close (over the connection cap).
  // `stream_args`: the TLS context for TlsStream, nothing for PlainStream.
  template <class... StreamArgs>
  StreamSession(ServerState& state, SessionRegistry& registry, bool refuse,
                std::shared_ptr<AddressSlots::Slot> slot, tcp::socket&& socket,
                StreamArgs&... stream_args)
      : stream_(std::move(socket), stream_args...),
        executor_(stream_.get_executor()),
        state_(state),
        registry_(registry),
        refuse_(refuse),
        slot_(std::move(slot)) {
    if (refuse_) {
      state_.refusing.fetch_add(1);
    } else {
      state_.active.fetch_add(1);
    }
  }

  ~StreamSession() override {
    registry_.Remove(this);
    if (refuse_) {
      state_.refusing.fetch_sub(1);
    } else if (state_.active.fetch_sub(1) == 1) {
      MutexLock lock(state_.idle_mu);
      state_.idle_cv.NotifyAll();
    }
  }

  void Start() {
    registry_.Add(this, weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->Begin();
      }
    });
  }

  // From Stop(): idle connections close now; busy ones after their response.
  void OnServerStop() override {
    net::dispatch(executor_, [self = shared_from_this()] {
      if (self->phase_ == Phase::kIdle) self->Close();
    });
  }

  // executor_, not stream_'s: the stream may have moved to a LiveSession.
  void ForceClose() override {
    net::dispatch(executor_, [self = shared_from_this()] { self->Close(); });
  }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };

  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if (refuse_) {
      SendError(503, "unavailable", "too many connections; try again later");
    } else {
      AwaitRequest();
    }
  }

  // The TLS handshake shares the first request's deadline: a client that
  // opens a connection and never finishes the handshake is cut off.
  void Handshake() {
    if constexpr (kTls) {
      phase_ = Phase::kReading;
      Tcp().expires_after(state_.read_timeout());
      stream_.async_handshake(ssl::stream_base::server,
                              [self = shared_from_this()](beast::error_code ec) {
                                if (ec) {
                                  spdlog::info("http: TLS handshake failed: {}", ec.message());
                                  return self->Close();
                                }
                                self->Begin();
                              });
    }
  }

  void AwaitRequest() {
    if (state_.stopping.load()) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    phase_ = Phase::kIdle;
    Tcp().expires_after(first_request_ ? state_.read_timeout() : state_.idle_timeout());
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
    Tcp().expires_after(state_.read_timeout());
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
    const auto peer = Tcp().socket().remote_endpoint(peer_ec);
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
    if (out.status == 101) {  // GET /api/v1/live, authorised (live_hub.h)
      if (!state_.live_hub || state_.stopping.load()) {
        out = ErrorResponse(503, "unavailable", "the live feed is not available");
      } else if (!websocket::is_upgrade(req)) {
        out = ErrorResponse(400, "bad_request", "not a valid WebSocket upgrade request");
      } else {
        return HandOffToLive(std::move(req), out, in.request_id);
      }
    }
    Send(std::move(out), in.method_name, in.path, in.request_id,
         keep_alive && !state_.stopping.load(), req.version());
  }

  void HandOffToLive(bhttp::request<bhttp::string_body> req, const HttpResponse& out,
                     const std::string& request_id) {
    std::vector<std::string> topics;
    for (const auto& [name, value] : out.headers) {
      if (name != kLiveTopicsHeader) continue;
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t sp = rest.find(' ');
        if (sp != 0) topics.emplace_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
    }
    std::string names;
    for (const std::string& t : topics) names += (names.empty() ? "" : " ") + t;
    spdlog::info("http: GET {} 101 live topics '{}' id={}", kLivePath, names, request_id);
    phase_ = Phase::kClosing;
    handed_off_ = true;
    std::make_shared<LiveSession<Stream>>(state_, registry_, std::move(stream_), std::move(topics),
                                          slot_)
        ->Start(std::move(req));
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
    if constexpr (kTls) res.set(bhttp::field::strict_transport_security, "max-age=31536000");
    for (auto& [name, value] : out.headers) res.set(name, value);
    res.body() = std::move(out.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();

    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    spdlog::info("http: {} {} {} {:.1f}ms id={}", method, path.substr(0, 256), out.status,
                 method == "-" ? 0.0 : ms, request_id);

    Tcp().expires_after(state_.read_timeout());
    bhttp::async_write(stream_, res,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                         self->response_.reset();
                         if (ec) return self->Close();
                         if (!keep_alive || self->state_.stopping.load()) return self->Linger();
                         self->AwaitRequest();
                       });
  }

  // Half-close, then drain briefly (see kMaxLinger). TLS first says
  // close_notify; whatever the peer answers, the TCP half-close follows.
  void Linger() {
    phase_ = Phase::kClosing;
    Tcp().expires_after(std::min<Clock::duration>(kMaxLinger, state_.read_timeout()));
    if constexpr (kTls) {
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->HalfClose(); });
    } else {
      HalfClose();
    }
  }

  void HalfClose() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    Tcp().expires_after(std::min<Clock::duration>(kMaxLinger, state_.read_timeout()));
    DrainSome();
  }

  // Raw bytes below TLS: nothing is decrypted any more.
  void DrainSome() {
    Tcp().async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxLingerBytes) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    phase_ = Phase::kClosing;
    if (handed_off_) return;
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().socket().close(ec);
  }

  Stream stream_;
  typename Stream::executor_type executor_;
  bool handed_off_ = false;  // stream_ moved to a LiveSession
  ServerState& state_;
  SessionRegistry& registry_;
  const bool refuse_;
  const std::shared_ptr<AddressSlots::Slot> slot_;  // this connection's, given back with it
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
    const HttpConfig& c = state_.config;
    GOSLINE_RETURN_IF_ERROR(Listen(acceptor_, c.listen, c.port, "http.listen"));
    if (c.tls.enabled) {
      GOSLINE_RETURN_IF_ERROR(LoadTls(c.tls));
      Status st = Listen(tls_acceptor_, c.tls.listen.empty() ? c.listen : c.tls.listen,
                         c.tls.port, "http.tls.listen");
      if (!st.ok()) {
        beast::error_code ec;
        acceptor_.close(ec);
        return st;
      }
      tls_port_ = tls_acceptor_.local_endpoint().port();
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
    if (c.tls.enabled) {
      spdlog::info("http: HTTPS (TLS {}+) on {}:{} with {}", c.tls.min_version,
                   c.tls.listen.empty() ? c.listen : c.tls.listen, tls_port_, c.tls.cert_file);
    }

    Accept(acceptor_, false);
    if (c.tls.enabled) Accept(tls_acceptor_, true);
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
    net::post(tls_acceptor_.get_executor(), [this] {
      beast::error_code ec;
      tls_acceptor_.close(ec);
      tls_retry_timer_.cancel();
    });
    for (auto& s : registry_.Snapshot()) s->OnServerStop();
    WaitIdle(grace);
    for (auto& s : registry_.Snapshot()) s->ForceClose();
    WaitIdle(std::chrono::seconds(1));
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    spdlog::info("http: stopped");
  }

  void SetLiveHub(std::shared_ptr<LiveHub> hub) { state_.live_hub = std::move(hub); }
  uint16_t port() const { return port_; }
  uint16_t tls_port() const { return tls_port_; }
  size_t active() const { return state_.active.load(); }

 private:
  // Until no session is active, or `timeout`.
  void WaitIdle(std::chrono::milliseconds timeout) GOSLINE_EXCLUDES(state_.idle_mu) {
    MutexLock lock(state_.idle_mu);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (state_.active.load() != 0 && state_.idle_cv.WaitUntil(state_.idle_mu, deadline)) {
    }
  }

  Status Listen(tcp::acceptor& acceptor, const std::string& listen, uint16_t port,
                const char* field) {
    beast::error_code ec;
    auto address = net::ip::make_address(listen, ec);
    if (ec) return Status::InvalidArgument(std::string(field) + " is not an IP address: " + listen, field);
    tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Unavailable("cannot listen on " + listen + ":" + std::to_string(port) + ": " +
                                 ec.message());
    }
    return Status::Ok();
  }

  // TLS 1.2 or newer only, the server's cipher order, no renegotiation or
  // compression; a missing or mismatched certificate/key fails the start.
  Status LoadTls(const HttpTlsConfig& tls) {
    tls_ctx_.emplace(ssl::context::tls_server);
    SSL_CTX* ctx = tls_ctx_->native_handle();
    SSL_CTX_set_min_proto_version(ctx, tls.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5:!SHA1:!RSA");
    beast::error_code ec;
    tls_ctx_->use_certificate_chain_file(tls.cert_file, ec);
    if (ec) {
      return Status::InvalidArgument("http.tls.cert_file: cannot use " + tls.cert_file + ": " +
                                         ec.message(), "http.tls.cert_file");
    }
    tls_ctx_->use_private_key_file(tls.key_file, ssl::context::pem, ec);
    if (ec || SSL_CTX_check_private_key(ctx) != 1) {
      return Status::InvalidArgument("http.tls.key_file: cannot use " + tls.key_file +
                                         (ec ? ": " + ec.message() : ": does not match the certificate"),
                                     "http.tls.key_file");
    }
    return Status::Ok();
  }

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

  void Accept(tcp::acceptor& acceptor, bool tls) {
    acceptor.async_accept(net::make_strand(ioc_),
                          [this, &acceptor, tls](beast::error_code ec, tcp::socket socket) {
                            OnAccept(acceptor, tls, ec, std::move(socket));
                          });
  }

  void OnAccept(tcp::acceptor& acceptor, bool tls, beast::error_code ec, tcp::socket socket) {
    if (state_.stopping.load() || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      net::steady_timer& timer = tls ? tls_retry_timer_ : retry_timer_;
      timer.expires_after(std::chrono::milliseconds(100));
      timer.async_wait([this, &acceptor, tls](beast::error_code wec) {
        if (!wec && !state_.stopping.load()) Accept(acceptor, tls);
      });
      return;
    }
    beast::error_code opt_ec;
    // One host may hold only its share of the connections: beyond it the
    // socket is closed at once, before a byte is read or a handshake begun.
    const auto peer = socket.remote_endpoint(opt_ec);
    std::shared_ptr<AddressSlots::Slot> slot =
        opt_ec ? nullptr : state_.slots->TryTake(peer.address().to_string());
    if (!slot) {
      const uint64_t refused = state_.refused_by_address.fetch_add(1) + 1;
      if ((refused & (refused - 1)) == 0) {  // 1, 2, 4, 8...: the log cannot be flooded
        spdlog::warn("http: closed {} connection(s) beyond {} from one address (latest {})",
                     refused, state_.config.max_connections_per_address,
                     opt_ec ? std::string("unknown") : peer.address().to_string());
      }
      socket.close(opt_ec);
      return Accept(acceptor, tls);
    }
    socket.set_option(tcp::no_delay(true), opt_ec);
    bool refuse = state_.active.load() >= state_.config.max_connections;
    if (refuse && state_.refusing.load() >= kMaxRefusing) {
      socket.close(opt_ec);
    } else if (tls) {
      std::make_shared<StreamSession<TlsStream>>(state_, registry_, refuse, std::move(slot),
                                                 std::move(socket), *tls_ctx_)
          ->Start();
    } else {
      std::make_shared<StreamSession<PlainStream>>(state_, registry_, refuse, std::move(slot),
                                                   std::move(socket))
          ->Start();
    }
    Accept(acceptor, tls);
  }

  // Declaration order matters: ioc_ is destroyed before the state its
  // leftover handlers (sessions) refer to.
  ServerState state_;
  SessionRegistry registry_;
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
  tcp::acceptor acceptor_{net::make_strand(ioc_)};
  net::steady_timer retry_timer_{acceptor_.get_executor()};
  std::optional<ssl::context> tls_ctx_;  // set by Start() when http.tls.enabled
  tcp::acceptor tls_acceptor_{net::make_strand(ioc_)};
  net::steady_timer tls_retry_timer_{tls_acceptor_.get_executor()};
  uint16_t tls_port_ = 0;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

HttpServer::HttpServer(const HttpConfig& config, const Router& router)
    : impl_(std::make_unique<Impl>(config, router)) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::SetLiveHub(std::shared_ptr<LiveHub> hub) { impl_->SetLiveHub(std::move(hub)); }

Status HttpServer::Start() { return impl_->Start(); }

uint16_t HttpServer::port() const { return impl_->port(); }

uint16_t HttpServer::tls_port() const { return impl_->tls_port(); }

void HttpServer::Stop(std::chrono::milliseconds grace) { impl_->Stop(grace); }

size_t HttpServer::active_connections() const { return impl_->active(); }

}  // namespace gosline::http
