// SHA-256 (libsodium), for tokens, recovery codes and the audit chain.
#pragma once

#include <string>
#include <string_view>

namespace gosline::security {

std::string Sha256(std::string_view data);     // 32 raw bytes
std::string Sha256Hex(std::string_view data);  // 64 lowercase hex digits

}  // namespace gosline::security
