#include "core/security/api_scope.h"

namespace gosline::security {
namespace {
constexpr size_t kMaxScopesText = 1024;
}

bool IsKnownScope(std::string_view scope) {
  for (std::string_view known : kKnownScopes) {
    if (scope == known) return true;
  }
  return false;
}

Result<ScopeSet> ScopeSet::Parse(std::string_view text) {
  if (text.size() > kMaxScopesText) return Status::InvalidArgument("scopes list is too long", "scopes");
  ScopeSet set;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find_first_of(" ,", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    if (!item.empty()) {
      if (!IsKnownScope(item)) {
        // Echo only printable ASCII: the text may be hostile.
        std::string shown;
        for (char c : item.substr(0, 40)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
        return Status::InvalidArgument("unknown scope '" + shown + "'", "scopes");
      }
      set.scopes_.insert(std::string(item));
    }
    pos = end + 1;
  }
  if (set.scopes_.empty()) return Status::InvalidArgument("at least one scope is required", "scopes");
  return set;
}

std::string ScopeSet::ToString() const {
  std::string out;
  for (const std::string& s : scopes_) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace gosline::security
