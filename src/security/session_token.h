// Session tokens (R19): 32 random bytes as base64url (43 characters), given
// to the browser (HttpOnly; Secure; SameSite=Strict cookie) or API client
// (Authorization: Bearer). The store keeps only the SHA-256 of the token, so
// a copy of the database cannot be replayed as live sessions. Expiry rules:
// core/security/session_expiry.h.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

struct IssuedToken {
  std::string token;  // to the client, once
  std::string hash;   // hex SHA-256: the store's lookup key
};

IssuedToken NewSessionToken();

// The lookup hash of a presented token. Unauthenticated for anything not
// shaped like a token (wrong length or alphabet), before any lookup.
Result<std::string> SessionTokenHash(std::string_view presented);

}  // namespace gosline::security
