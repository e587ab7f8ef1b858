// RTP ports for calls: even ports of a configured range (RTCP would take the
// odd one above), each bound as a non-blocking UDP socket. Thread-safe: the
// SIP thread takes ports, the media thread gives them back.
// Threads: any; mu_ guards free_ (held over Acquire's socket()/bind(), which
// do not block, so a taken port is never handed out twice).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"

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
  mutable Mutex mu_;
  std::deque<uint16_t> free_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::telephony
