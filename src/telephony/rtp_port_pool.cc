#include "telephony/rtp_port_pool.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gosline::telephony {

RtpPortPool::RtpPortPool(std::string address, uint16_t min_port, uint16_t max_port)
    : address_(std::move(address)) {
  for (uint32_t p = min_port + (min_port % 2); p + 1 <= max_port; p += 2) {
    free_.push_back(static_cast<uint16_t>(p));
  }
}

Result<BoundRtpSocket> RtpPortPool::Acquire() {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, address_.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("bad RTP address " + address_, "rtp_address");
  }
  MutexLock lock(mu_);
  // Try each free port once: a port held by another process stays in rotation.
  for (size_t tries = free_.size(); tries > 0; --tries) {
    const uint16_t port = free_.front();
    free_.pop_front();
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      free_.push_back(port);
      return Status::ResourceExhausted("cannot create RTP socket (file descriptors?)");
    }
    addr.sin_port = htons(port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      return BoundRtpSocket{fd, port};
    }
    close(fd);
    free_.push_back(port);
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
