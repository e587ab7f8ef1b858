// RTP ports for calls: even ports of a configured range (RTCP would take the
// odd one above), each bound as a non-blocking UDP socket. Thread-safe: the
// SIP thread takes ports, the media thread gives them back.
//
// A share of the pool is kept for operators' legs (R8): callers take ports
// only while more than that many are free, so at full load from callers an
// operator can still be rung and the waiting calls answered.
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
  // `operator_share` of the ports (at least one once there are two, never
  // all) is kept for operators' legs.
  RtpPortPool(std::string address, uint16_t min_port, uint16_t max_port,
              double operator_share = 0);

  // A free port picked at random (CSPRNG), never the next in order: a
  // stranger cannot predict the next call's port to send it media (R22).
  // ResourceExhausted when every port is in use or none can be bound.
  // Operators' legs take any free port, the reserve included.
  Result<BoundRtpSocket> Acquire();
  // The same for a caller's leg, which leaves the reserve alone.
  Result<BoundRtpSocket> AcquireForCaller();
  // Closes the socket and returns its port to the pool.
  void Release(BoundRtpSocket socket);
  size_t available() const;
  size_t operator_reserve() const { return operator_reserve_; }

 private:
  Result<BoundRtpSocket> AcquireLeaving(size_t keep_free);

  std::string address_;
  size_t operator_reserve_ = 0;  // set once by the constructor
  mutable Mutex mu_;
  std::deque<uint16_t> free_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::telephony
