#include "security/recovery_codes.h"

#include "security/encoding.h"
#include "security/sha256.h"

namespace gosline::security {
namespace {

constexpr size_t kCodeBytes = 10;  // 80 bits -> 16 base32 characters
constexpr size_t kCodeChars = 16;
constexpr size_t kMaxTyped = 64;

// Lowercase base32 without separators, or nullopt.
std::optional<std::string> Normalise(std::string_view typed) {
  if (typed.size() > kMaxTyped) return std::nullopt;
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
    if (!ok) return std::nullopt;
    out += c;
  }
  if (out.size() != kCodeChars) return std::nullopt;
  return out;
}

}  // namespace

RecoveryCodes NewRecoveryCodes(size_t count) {
  RecoveryCodes rc;
  for (size_t i = 0; i < count; ++i) {
    std::string raw = Base32Encode(RandomBytes(kCodeBytes));
    std::string plain;
    for (size_t j = 0; j < raw.size(); ++j) {
      if (j > 0 && j % 4 == 0) plain += '-';
      char c = raw[j];
      plain += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    rc.hashes.push_back(*HashRecoveryCode(plain));
    rc.codes.push_back(std::move(plain));
  }
  return rc;
}

std::optional<std::string> HashRecoveryCode(std::string_view typed) {
  std::optional<std::string> norm = Normalise(typed);
  if (!norm) return std::nullopt;
  return Sha256Hex("gosline-recovery-v1:" + *norm);
}

std::optional<size_t> MatchRecoveryCode(std::string_view typed,
                                        const std::vector<std::string>& stored_hashes) {
  std::optional<std::string> hash = HashRecoveryCode(typed);
  if (!hash) return std::nullopt;
  std::optional<size_t> found;
  for (size_t i = 0; i < stored_hashes.size(); ++i) {
    if (ConstantTimeEquals(*hash, stored_hashes[i]) && !found) found = i;
  }
  return found;
}

}  // namespace gosline::security
