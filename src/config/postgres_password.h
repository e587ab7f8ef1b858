// The PostgreSQL password of storage.postgres (R22: secrets kept out of the
// configuration and the logs). The connection string is logged, so it must
// not hold the password; the password lives in a file of its own that only
// its owner may read, like an ssh key. Used by the loader (check-config
// reports a bad file) and by the server when it connects.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline {

// The file's first line. FailedPrecondition when group or others may read
// it ("chmod 600"), NotFound/IoError when it cannot be read, InvalidArgument
// when it is empty.
Result<std::string> ReadPostgresPassword(const std::string& path);

// Whether a libpq connection string (key=value or postgresql:// URI)
// carries a password.
bool ConnInfoHasPassword(std::string_view conninfo);

}  // namespace gosline
