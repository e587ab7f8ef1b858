// Unpredictable numbers for what an attacker must not guess (RTP ports,
// digest nonces): the operating system's CSPRNG through libsodium.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace gosline::telephony {

// Uniform in [0, upper_bound); 0 when upper_bound is 0.
uint32_t SecureRandomBelow(uint32_t upper_bound);

// Fills `out` with `size` random bytes (SRTP keys).
void SecureRandomBytes(uint8_t* out, size_t size);

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string SecureRandomHex(size_t bytes);

}  // namespace gosline::telephony
