// The bounded pool that runs password hashing off the HTTP threads (R19).
#include "security/hashing_workers.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "security/password_hasher.h"

namespace gosline::security {
namespace {

// Holds jobs until opened: lets a test fill the pool without timing.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void AwaitWaiting(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return waiting_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

TEST(HashingWorkersTest, RunsJobsAndRefusesAtOnceBeyondWorkersAndWaiting) {
  HashingWorkers pool(1, 1);
  Gate gate;
  std::thread running([&] { EXPECT_TRUE(pool.Run([&] { gate.Wait(); }).ok()); });
  gate.AwaitWaiting(1);  // the worker is busy
  std::atomic<bool> queued_ran{false};
  std::thread waiting([&] { EXPECT_TRUE(pool.Run([&] { queued_ran = true; }).ok()); });
  for (int i = 0; i < 5000 && pool.in_flight() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(pool.in_flight(), 2u);
  // Full: refused without running.
  bool ran = false;
  Status refused = pool.Run([&] { ran = true; });
  EXPECT_EQ(refused.code(), Status::Code::kUnavailable);
  EXPECT_FALSE(ran);
  gate.Open();
  running.join();
  waiting.join();
  EXPECT_TRUE(queued_ran);
  EXPECT_EQ(pool.in_flight(), 0u);
  EXPECT_TRUE(pool.Run([&] { ran = true; }).ok());
  EXPECT_TRUE(ran);
}

TEST(HashingWorkersTest, PasswordHasherOnAFullPoolSaysUnavailable) {
  auto pool = std::make_shared<HashingWorkers>(1, 0);
  PasswordHasher hasher(PasswordHashLimits::Minimum(), pool);
  Result<std::string> hash = hasher.Hash("a long enough password");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(*hasher.Verify(*hash, "a long enough password"));
  EXPECT_FALSE(*hasher.Verify(*hash, "another password"));

  Gate gate;
  std::thread busy([&] { EXPECT_TRUE(pool->Run([&] { gate.Wait(); }).ok()); });
  gate.AwaitWaiting(1);
  EXPECT_EQ(hasher.Verify(*hash, "a long enough password").status().code(),
            Status::Code::kUnavailable);
  EXPECT_EQ(hasher.Hash("x").status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(hasher.VerifyDummy("x").code(), Status::Code::kUnavailable);
  gate.Open();
  busy.join();
  EXPECT_TRUE(hasher.VerifyDummy("x").ok());
}

}  // namespace
}  // namespace gosline::security
