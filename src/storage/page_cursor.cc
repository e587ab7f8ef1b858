#include "storage/page_cursor.h"

#include <charconv>
#include <optional>

namespace gosline {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (size_t rest = in.size() - i; rest > 0) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (rest == 2) v |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : in) {
    size_t v = kAlphabet.find(ch);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero, so each cursor has exactly one spelling.
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// Parses a decimal int64 that fills `text` exactly.
std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

Status Malformed() { return Status::InvalidArgument("malformed page cursor", "cursor"); }

}  // namespace

std::string EncodeCursor(const PageKey& key) {
  return Base64UrlEncode(std::to_string(key.open) + ":" + std::to_string(key.created_ms) + ":" +
                         std::to_string(key.id));
}

Result<PageKey> DecodeCursor(std::string_view cursor) {
  if (cursor.size() > 128) return Malformed();
  std::optional<std::string> text = Base64UrlDecode(cursor);
  if (!text) return Malformed();
  std::string_view rest = *text;
  std::optional<int64_t> parts[3];
  for (int i = 0; i < 3; ++i) {
    size_t colon = i < 2 ? rest.find(':') : rest.size();
    if (colon == std::string_view::npos) return Malformed();
    parts[i] = ParseInt(rest.substr(0, colon));
    if (!parts[i]) return Malformed();
    rest = i < 2 ? rest.substr(colon + 1) : std::string_view();
  }
  PageKey key{*parts[0], *parts[1], *parts[2]};
  if ((key.open != 0 && key.open != 1) || key.id <= 0) return Malformed();
  return key;
}

}  // namespace gosline
