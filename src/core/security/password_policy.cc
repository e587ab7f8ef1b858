#include "core/security/password_policy.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace gosline::security {
namespace {

// The most common passwords of 12+ characters in public breach corpora, and
// local ones (Russian keyboard walks, the service's own names). Compared
// without regard to ASCII case.
constexpr std::array<std::string_view, 40> kCommon = {
    "123456789012",     "1234567890123",    "12345678901234",   "123456789123",
    "111111111111",     "000000000000",     "123123123123",     "qwertyuiop12",
    "qwertyuiopas",     "qwerty123456",     "1q2w3e4r5t6y",     "1qaz2wsx3edc",
    "q1w2e3r4t5y6",     "zaq12wsxcde3",     "password1234",     "password123456",
    "passwordpassword", "password12345",    "iloveyou1234",     "administrator",
    "administrator1",   "adminadmin123",    "welcome12345",     "letmein12345",
    "changeme1234",     "qazwsxedcrfv",     "asdfghjkl123",     "zxcvbnm12345",
    "gosline12345",     "gosline123456",    "gosuslugi123",     "gosuslugi2024",
    "gosuslugi2025",    "gosuslugi2026",    "parol1234567",     "parolparol12",
    "йцукенгшщзхъ",     "пароль123456",     "парольпароль",     "qwertyqwerty",
};

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// UTF-8 code points: every byte that is not a continuation byte (10xxxxxx).
size_t CountChars(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

size_t CountDistinctChars(std::string_view s) {
  std::set<std::string_view> seen;
  size_t start = 0;
  for (size_t i = 1; i <= s.size(); ++i) {
    if (i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      seen.insert(s.substr(start, i - start));
      start = i;
    }
  }
  return seen.size();
}

}  // namespace

Status CheckPassword(std::string_view password, std::string_view login,
                     const PasswordPolicy& policy) {
  if (password.size() > policy.max_bytes) {
    return Status::InvalidArgument(
        "password is too long (at most " + std::to_string(policy.max_bytes) + " bytes)", "password");
  }
  if (CountChars(password) < policy.min_chars) {
    return Status::InvalidArgument(
        "password must be at least " + std::to_string(policy.min_chars) + " characters long",
        "password");
  }
  std::string lower = AsciiLower(password);
  if (!login.empty() && lower == AsciiLower(login)) {
    return Status::InvalidArgument("password must not be the login", "password");
  }
  if (CountDistinctChars(password) < policy.min_distinct) {
    return Status::InvalidArgument("password repeats too few different characters", "password");
  }
  for (std::string_view common : kCommon) {
    if (lower == common) {
      return Status::InvalidArgument("password is in the list of common passwords", "password");
    }
  }
  return Status::Ok();
}

}  // namespace gosline::security
