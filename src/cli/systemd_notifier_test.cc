#include "cli/systemd_notifier.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace gosline::cli {
namespace {

// The service manager's end: a unix datagram socket the test binds, as
// systemd binds NOTIFY_SOCKET.
class ManagerSocket {
 public:
  // `abstract`: in the abstract namespace ("@name"), as systemd may use.
  explicit ManagerSocket(bool abstract) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const std::string unique = "gosline-notify-" + std::to_string(getpid()) + "-" +
                               std::to_string(reinterpret_cast<uintptr_t>(this));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (abstract) {
      name_ = "@" + unique;
      std::memcpy(addr.sun_path + 1, unique.data(), unique.size());
    } else {
      path_ = (std::filesystem::temp_directory_path() / (unique + ".sock")).string();
      std::filesystem::remove(path_);
      name_ = path_;
      std::memcpy(addr.sun_path, path_.data(), path_.size());
    }
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
    bound_ = bind(fd_, reinterpret_cast<const sockaddr*>(&addr), len) == 0;
  }
  ~ManagerSocket() {
    close(fd_);
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  bool bound() const { return bound_; }
  const std::string& name() const { return name_; }

  // The next datagram; nullopt when none comes within the bound.
  std::optional<std::string> Receive(int timeout_ms = 5000) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    char buf[512];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
  std::string name_;
  std::string path_;
};

TEST(SystemdNotifierTest, ReadyAndStoppingReachTheManagerSocket) {
  ManagerSocket manager(/*abstract=*/false);
  ASSERT_TRUE(manager.bound());
  SystemdNotifier notifier(manager.name(), std::chrono::microseconds::zero());
  ASSERT_TRUE(notifier.enabled());
  ASSERT_TRUE(notifier.Ready("serving 2 numbers").ok());
  EXPECT_EQ(manager.Receive(), "READY=1\nSTATUS=serving 2 numbers");
  ASSERT_TRUE(notifier.Stopping("draining").ok());
  EXPECT_EQ(manager.Receive(), "STOPPING=1\nSTATUS=draining");
}

TEST(SystemdNotifierTest, AbstractNamespaceSocket) {
  ManagerSocket manager(/*abstract=*/true);
  ASSERT_TRUE(manager.bound());
  SystemdNotifier notifier(manager.name(), std::chrono::microseconds::zero());
  ASSERT_TRUE(notifier.Notify("READY=1").ok());
  EXPECT_EQ(manager.Receive(), "READY=1");
}

TEST(SystemdNotifierTest, WithoutASocketEverythingIsANoOp) {
  SystemdNotifier notifier("", std::chrono::seconds(1));
  EXPECT_FALSE(notifier.enabled());
  EXPECT_TRUE(notifier.Ready("x").ok());
  notifier.StartWatchdog([] { return true; });  // starts nothing
}

TEST(SystemdNotifierTest, ASocketNobodyListensOnIsAnError) {
  SystemdNotifier notifier("/nonexistent/gosline-notify.sock", std::chrono::microseconds::zero());
  EXPECT_FALSE(notifier.Notify("READY=1").ok());
  SystemdNotifier relative("relative/path", std::chrono::microseconds::zero());
  EXPECT_FALSE(relative.Notify("READY=1").ok());
}

TEST(SystemdNotifierTest, WatchdogPingsWhileAliveAndStopsWhenNot) {
  ManagerSocket manager(/*abstract=*/false);
  ASSERT_TRUE(manager.bound());
  std::atomic<bool> alive{true};
  std::atomic<int> asked{0};
  // Until the watchdog has asked `n` more times (bounded).
  auto await_asks = [&asked](int n) {
    const int target = asked.load() + n;
    for (int i = 0; i < 500 && asked.load() < target; ++i) usleep(10'000);
    return asked.load() >= target;
  };
  {
    SystemdNotifier notifier(manager.name(), std::chrono::milliseconds(100));
    notifier.StartWatchdog([&] {
      ++asked;
      return alive.load();
    });
    EXPECT_EQ(manager.Receive(), "WATCHDOG=1");
    EXPECT_EQ(manager.Receive(), "WATCHDOG=1");
    alive = false;
    // Two more asks: whatever the watchdog sent while still told "alive"
    // has been sent; empty the socket of it.
    ASSERT_TRUE(await_asks(2));
    while (manager.Receive(0)) {
    }
    ASSERT_TRUE(await_asks(2));
    EXPECT_EQ(manager.Receive(0), std::nullopt) << "a ping while the node does not answer";
  }
}

TEST(SystemdNotifierTest, FromEnvironmentHonoursWatchdogPid) {
  ManagerSocket manager(/*abstract=*/false);
  ASSERT_TRUE(manager.bound());
  setenv("NOTIFY_SOCKET", manager.name().c_str(), 1);
  setenv("WATCHDOG_USEC", "2000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EXPECT_EQ(SystemdNotifier::FromEnvironment()->watchdog(), std::chrono::seconds(2));
  setenv("WATCHDOG_PID", "1", 1);  // another process's watchdog
  EXPECT_EQ(SystemdNotifier::FromEnvironment()->watchdog(), std::chrono::microseconds::zero());
  unsetenv("WATCHDOG_PID");
  setenv("WATCHDOG_USEC", "soon", 1);
  EXPECT_EQ(SystemdNotifier::FromEnvironment()->watchdog(), std::chrono::microseconds::zero());
  EXPECT_TRUE(SystemdNotifier::FromEnvironment()->enabled());
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  EXPECT_FALSE(SystemdNotifier::FromEnvironment()->enabled());
}

}  // namespace
}  // namespace gosline::cli
