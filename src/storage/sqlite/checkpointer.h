// Keeps WAL checkpoints off the commit path. By default SQLite checkpoints
// inside the commit that crosses 1000 WAL pages: that writer then copies the
// pages into the database file and fsyncs it, a stall of tens of ms every
// ~100 creates. Here the writer only signals (wal hook), and a background
// thread with its own connection runs PASSIVE checkpoints, which never block
// writers or readers. Durability is unchanged: a commit is durable once in
// the WAL; checkpoints only fold the WAL back into the main file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/common/status.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

class Checkpointer {
 public:
  // conn: a connection of its own on the same file, with the same
  // synchronous setting as the writer. wal_pages: checkpoint once the WAL
  // holds this many pages (and after a second of quiet in any case).
  Checkpointer(std::unique_ptr<SqliteConnection> conn, int wal_pages);
  ~Checkpointer();  // stops the thread; a last checkpoint runs on close
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over checkpointing for the writer connection (replaces SQLite's
  // automatic checkpoints with a signal to this thread).
  void Attach(SqliteConnection& writer);

  // Checkpoints so far that copied pages (for tests and monitoring).
  uint64_t checkpoints();

 private:
  static int WalHook(void* self, sqlite3* db, const char* schema, int pages);
  void Loop();

  std::unique_ptr<SqliteConnection> conn_;
  const int wal_pages_;
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_pages_ = 0;  // WAL size reported by the last commit
  bool stop_ = false;
  uint64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace gosline::sqlite
