// The process's limit on open files, raised at start to what the system
// allows. Every HTTP connection, RTP port, SIP socket and database file is
// a descriptor; the usual soft limit (1024) would let a burst of
// connections starve calls and the database long before the configured
// caps (http.max_connections, telephony.max_calls) are reached.
#pragma once

#include <cstdint>

#include "core/common/status.h"

namespace gosline {

struct FileLimit {
  uint64_t before = 0;  // the soft limit found
  uint64_t now = 0;     // the soft limit in force (the hard limit when raised)
  uint64_t hard = 0;
};

// Raises RLIMIT_NOFILE's soft limit to its hard limit. An error only when the
// limits cannot be read or set; the process then runs with what it had.
Result<FileLimit> RaiseFileLimit();

}  // namespace gosline
