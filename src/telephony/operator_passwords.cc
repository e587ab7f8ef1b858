#include "telephony/operator_passwords.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace gosline::telephony {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::string RandomPassword() {
  static const char* kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[rd() % 56];
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseOperatorPasswords(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == line.size()) {
      return Status::InvalidArgument("operator passwords line " + std::to_string(n) +
                                     ": expected operator_id:password");
    }
    out[Trim(line.substr(0, colon))] = line.substr(colon + 1);
  }
  return out;
}

Result<std::map<std::string, std::string>> LoadOperatorPasswords(
    const std::string& path, const std::vector<std::string>& create_for) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !create_for.empty()) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    std::string text = "# operator_id:password (SIP digest); made on first start\n";
    for (const std::string& id : create_for) text += id + ":" + RandomPassword() + "\n";
    // O_EXCL: two servers starting at once never overwrite each other's file.
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      close(fd);
      if (!ok) return Status::IoError("cannot write " + path);
    } else if (errno != EEXIST) {
      return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
    }
  }
  std::ifstream f(path);
  if (!f) return Status::IoError("cannot read operator passwords " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ParseOperatorPasswords(ss.str());
}

}  // namespace gosline::telephony
