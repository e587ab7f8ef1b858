// A fixed set of read-only connections. In WAL mode readers never block the
// writer nor each other, so lookups keep their latency under a write load.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::vector<std::unique_ptr<SqliteConnection>> conns);

  // A connection on loan; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<SqliteConnection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqliteConnection& operator*() { return *conn_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<SqliteConnection> conn_;
  };

  // Waits until a connection is free.
  Lease Acquire();

 private:
  void Return(std::unique_ptr<SqliteConnection> conn);

  std::mutex mu_;
  std::condition_variable free_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> free_;
};

}  // namespace gosline::sqlite
