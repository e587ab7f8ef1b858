#include "telephony/media_loop.h"

#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gosline::telephony {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

MediaLoop::~MediaLoop() { Stop(); }

Status MediaLoop::Start(TickHandler on_tick, bool realtime) {
  if (thread_.joinable()) return Status::FailedPrecondition("media loop already started");
  on_tick_ = std::move(on_tick);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  {
    MutexLock lock(mu_);
    wake_fd_ = wake_fd;
  }
  if (epoll_fd_ < 0 || timer_fd_ < 0 || wake_fd < 0) {
    return Status::Internal(std::string("media loop set-up failed: ") + std::strerror(errno));
  }
  itimerspec spec{};
  spec.it_interval.tv_nsec = std::chrono::nanoseconds(kTick).count();
  spec.it_value = spec.it_interval;
  timerfd_settime(timer_fd_, 0, &spec, nullptr);
  for (int fd : {timer_fd_, wake_fd}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
  if (realtime) {
    // A modest RT priority: above every normal process, below the kernel's
    // own RT threads; the loop blocks in epoll_wait between ticks, and the
    // kernel's RT throttling still leaves the rest of the machine 5%.
    sched_param param{};
    param.sched_priority = 10;
    realtime_ = pthread_setschedparam(thread_.native_handle(), SCHED_FIFO, &param) == 0;
  }
  return Status::Ok();
}

void MediaLoop::Stop() {
  if (thread_.joinable()) {
    stop_ = true;
    Post([] {});
    thread_.join();
    // The loop thread is gone: this thread finishes its work, so what was
    // posted last (releases of call resources, Unwatch) still runs.
    owner_.BecomeCurrentThread();
    RunTasks();
  }
  std::deque<std::function<void()>> late;  // posted after the stop: nothing will run them
  {
    MutexLock lock(mu_);
    if (wake_fd_ >= 0) close(wake_fd_);
    wake_fd_ = -1;
    late.swap(tasks_);
  }
  for (int* fd : {&epoll_fd_, &timer_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  watched_.clear();
  owner_.Clear();
}

void MediaLoop::Post(std::function<void()> task) {
  // Under the lock: Stop closes wake_fd_ under it, so a late Post (a case
  // lookup answering after the loop stopped) never writes to a reused fd.
  MutexLock lock(mu_);
  tasks_.push_back(std::move(task));
  const uint64_t one = 1;
  if (wake_fd_ >= 0) {
    [[maybe_unused]] ssize_t r = write(wake_fd_, &one, sizeof one);
  }
}

Status MediaLoop::Watch(int fd, std::function<void()> on_readable) {
  GOSLINE_ASSERT_ON_LOOP_THREAD(*this);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    return Status::Internal(std::string("epoll_ctl: ") + std::strerror(errno));
  }
  watched_[fd] = std::move(on_readable);
  return Status::Ok();
}

void MediaLoop::Unwatch(int fd) {
  GOSLINE_ASSERT_ON_LOOP_THREAD(*this);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  watched_.erase(fd);
}

void MediaLoop::RunTasks() {
  std::deque<std::function<void()>> batch;
  {
    MutexLock lock(mu_);
    uint64_t n;
    if (wake_fd_ >= 0) {
      [[maybe_unused]] ssize_t r = read(wake_fd_, &n, sizeof n);
    }
    batch.swap(tasks_);
  }
  for (auto& t : batch) t();
}

void MediaLoop::Run() {
  owner_.BecomeCurrentThread();
  int wake_fd;
  {
    MutexLock lock(mu_);
    wake_fd = wake_fd_;
  }
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  Clock::duration busy{};
  Clock::time_point window_start = Clock::now();
  double smoothed = 0;
  while (!stop_) {
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, 100);
    const Clock::time_point work_start = Clock::now();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == timer_fd_) {
        uint64_t ticks = 0;
        if (read(timer_fd_, &ticks, sizeof ticks) == sizeof ticks && ticks > 0) on_tick_(ticks);
      } else if (fd == wake_fd) {
        RunTasks();
      } else {
        // Looked up each time: an earlier callback in this batch may have unwatched it.
        auto it = watched_.find(fd);
        if (it != watched_.end()) it->second();
      }
    }
    const Clock::time_point now = Clock::now();
    busy += now - work_start;
    // Every ~200 ms: share of wall time spent working, smoothed over ~1 s.
    if (now - window_start >= std::chrono::milliseconds(200)) {
      const double share = std::chrono::duration<double>(busy).count() /
                           std::chrono::duration<double>(now - window_start).count();
      smoothed = smoothed * 0.8 + share * 0.2;
      busy_permille_.store(static_cast<uint32_t>(smoothed * 1000), std::memory_order_relaxed);
      overloaded_.store(smoothed > overload_share_, std::memory_order_relaxed);
      busy = {};
      window_start = now;
    }
  }
}

}  // namespace gosline::telephony
