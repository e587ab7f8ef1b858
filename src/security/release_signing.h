// The release key (R22, integrity of the installed software): an Ed25519 key
// pair (libsodium crypto_sign) whose secret half signs the release manifest
// and whose public half every installation checks it with. Files hold hex
// text: the public key 64 digits, the secret key 128 (mode 0600, directory
// 0700), the signature 128; each on one line.
//
// The secret key never ships: a distributor generates it once, keeps it off
// the servers, and signs each build's manifest; servers get the public key.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

inline constexpr std::string_view kReleasePublicKeyFile = "release.pub";
inline constexpr std::string_view kReleaseSecretKeyFile = "release.key";

// Creates dir/release.key and dir/release.pub with a fresh pair unless
// release.key exists already; returns whether it created them.
Result<bool> CreateReleaseKeyPairIfMissing(const std::string& dir);

// The raw key (32 bytes public, 64 secret) from its file. A secret key file
// readable by others is refused.
Result<std::string> ReadReleasePublicKey(const std::string& path);
Result<std::string> ReadReleaseSecretKey(const std::string& path);

// The detached signature of `message` as one line of hex.
Result<std::string> SignRelease(std::string_view message, std::string_view secret_key);

// Ok when `signature_hex` is a valid signature of `message` by the key;
// PermissionDenied otherwise (a wrong key, an altered message or signature).
Status VerifyRelease(std::string_view message, std::string_view signature_hex,
                     std::string_view public_key);

}  // namespace gosline::security
