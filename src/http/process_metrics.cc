#include "http/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gosline::http {
namespace {

using Type = PrometheusText::Type;

// Fields of /proc/self/stat after the command name (which may hold spaces
// and parentheses, so the split starts after the last ')').
std::vector<std::string> StatFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;  // fields[0] is "state" (field 3 of proc(5))
}

std::optional<double> BootTime() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      if (in >> t) return t;
      return std::nullopt;
    }
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

}  // namespace

void WriteProcessMetrics(PrometheusText& out) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const std::vector<std::string> f = StatFields();
  // proc(5) numbering: utime 14, stime 15, num_threads 20, starttime 22,
  // rss 24; fields[0] is field 3.
  auto field = [&](size_t n) { return std::stod(f.at(n - 3)); };
  if (f.size() >= 22) {
    out.Family("process_cpu_seconds_total", Type::kCounter, "User and system CPU time spent.");
    out.Sample("process_cpu_seconds_total", (field(14) + field(15)) / ticks);
    out.Family("process_threads", Type::kGauge, "Threads of the process.");
    out.Sample("process_threads", field(20));
    out.Family("process_resident_memory_bytes", Type::kGauge, "Resident memory size.");
    out.Sample("process_resident_memory_bytes", field(24) * page);
    if (auto boot = BootTime()) {
      out.Family("process_start_time_seconds", Type::kGauge,
                 "Start time of the process since the Unix epoch.");
      out.Sample("process_start_time_seconds", *boot + field(22) / ticks);
    }
  }
  std::error_code ec;
  size_t fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++fds;
  }
  if (!ec) {
    out.Family("process_open_fds", Type::kGauge, "Open file descriptors.");
    out.Sample("process_open_fds", static_cast<double>(fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.Family("process_max_fds", Type::kGauge, "The file-descriptor limit (soft).");
    out.Sample("process_max_fds", static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace gosline::http
