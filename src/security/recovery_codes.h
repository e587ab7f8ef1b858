// One-time recovery codes (R19), for a member of staff who lost the phone
// with the authenticator. Ten are issued at enrolment, shown once, and stored
// as SHA-256 hashes; a used one is deleted by the caller.
//
// Each code holds 80 random bits (16 base32 characters), so a plain SHA-256
// is enough: a stolen table cannot be brute-forced back to codes, and a
// login checks ten hashes without ten argon2 runs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gosline::security {

struct RecoveryCodes {
  std::vector<std::string> codes;   // "abcd-efgh-ijkl-mnop": shown once
  std::vector<std::string> hashes;  // hex SHA-256 of each normalised code: stored
};

inline constexpr size_t kRecoveryCodeCount = 10;

RecoveryCodes NewRecoveryCodes(size_t count = kRecoveryCodeCount);

// The stored form of what a person typed: case, spaces and dashes ignored.
// nullopt when it cannot be a recovery code (wrong length or characters).
std::optional<std::string> HashRecoveryCode(std::string_view typed);

// Index into `stored_hashes` of the code typed, or nullopt. Every hash is
// compared, in constant time each.
std::optional<size_t> MatchRecoveryCode(std::string_view typed,
                                        const std::vector<std::string>& stored_hashes);

}  // namespace gosline::security
