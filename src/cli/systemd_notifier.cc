#include "cli/systemd_notifier.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gosline::cli {
namespace {

// The socket address NOTIFY_SOCKET names; false when it cannot be one.
bool AddressOf(const std::string& name, sockaddr_un& addr, socklen_t& len) {
  addr = {};
  addr.sun_family = AF_UNIX;
  if (name.empty() || name.size() >= sizeof addr.sun_path) return false;
  if (name[0] != '/' && name[0] != '@') return false;
  std::memcpy(addr.sun_path, name.data(), name.size());
  if (name[0] == '@') addr.sun_path[0] = '\0';  // the abstract namespace
  len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  return true;
}

std::chrono::microseconds WatchdogFromEnvironment() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (usec == nullptr) return std::chrono::microseconds::zero();
  if (const char* pid = std::getenv("WATCHDOG_PID")) {
    if (std::strtol(pid, nullptr, 10) != static_cast<long>(getpid())) {
      return std::chrono::microseconds::zero();  // meant for another process
    }
  }
  char* end = nullptr;
  const unsigned long long n = std::strtoull(usec, &end, 10);
  if (end == usec || *end != '\0') return std::chrono::microseconds::zero();
  return std::chrono::microseconds(n);
}

}  // namespace

std::unique_ptr<SystemdNotifier> SystemdNotifier::FromEnvironment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return std::make_unique<SystemdNotifier>(socket ? socket : "", WatchdogFromEnvironment());
}

SystemdNotifier::SystemdNotifier(std::string socket, std::chrono::microseconds watchdog)
    : socket_(std::move(socket)), watchdog_(watchdog) {
  if (socket_.empty()) return;
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

SystemdNotifier::~SystemdNotifier() {
  StopWatchdog();
  if (fd_ >= 0) close(fd_);
}

void SystemdNotifier::StopWatchdog() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  wake_.NotifyAll();
  if (watchdog_thread_.joinable()) watchdog_thread_.join();
}

Status SystemdNotifier::Notify(std::string_view state) {
  if (socket_.empty()) return Status::Ok();
  if (fd_ < 0) return Status::Unavailable("cannot make a socket for NOTIFY_SOCKET");
  sockaddr_un addr;
  socklen_t len = 0;
  if (!AddressOf(socket_, addr, len)) {
    return Status::InvalidArgument("NOTIFY_SOCKET is not a socket path: " + socket_);
  }
  const ssize_t sent = sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                              reinterpret_cast<const sockaddr*>(&addr), len);
  if (sent != static_cast<ssize_t>(state.size())) {
    return Status::Unavailable("NOTIFY_SOCKET " + socket_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status SystemdNotifier::Ready(std::string_view status_text) {
  return Notify("READY=1\nSTATUS=" + std::string(status_text));
}

Status SystemdNotifier::Stopping(std::string_view status_text) {
  return Notify("STOPPING=1\nSTATUS=" + std::string(status_text));
}

void SystemdNotifier::StartWatchdog(std::function<bool()> alive) {
  if (socket_.empty() || watchdog_ <= std::chrono::microseconds::zero()) return;
  if (watchdog_thread_.joinable()) return;
  watchdog_thread_ = std::thread([this, alive = std::move(alive)] { RunWatchdog(alive); });
}

void SystemdNotifier::RunWatchdog(std::function<bool()> alive) {
  // Half the interval, as sd_watchdog_enabled(3) advises: one late or lost
  // datagram does not get a working node killed.
  const auto period = watchdog_ / 2;
  MutexLock lock(mu_);
  while (!stop_) {
    wake_.WaitFor(mu_, period);
    if (stop_) break;
    lock.Unlock();
    if (alive()) Notify("WATCHDOG=1").IgnoreError();
    lock.Lock();
  }
}

}  // namespace gosline::cli
