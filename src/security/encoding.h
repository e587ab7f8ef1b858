// Text forms of binary secrets: hex (key files, stored hashes), base64url
// without padding (tokens), base32 without padding (TOTP secrets, RFC 4648),
// and a constant-time comparison for anything secret. Decoders are strict:
// any character outside the alphabet gives nullopt, never a partial result.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gosline::security {

std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Standard alphabet ('+', '/'), padding optional; for key material in files.
std::optional<std::string> Base64Decode(std::string_view text);

std::string Base32Encode(std::string_view bytes);
// Case-insensitive; spaces and '=' padding ignored (people type these).
std::optional<std::string> Base32Decode(std::string_view text);

// Constant time in the content (lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `n` bytes from the operating system's CSPRNG (libsodium).
std::string RandomBytes(size_t n);

}  // namespace gosline::security
