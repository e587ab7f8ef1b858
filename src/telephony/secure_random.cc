#include "telephony/secure_random.h"

#include <sodium.h>

#include <vector>

namespace gosline::telephony {
namespace {

// sodium_init is idempotent and thread-safe; randombytes works even if it
// reported a problem (the generator itself is the kernel's).
void EnsureSodium() {
  static const int ready = sodium_init();
  (void)ready;
}

}  // namespace

uint32_t SecureRandomBelow(uint32_t upper_bound) {
  if (upper_bound == 0) return 0;
  EnsureSodium();
  return randombytes_uniform(upper_bound);
}

void SecureRandomBytes(uint8_t* out, size_t size) {
  EnsureSodium();
  randombytes_buf(out, size);
}

std::string SecureRandomHex(size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();  // the terminating NUL sodium_bin2hex writes
  return hex;
}

}  // namespace gosline::telephony
