#include "cli/file_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace gosline {

Result<FileLimit> RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::Internal(std::string("cannot read the open-file limit: ") + std::strerror(errno));
  }
  FileLimit out{limit.rlim_cur, limit.rlim_cur, limit.rlim_max};
  if (limit.rlim_cur == limit.rlim_max) return out;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::Internal("cannot raise the open-file limit from " + std::to_string(out.before) +
                            " to " + std::to_string(out.hard) + ": " + std::strerror(errno));
  }
  out.now = limit.rlim_cur;
  return out;
}

}  // namespace gosline
