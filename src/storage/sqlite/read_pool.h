// A fixed set of read-only connections. In WAL mode readers never block the
// writer nor each other, so lookups keep their latency under a write load.
// Threads: any; mu_ guards the free connections (a leased one is its
// holder's alone).
#pragma once

#include <memory>
#include <vector>

#include "core/common/thread_annotations.h"
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

  Mutex mu_;
  CondVar free_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> free_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::sqlite
