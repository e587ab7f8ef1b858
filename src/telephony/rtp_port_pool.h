// RTP ports for calls: even ports of a configured range (RTCP would take the
// odd one above), each bound as a non-blocking UDP socket. Thread-safe: the
// SIP thread takes ports, the media thread gives them back.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "core/common/status.h"

namespace gosline::telephony {

struct BoundRtpSocket {
  int fd = -1;
  uint16_t port = 0;
};

class RtpPortPool {
 public:
  RtpPortPool(std::string address, uint16_t min_port, uint16_t max_port);

  // A free port picked at random (CSPRNG), never the next in order: a
  // stranger cannot predict the next call's port to send it media (R22).
  // ResourceExhausted when every port is in use or none can be bound.
  Result<BoundRtpSocket> Acquire();
  // Closes the socket and returns its port to the pool.
  void Release(BoundRtpSocket socket);
  size_t available() const;

 private:
  std::string address_;
  mutable std::mutex mu_;
  std::deque<uint16_t> free_;
};

}  // namespace gosline::telephony
