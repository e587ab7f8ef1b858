#include "telephony/sdp_crypto.h"

#include <vector>

namespace gosline::telephony {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  const size_t at = kBase64.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Strict RFC 4648 base64 with padding, as RFC 4568 writes key||salt.
std::optional<std::vector<uint8_t>> DecodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=') {
        // Padding only at the very end, and only in the last two places.
        if (i + 4 != text.size() || j < 2) return std::nullopt;
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                       (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<uint8_t>(n >> 16));
    if (pad < 2) out.push_back(static_cast<uint8_t>(n >> 8));
    if (pad < 1) out.push_back(static_cast<uint8_t>(n));
  }
  return out;
}

std::string EncodeBase64(const uint8_t* data, size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    const uint32_t n = (static_cast<uint32_t>(data[i]) << 16) |
                       (i + 1 < size ? static_cast<uint32_t>(data[i + 1]) << 8 : 0) |
                       (i + 2 < size ? static_cast<uint32_t>(data[i + 2]) : 0);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < size ? kBase64[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kBase64[n & 63] : '=';
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Splits at single spaces and tabs (RFC 4566 uses one space; tolerate more).
std::vector<std::string_view> Fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    size_t end = i;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

const char* SrtpSuiteName(SrtpSuite suite) {
  return suite == SrtpSuite::kAesCm128HmacSha1_32 ? "AES_CM_128_HMAC_SHA1_32"
                                                   : "AES_CM_128_HMAC_SHA1_80";
}

std::optional<SrtpSuite> SrtpSuiteFromName(std::string_view name) {
  if (name == "AES_CM_128_HMAC_SHA1_80") return SrtpSuite::kAesCm128HmacSha1_80;
  if (name == "AES_CM_128_HMAC_SHA1_32") return SrtpSuite::kAesCm128HmacSha1_32;
  return std::nullopt;
}

Result<SdpCrypto> ParseSdpCrypto(std::string_view value) {
  if (value.size() > 1024) return Status::InvalidArgument("crypto attribute too long");
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  const std::vector<std::string_view> fields = Fields(value);
  if (fields.size() < 3) {
    return Status::InvalidArgument("crypto attribute needs a tag, a suite and key parameters");
  }
  SdpCrypto out;
  if (!AllDigits(fields[0]) || fields[0].size() > 9) {
    return Status::InvalidArgument("crypto tag must be 1 to 9 digits");
  }
  out.tag = 0;
  for (char c : fields[0]) out.tag = out.tag * 10 + static_cast<uint32_t>(c - '0');
  std::optional<SrtpSuite> suite = SrtpSuiteFromName(fields[1]);
  if (!suite) return Status::NotFound("crypto suite " + std::string(fields[1]) + " not supported");
  out.suite = *suite;
  if (fields.size() > 3) {
    // KDR, UNENCRYPTED_SRTP, FEC_ORDER...: each changes what the keys
    // protect; we run libsrtp's defaults only, so such a line is skipped.
    return Status::NotFound("crypto session parameters not supported");
  }
  std::string_view key_params = fields[2];
  if (key_params.find(';') != std::string_view::npos) {
    return Status::NotFound("several crypto keys (MKI) not supported");
  }
  if (!key_params.starts_with("inline:")) {
    return Status::InvalidArgument("crypto key method must be inline:");
  }
  key_params.remove_prefix(7);
  const size_t bar = key_params.find('|');
  const std::string_view key_text = key_params.substr(0, bar);
  if (bar != std::string_view::npos) {
    // "|2^31" (lifetime) and/or "|1:4" (MKI): we would have to rekey or tag
    // packets with an MKI; neither is supported, the line is skipped.
    const std::string_view rest = key_params.substr(bar + 1);
    const bool mki = rest.find(':') != std::string_view::npos;
    return Status::NotFound(mki ? "crypto key MKI not supported" : "crypto key lifetime not supported");
  }
  std::optional<std::vector<uint8_t>> key = DecodeBase64(key_text);
  if (!key) return Status::InvalidArgument("crypto key is not base64");
  if (key->size() != kSrtpKeySaltSize) {
    return Status::InvalidArgument("crypto key||salt must be 30 bytes for " +
                                   std::string(SrtpSuiteName(out.suite)));
  }
  std::copy(key->begin(), key->end(), out.key.begin());
  return out;
}

std::string RenderSdpCrypto(const SdpCrypto& crypto) {
  return std::to_string(crypto.tag) + " " + SrtpSuiteName(crypto.suite) + " inline:" +
         EncodeBase64(crypto.key.data(), crypto.key.size());
}

}  // namespace gosline::telephony
