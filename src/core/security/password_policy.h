// Password rules for staff accounts (R19), checked when a password is set.
// Following NIST SP 800-63B: length over composition rules, and a refusal of
// passwords that attackers try first (common lists, repeats, the login).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

struct PasswordPolicy {
  size_t min_chars = 12;      // counted in characters (UTF-8 code points), not bytes
  size_t max_bytes = 1024;    // longer input is refused before any hashing (DoS)
  size_t min_distinct = 4;    // "aaaaaaaaaaaa", "121212121212" are not passwords
};

// Ok, or InvalidArgument (field "password") saying which rule failed. The
// message never echoes the password.
Status CheckPassword(std::string_view password, std::string_view login,
                     const PasswordPolicy& policy = {});

}  // namespace gosline::security
