#include "storage/sqlite/checkpointer.h"

#include <chrono>

namespace gosline::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<SqliteConnection> conn, int wal_pages)
    : conn_(std::move(conn)), wal_pages_(wal_pages < 1 ? 1 : wal_pages), thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyOne();
  thread_.join();
}

void Checkpointer::Attach(SqliteConnection& writer) {
  sqlite3_wal_hook(writer.handle(), &Checkpointer::WalHook, this);
}

uint64_t Checkpointer::checkpoints() {
  MutexLock lock(mu_);
  return checkpoints_;
}

// Runs in the committing thread, right after each commit: keep it cheap.
int Checkpointer::WalHook(void* self, sqlite3* /*db*/, const char* /*schema*/, int pages) {
  auto* cp = static_cast<Checkpointer*>(self);
  bool wake = false;
  {
    MutexLock lock(cp->mu_);
    wake = cp->pending_pages_ < cp->wal_pages_ && pages >= cp->wal_pages_;
    cp->pending_pages_ = pages;
  }
  if (wake) cp->cv_.NotifyOne();
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  // A connection that has not read the database has not opened its WAL yet,
  // and a checkpoint on it silently does nothing: read something first.
  bool wal_open = false;
  MutexLock lock(mu_);
  while (!stop_) {
    // Wake when the WAL is big enough, or after a quiet second with
    // anything in it, so an idle server's WAL is folded back too.
    const auto quiet = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!stop_ && pending_pages_ < wal_pages_) {
      if (!cv_.WaitUntil(mu_, quiet)) break;
    }
    const bool big = pending_pages_ >= wal_pages_;
    if (stop_) break;
    if (!big && pending_pages_ == 0) continue;
    pending_pages_ = 0;
    lock.Unlock();
    if (!wal_open) wal_open = conn_->QueryText("PRAGMA schema_version").ok();
    // PASSIVE: copy what no reader still needs, never wait for anyone.
    // A busy or failed attempt is simply retried on the next round.
    int wal_frames = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       &wal_frames, &copied);
    lock.Lock();
    if (rc == SQLITE_OK && copied > 0) ++checkpoints_;
  }
}

}  // namespace gosline::sqlite
