// The line's shared configuration (R4: several nodes behave as one line):
// every accepted edit of the live-editable areas is one numbered version, so
// every node can take the newest. Versions are numbered 1, 2, ... without
// gaps; a node appends the number after the newest it knows, so two nodes
// editing at once cannot both succeed (the second gets Conflict and its edit
// is refused, as a stale edit on one node is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct ConfigVersion {
  int64_t version = 0;
  std::string author;    // who made the edit ("user:ivanova")
  Time at{};
  std::string document;  // the editable areas, as the editor writes them (JSON text)
};

// Thread-safe.
class ConfigVersionStore {
 public:
  virtual ~ConfigVersionStore() = default;
  // Stores `v`; Conflict when v.version is already taken.
  virtual Status Append(const ConfigVersion& v) = 0;
  // The newest version, or nullopt when none was stored yet.
  virtual Result<std::optional<ConfigVersion>> Latest() = 0;
};

}  // namespace gosline
