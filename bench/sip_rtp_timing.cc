// RTP timing at the receiver: listens on one UDP port to
// which many calls send their RTP (sipp's load scenario writes this port into
// its SDP), tells the streams apart by SSRC, and measures each stream's
// packet intervals from kernel arrival timestamps (SO_TIMESTAMPNS), so a busy
// receiver does not distort them. Prints, once a second, the streams active
// and packets/s, and at the end the interval percentiles over every stream,
// the share within 20 ms +- 5 ms, sequence gaps and socket drops.
//   gosline_sip_rtp_timing --port 40000 --seconds 60
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

constexpr int64_t kBucketNs = 10'000;      // 10 us histogram buckets
constexpr size_t kBuckets = 100'000;       // up to 1 s
constexpr int kBatch = 128;

struct Stream {
  int64_t last_ns = 0;
  uint16_t last_seq = 0;
  uint64_t packets = 0;
};

int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);  // the clock SO_TIMESTAMPNS uses
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double Percentile(const std::vector<uint64_t>& hist, uint64_t total, double p) {
  if (total == 0) return 0;
  const uint64_t rank = static_cast<uint64_t>(p * double(total - 1)) + 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < hist.size(); ++i) {
    seen += hist[i];
    if (seen >= rank) return double(i) * kBucketNs / 1e6;
  }
  return double(hist.size()) * kBucketNs / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"RTP timing at the receiver: interval percentiles over many streams"};
  std::string address = "127.0.0.1";
  int port = 40000;
  double seconds = 60;
  double idle_exit = 3;
  app.add_option("--address", address);
  app.add_option("--port", port)->required();
  app.add_option("--seconds", seconds, "stop after this long");
  app.add_option("--idle-exit", idle_exit, "stop this long after the last packet");
  CLI11_PARSE(app, argc, argv);

  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 64 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  }
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    std::perror("bind");
    return 1;
  }
  std::printf("listening on %s:%d\n", address.c_str(), port);
  std::fflush(stdout);

  std::vector<uint64_t> hist(kBuckets + 1, 0);
  uint64_t intervals = 0, packets = 0, gaps = 0, within = 0;
  uint32_t kernel_drops = 0;
  int64_t max_interval_ns = 0;
  std::unordered_map<uint32_t, Stream> streams;
  size_t max_active = 0;

  std::vector<uint8_t> data(kBatch * 2048);
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  std::vector<std::array<char, 128>> ctrl(kBatch);

  const int64_t start = NowNs();
  int64_t last_packet = 0;
  int64_t next_report = start + 1'000'000'000;
  uint64_t packets_at_report = 0;
  while (true) {
    for (int i = 0; i < kBatch; ++i) {
      iov[i] = {data.data() + i * 2048, 2048};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = ctrl[i].data();
      msgs[i].msg_hdr.msg_controllen = ctrl[i].size();
    }
    // Polled every millisecond rather than woken per packet: a waiting reader
    // makes every sender pay for a wake-up, which is not what a phone on the
    // other side of a network costs the server. Arrival times come from the
    // kernel, so polling does not blur them.
    const int n = recvmmsg(fd, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    const int64_t now = NowNs();
    if (n <= 0) {
      timespec pause{0, 1'000'000};
      nanosleep(&pause, nullptr);
    }
    for (int i = 0; i < n; ++i) {
      const uint8_t* p = data.data() + i * 2048;
      if (msgs[i].msg_len < 12 || (p[0] >> 6) != 2) continue;
      int64_t at = now;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          at = int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          std::memcpy(&kernel_drops, CMSG_DATA(c), sizeof kernel_drops);
        }
      }
      const uint16_t seq = uint16_t(p[2] << 8 | p[3]);
      const uint32_t ssrc = uint32_t(p[8]) << 24 | uint32_t(p[9]) << 16 | uint32_t(p[10]) << 8 | p[11];
      Stream& s = streams[ssrc];
      if (s.packets > 0) {
        if (uint16_t(seq - s.last_seq) != 1) ++gaps;
        const int64_t d = at - s.last_ns;
        hist[std::min<size_t>(kBuckets, static_cast<size_t>(std::max<int64_t>(0, d) / kBucketNs))]++;
        ++intervals;
        if (d >= 15'000'000 && d <= 25'000'000) ++within;
        max_interval_ns = std::max(max_interval_ns, d);
      }
      s.last_ns = at;
      s.last_seq = seq;
      ++s.packets;
      ++packets;
      last_packet = now;
    }
    if (now >= next_report) {
      size_t active = 0;
      for (const auto& [ssrc, s] : streams) active += (now - s.last_ns) < 100'000'000 ? 1 : 0;
      max_active = std::max(max_active, active);
      std::printf("t=%.0fs active_streams=%zu packets/s=%llu\n", double(now - start) / 1e9, active,
                  static_cast<unsigned long long>(packets - packets_at_report));
      std::fflush(stdout);
      packets_at_report = packets;
      next_report += 1'000'000'000;
    }
    if (double(now - start) / 1e9 > seconds) break;
    if (last_packet != 0 && double(now - last_packet) / 1e9 > idle_exit) break;
  }
  std::printf(
      "RESULT streams=%zu max_active_streams=%zu packets=%llu intervals=%llu "
      "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f within_20pm5=%.3f%% "
      "seq_gaps=%llu socket_drops=%u\n",
      streams.size(), max_active, static_cast<unsigned long long>(packets),
      static_cast<unsigned long long>(intervals), Percentile(hist, intervals, 0.50),
      Percentile(hist, intervals, 0.90), Percentile(hist, intervals, 0.99),
      Percentile(hist, intervals, 0.999), double(max_interval_ns) / 1e6,
      intervals ? 100.0 * double(within) / double(intervals) : 0.0,
      static_cast<unsigned long long>(gaps), kernel_drops);
  close(fd);
  return 0;
}
