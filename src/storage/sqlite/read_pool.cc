#include "storage/sqlite/read_pool.h"

#include <utility>

namespace gosline::sqlite {

ReadPool::ReadPool(std::vector<std::unique_ptr<SqliteConnection>> conns)
    : free_(std::move(conns)) {}

ReadPool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

ReadPool::Lease ReadPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  free_cv_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<SqliteConnection> conn = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(conn));
}

void ReadPool::Return(std::unique_ptr<SqliteConnection> conn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(conn));
  }
  free_cv_.notify_one();
}

}  // namespace gosline::sqlite
