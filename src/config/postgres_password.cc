#include "config/postgres_password.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>

namespace gosline {

Result<std::string> ReadPostgresPassword(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const int err = errno;
    std::string why = path + ": " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(why) : Status::IoError(why);
  }
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path + ": not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::FailedPrecondition(path + " may be read by group or others (mode " + mode +
                                      "); chmod 600 " + path);
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Status::InvalidArgument(path + ": empty");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::InvalidArgument(path + ": the first line is empty");
  return line;
}

bool ConnInfoHasPassword(std::string_view conninfo) {
  static const std::regex kKeyValue(R"((^|\s)password\s*=)", std::regex::icase);
  static const std::regex kUriUserInfo(R"(^postgres(ql)?://[^/@?]*:[^/@?]*@)", std::regex::icase);
  static const std::regex kUriParam(R"([?&]password=)", std::regex::icase);
  const std::string text(conninfo);
  return std::regex_search(text, kKeyValue) || std::regex_search(text, kUriUserInfo) ||
         std::regex_search(text, kUriParam);
}

}  // namespace gosline
