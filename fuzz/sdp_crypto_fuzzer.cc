// The value of a caller's a=crypto attribute (RFC 4568, R22): SDES keys
// arrive in an INVITE from anyone who can reach the TLS port. Oracle: a
// parsed line renders to a line that parses back to the same tag, suite and
// key; a refusal always says why.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "telephony/sdp_crypto.h"

using namespace gosline::telephony;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gosline::Result<SdpCrypto> crypto = ParseSdpCrypto(text);
  if (!crypto.ok()) {
    FUZZ_CHECK(!crypto.status().message().empty());
    return 0;
  }
  const std::string line = RenderSdpCrypto(*crypto);
  gosline::Result<SdpCrypto> again = ParseSdpCrypto(line);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->tag == crypto->tag);
  FUZZ_CHECK(again->suite == crypto->suite);
  FUZZ_CHECK(again->key == crypto->key);
  return 0;
}
