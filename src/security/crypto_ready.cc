#include "security/crypto_ready.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <string>

namespace gosline::security {

Status EnsureCryptoReady() {
  // A function-local static is initialised once, thread-safely.
  static const Status ready = [] {
    if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
    int rc = oath_init();
    if (rc != OATH_OK) return Status::Internal(std::string("liboath: ") + oath_strerror(rc));
    return Status::Ok();
  }();
  return ready;
}

}  // namespace gosline::security
