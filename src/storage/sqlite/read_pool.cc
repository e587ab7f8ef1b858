#include "storage/sqlite/read_pool.h"

#include <utility>

namespace gosline::sqlite {

ReadPool::ReadPool(std::vector<std::unique_ptr<SqliteConnection>> conns)
    : free_(std::move(conns)) {}

ReadPool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

ReadPool::Lease ReadPool::Acquire() {
  MutexLock lock(mu_);
  while (free_.empty()) free_cv_.Wait(mu_);
  std::unique_ptr<SqliteConnection> conn = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(conn));
}

void ReadPool::Return(std::unique_ptr<SqliteConnection> conn) {
  {
    MutexLock lock(mu_);
    free_.push_back(std::move(conn));
  }
  free_cv_.NotifyOne();
}

}  // namespace gosline::sqlite
