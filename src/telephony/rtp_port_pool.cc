#include "telephony/rtp_port_pool.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include "telephony/secure_random.h"

namespace gosline::telephony {

RtpPortPool::RtpPortPool(std::string address, uint16_t min_port, uint16_t max_port,
                         double operator_share)
    : address_(std::move(address)) {
  for (uint32_t p = min_port + (min_port % 2); p + 1 <= max_port; p += 2) {
    free_.push_back(static_cast<uint16_t>(p));
  }
  const size_t ports = free_.size();
  if (operator_share > 0 && ports >= 2) {
    const auto share = static_cast<size_t>(static_cast<double>(ports) * operator_share);
    operator_reserve_ = std::clamp<size_t>(share, 1, ports - 1);
  }
}

Result<BoundRtpSocket> RtpPortPool::Acquire() { return AcquireLeaving(0); }

Result<BoundRtpSocket> RtpPortPool::AcquireForCaller() {
  return AcquireLeaving(operator_reserve_);
}

Result<BoundRtpSocket> RtpPortPool::AcquireLeaving(size_t keep_free) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, address_.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("bad RTP address " + address_, "rtp_address");
  }
  MutexLock lock(mu_);
  if (free_.size() <= keep_free) {
    return Status::ResourceExhausted("every RTP port for callers is in use (" +
                                     std::to_string(keep_free) + " kept for operators' legs)");
  }
  // Try each free port once, in random order: free_[0, untried) are the ones
  // not tried yet. A port held by another process stays in the pool.
  for (size_t untried = free_.size(); untried > 0; --untried) {
    const size_t pick = SecureRandomBelow(static_cast<uint32_t>(untried));
    std::swap(free_[pick], free_[untried - 1]);
    const uint16_t port = free_[untried - 1];
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return Status::ResourceExhausted("cannot create RTP socket (file descriptors?)");
    addr.sin_port = htons(port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      std::swap(free_[untried - 1], free_.back());
      free_.pop_back();
      return BoundRtpSocket{fd, port};
    }
    close(fd);
  }
  return Status::ResourceExhausted("no free RTP port");
}

void RtpPortPool::Release(BoundRtpSocket socket) {
  if (socket.fd >= 0) close(socket.fd);
  MutexLock lock(mu_);
  free_.push_back(socket.port);
}

size_t RtpPortPool::available() const {
  MutexLock lock(mu_);
  return free_.size();
}

}  // namespace gosline::telephony
