// The opaque search cursor: the sort key of the last case on a page. Pages
// are keyed, not offset, so cases added between two requests never shift
// the next page (no duplicates, no misses). Shared by the engines, so a
// cursor means the same on every node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline {

struct PageKey {
  int64_t open = 0;        // 1 when the case was open (phone searches sort open first)
  int64_t created_ms = 0;
  int64_t id = 0;
};

// Base64url (no padding) of "open:created_ms:id": opaque to clients, and
// parsed strictly when it comes back.
std::string EncodeCursor(const PageKey& key);
// InvalidArgument(field "cursor") for anything EncodeCursor did not produce.
Result<PageKey> DecodeCursor(std::string_view cursor);

}  // namespace gosline
