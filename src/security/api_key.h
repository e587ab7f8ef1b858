// API keys for integrations (R19, R20): "gsk_<id>_<secret>", shown once.
// The 12-character id is public and indexes the key row; the secret (32
// random bytes, base64url) is stored only as SHA-256. Scopes are kept with
// the row (core/security/api_scope.h) and checked per route.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/security/api_scope.h"

namespace gosline::security {

struct IssuedApiKey {
  std::string key;          // "gsk_<id>_<secret>": to the integrator, once
  std::string id;           // stored, indexed
  std::string secret_hash;  // stored: hex SHA-256 of the secret
  ScopeSet scopes;          // stored as scopes.ToString()
};

IssuedApiKey NewApiKey(ScopeSet scopes);

struct PresentedApiKey {
  std::string id;
  std::string secret;
};

// Splits a presented key; Unauthenticated for anything not shaped like one.
Result<PresentedApiKey> ParseApiKey(std::string_view presented);

// Whether the presented secret matches the stored hash (constant time).
bool ApiKeySecretMatches(const PresentedApiKey& key, std::string_view stored_secret_hash);

}  // namespace gosline::security
