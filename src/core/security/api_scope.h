// Scopes of integration API keys (R19, R20): what an external system may do.
// A key carries only the scopes it was given; routes name the one they need.
// No wildcards: least privilege means every right is listed.
#pragma once

#include <array>
#include <set>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

// The vocabulary. A route that needs a new right adds it here.
inline constexpr std::array<std::string_view, 13> kKnownScopes = {
    "cases:read",     "cases:write",     "calls:read",    "callbacks:read",
    "callbacks:write", "status:read",    "chat:read",     "chat:write",
    "webhooks:manage", "export:read",    "import:write",  "reports:read",
    "metrics:read",
};

bool IsKnownScope(std::string_view scope);

class ScopeSet {
 public:
  // "cases:read cases:write" or "cases:read,cases:write"; at least one scope,
  // each from kKnownScopes. InvalidArgument (field "scopes") otherwise.
  static Result<ScopeSet> Parse(std::string_view text);

  bool Has(std::string_view scope) const { return scopes_.count(std::string(scope)) > 0; }
  const std::set<std::string>& scopes() const { return scopes_; }
  // Canonical form: sorted, space separated (what the store keeps).
  std::string ToString() const;

 private:
  std::set<std::string> scopes_;
};

}  // namespace gosline::security
