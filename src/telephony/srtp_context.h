// SRTP (RFC 3711) for one call leg with libsrtp2: our packets are encrypted
// and authenticated with our key, the peer's are checked and decrypted with
// theirs (SDES, RFC 4568). libsrtp keeps the replay window (128 packets): a
// packet seen before, or older than the window, is refused like a forged one.
//
// Threads: one context belongs to one RtpSession on the media thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/common/status.h"
#include "telephony/sdp_crypto.h"

namespace gosline::telephony {

// Room an SRTP packet needs beyond the RTP packet: the authentication tag
// (libsrtp may write up to its SRTP_MAX_TRAILER_LEN).
inline constexpr size_t kSrtpMaxTrailer = 16 + 128;

class SrtpContext {
 public:
  enum class Verdict { kOk, kAuthFailed, kReplayed, kMalformed };

  static Result<std::unique_ptr<SrtpContext>> Create(SrtpSuite suite, const SrtpKeySalt& send_key,
                                                     const SrtpKeySalt& receive_key);
  ~SrtpContext();
  SrtpContext(const SrtpContext&) = delete;
  SrtpContext& operator=(const SrtpContext&) = delete;

  // Encrypts the RTP packet in place and appends the tag: `*size` grows.
  // `capacity` must leave kSrtpMaxTrailer bytes beyond `*size`.
  bool Protect(uint8_t* packet, size_t* size, size_t capacity);
  // Checks and decrypts in place; on kOk `*size` shrinks to the RTP packet.
  Verdict Unprotect(uint8_t* packet, size_t* size);

 private:
  struct Sessions;
  explicit SrtpContext(std::unique_ptr<Sessions> sessions);
  std::unique_ptr<Sessions> sessions_;
};

}  // namespace gosline::telephony
