#include "telephony/line_prober.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/common/system_clock.h"

namespace gosline::telephony {
namespace {

using namespace std::chrono_literals;

// A UDP "line" on 127.0.0.1 that answers each OPTIONS with the given
// replies (copying Via, Call-ID and CSeq as SIP does), or stays silent.
class FakeLine {
 public:
  explicit FakeLine(std::vector<std::string> status_lines) : replies_(std::move(status_lines)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeLine() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  std::string last_request() const { return last_; }

 private:
  static std::string Header(const std::string& m, const std::string& name) {
    const size_t at = m.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    const size_t from = at + 4 + name.size();
    return m.substr(from, m.find("\r\n", from) - from);
  }
  void Serve() {
    for (int rounds = 0; rounds < 100 && !stop_; ++rounds) {  // at most 10 s
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n <= 0) continue;
      last_ = std::string(buf, static_cast<size_t>(n));
      for (const std::string& status : replies_) {
        const std::string reply = "SIP/2.0 " + status + "\r\nVia: " + Header(last_, "Via") +
                                  "\r\nCall-ID: " + (status == "stray" ? "other" : Header(last_, "Call-ID")) +
                                  "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
      }
    }
  }

  std::vector<std::string> replies_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::string last_;
  std::thread thread_;
};

ProbeOptions To(uint16_t port) {
  ProbeOptions o;
  o.target = {"115", "127.0.0.1", port};
  o.node = "node-a";
  o.timeout = 1500ms;
  return o;
}

TEST(LineProberTest, A2xxIsUpAfterProvisionalAndStrayAnswers) {
  FakeLine line({"100 Trying", "200 OK"});
  SystemClock clock;
  const stats::ProbeResult r = ProbeOnce(To(line.port()), clock);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "200 OK");
  EXPECT_EQ(r.node, "node-a");
  const std::string req = line.last_request();
  EXPECT_EQ(req.rfind("OPTIONS sip:115@127.0.0.1:" + std::to_string(line.port()) + " SIP/2.0\r\n", 0), 0u);
  EXPECT_NE(req.find("\r\nCSeq: 1 OPTIONS\r\n"), std::string::npos);
  EXPECT_NE(req.find(";branch=z9hG4bK"), std::string::npos);
}

TEST(LineProberTest, AnErrorAnswerOrSilenceIsDown) {
  {
    FakeLine line({"503 Service Unavailable"});
    SystemClock clock;
    const stats::ProbeResult r = ProbeOnce(To(line.port()), clock);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.detail, "503 Service Unavailable");
  }
  {
    FakeLine line({"stray"});  // answers, but to another call
    SystemClock clock;
    ProbeOptions o = To(line.port());
    o.timeout = 300ms;
    const stats::ProbeResult r = ProbeOnce(o, clock);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.detail, "timeout");
  }
}

TEST(LineProberTest, RunsEveryIntervalUntilStopped) {
  FakeLine line({"200 OK"});
  SystemClock clock;
  ProbeOptions o = To(line.port());
  o.interval = 100ms;
  std::atomic<int> results{0}, ok{0};
  {
    LineProber prober(o, clock, [&](const stats::ProbeResult& r) {
      ++results;
      if (r.ok) ++ok;
    });
    prober.Start();
    for (int i = 0; i < 100 && results < 3; ++i) std::this_thread::sleep_for(50ms);
  }  // the destructor stops it
  const int after_stop = results;
  std::this_thread::sleep_for(250ms);
  EXPECT_GE(after_stop, 3);
  EXPECT_EQ(results, after_stop);
  EXPECT_EQ(ok, results);
}

TEST(LineProberTest, TargetsAreCheckedAsSipUris) {
  auto t = ParseProbeTarget("sip:115@10.77.0.2:5060");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->user, "115");
  EXPECT_EQ(t->host, "10.77.0.2");
  EXPECT_EQ(t->port, 5060);
  auto plain = ParseProbeTarget("sip:front.line.example");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 5060);
  for (const char* bad : {"115@1.2.3.4", "sip:", "sip:115@1.2.3.4:0", "sip:115@1.2.3.4:99999",
                          "sip:1 15@host", "sip:115@ho/st", "sip:115@host:5060;transport=tcp"}) {
    EXPECT_EQ(ParseProbeTarget(bad).status().field(), "cluster.probe_target") << bad;
  }
}

}  // namespace
}  // namespace gosline::telephony
