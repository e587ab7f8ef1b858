// Keeps WAL checkpoints off the commit path. By default SQLite checkpoints
// inside the commit that crosses 1000 WAL pages: that writer then copies the
// pages into the database file and fsyncs it, a stall of tens of ms every
// ~100 creates. Here the writer only signals (wal hook), and a background
// thread with its own connection runs PASSIVE checkpoints, which never block
// writers or readers. Durability is unchanged: a commit is durable once in
// the WAL; checkpoints only fold the WAL back into the main file.
//
// Threads: the wal hook runs on the committing thread and only records the
// WAL size under mu_; the checkpoint thread (made by the constructor,
// joined by the destructor) owns conn_ and checkpoints without mu_.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
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
  void Loop() GOSLINE_EXCLUDES(mu_);

  std::unique_ptr<SqliteConnection> conn_;  // owned by the checkpoint thread
  const int wal_pages_;
  Mutex mu_;
  CondVar cv_;
  int pending_pages_ GOSLINE_GUARDED_BY(mu_) = 0;  // WAL size reported by the last commit
  bool stop_ GOSLINE_GUARDED_BY(mu_) = false;
  uint64_t checkpoints_ GOSLINE_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace gosline::sqlite
