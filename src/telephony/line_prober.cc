#include "telephony/line_prober.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "telephony/secure_random.h"

namespace gosline::telephony {
namespace {

// Unguessable, so a forged answer cannot pass for the line's.
std::string RandomToken() { return SecureRandomHex(12); }

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The header's value in a SIP message (case-insensitive name, compact form
// accepted), or empty.
std::string HeaderValue(std::string_view message, std::string_view name, std::string_view compact) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t end = message.find("\r\n", pos);
    if (end == std::string_view::npos) end = message.size();
    const std::string_view line = message.substr(pos, end - pos);
    if (line.empty()) break;  // end of headers
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = line.substr(0, colon);
      while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
      auto equal = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i) {
          if (std::tolower(static_cast<unsigned char>(a[i])) !=
              std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
          }
        }
        return true;
      };
      if (equal(key, name) || equal(key, compact)) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        return std::string(value);
      }
    }
    pos = end + 2;
  }
  return {};
}

}  // namespace

Result<ProbeTarget> ParseProbeTarget(const std::string& uri) {
  auto bad = [&] {
    return Status::InvalidArgument("probe target must look like sip:115@10.0.0.1:5060, got \"" +
                                       uri + "\"",
                                   "cluster.probe_target");
  };
  if (uri.rfind("sip:", 0) != 0 || uri.size() > 200) return bad();
  std::string rest = uri.substr(4);
  ProbeTarget t;
  if (auto at = rest.find('@'); at != std::string::npos) {
    t.user = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  for (char c : t.user) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return bad();
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    const std::string port = rest.substr(colon + 1);
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
      return bad();
    }
    t.port = static_cast<uint16_t>(value);
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad();
  for (char c : rest) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return bad();
  }
  t.host = rest;
  return t;
}

stats::ProbeResult ProbeOnce(const ProbeOptions& o, const Clock& clock) {
  stats::ProbeResult r;
  r.at = clock.Now();
  r.node = o.node;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(o.target.port);
  if (getaddrinfo(o.target.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    r.detail = "cannot resolve " + o.target.host;
    return r;
  }
  Fd sock{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  const int connected = sock.fd < 0 ? -1 : ::connect(sock.fd, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  if (connected != 0) {
    r.detail = std::string("cannot reach the target: ") + std::strerror(errno);
    return r;
  }
  sockaddr_in local{};
  socklen_t len = sizeof local;
  ::getsockname(sock.fd, reinterpret_cast<sockaddr*>(&local), &len);
  char local_ip[INET_ADDRSTRLEN] = "0.0.0.0";
  inet_ntop(AF_INET, &local.sin_addr, local_ip, sizeof local_ip);
  const std::string call_id = RandomToken() + "@gosline-probe";
  const std::string target = "sip:" + (o.target.user.empty() ? "" : o.target.user + "@") +
                             o.target.host + ":" + port;
  const std::string request = fmt::format(
      "OPTIONS {} SIP/2.0\r\n"
      "Via: SIP/2.0/UDP {}:{};branch=z9hG4bK{};rport\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:probe@{}>;tag={}\r\n"
      "To: <{}>\r\n"
      "Call-ID: {}\r\n"
      "CSeq: 1 OPTIONS\r\n"
      "Contact: <sip:probe@{}:{}>\r\n"
      "User-Agent: gosline line probe ({})\r\n"
      "Accept: application/sdp\r\n"
      "Content-Length: 0\r\n\r\n",
      target, local_ip, ntohs(local.sin_port), RandomToken(), local_ip, RandomToken(), target,
      call_id, local_ip, ntohs(local.sin_port), o.node);
  if (::send(sock.fd, request.data(), request.size(), 0) < 0) {
    r.detail = std::string("cannot send: ") + std::strerror(errno);
    return r;
  }
  const auto deadline = std::chrono::steady_clock::now() + o.timeout;
  char buf[4096];
  // Provisional answers, strays and other calls' answers are skipped until
  // a final answer to this probe or the deadline.
  for (int datagrams = 0; datagrams < 64; ++datagrams) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{sock.fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(sock.fd, buf, sizeof buf, 0);
    if (n <= 0) {
      // ICMP port unreachable shows up here on a connected socket.
      r.detail = std::string("no answer: ") + (n < 0 ? std::strerror(errno) : "empty datagram");
      return r;
    }
    const std::string_view message(buf, static_cast<size_t>(n));
    if (message.rfind("SIP/2.0 ", 0) != 0 || message.size() < 12) continue;
    if (HeaderValue(message, "Call-ID", "i") != call_id) continue;
    int status = 0;
    auto [ptr, ec] = std::from_chars(message.data() + 8, message.data() + 11, status);
    if (ec != std::errc() || ptr != message.data() + 11 || status < 100 || status > 699) continue;
    if (status < 200) continue;
    const size_t eol = message.find("\r\n");
    r.detail = std::string(message.substr(8, std::min<size_t>(eol, 80) - 8));
    r.ok = status < 300;
    return r;
  }
  r.detail = "timeout";
  return r;
}

LineProber::LineProber(ProbeOptions options, const Clock& clock, Sink sink)
    : options_(std::move(options)), clock_(clock), sink_(std::move(sink)) {}

LineProber::~LineProber() { Stop(); }

void LineProber::Start() { thread_ = std::thread([this] { Run(); }); }

void LineProber::Stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

void LineProber::Run() {
  // The first probe soon after start, so a node shows in the report at once.
  auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (true) {
    {
      MutexLock lock(mu_);
      while (!stopping_ && std::chrono::steady_clock::now() < next) wake_.WaitUntil(mu_, next);
      if (stopping_) return;
    }
    sink_(ProbeOnce(options_, clock_));
    next += options_.interval;
    // After a stall (a suspended VM), probe now rather than catch up in a burst.
    if (next < std::chrono::steady_clock::now()) next = std::chrono::steady_clock::now();
  }
}

}  // namespace gosline::telephony
