#include "storage/call_record_batcher.h"

#include <algorithm>
#include <string>
#include <utility>

namespace gosline {

CallRecordBatcher::CallRecordBatcher(Options opts, WriteBatch write_batch)
    : opts_{opts.max_queued, std::max<size_t>(1, opts.max_batch)},
      write_batch_(std::move(write_batch)) {
  writer_ = std::thread([this] { Run(); });
}

CallRecordBatcher::~CallRecordBatcher() {
  // Owners that must know call Close() first; rows lost here are counted in stats().failed.
  Close().IgnoreError();
}

Status CallRecordBatcher::Append(CallRecordRow row) {
  {
    MutexLock lock(mu_);
    if (stop_) return Status::FailedPrecondition("call record store is closed");
    if (queue_.size() >= opts_.max_queued) {
      return Status::ResourceExhausted("call record queue full (" +
                                       std::to_string(opts_.max_queued) + " rows unwritten)");
    }
    queue_.push_back(std::move(row));
    ++appended_;
  }
  work_cv_.NotifyOne();
  return Status::Ok();
}

Status CallRecordBatcher::Flush() {
  MutexLock lock(mu_);
  const uint64_t target = appended_;
  while (finished_ < target) done_cv_.Wait(mu_);
  Status st = first_error_;
  first_error_ = Status::Ok();
  return st;
}

Status CallRecordBatcher::Close() {
  {
    MutexLock lock(mu_);
    if (closed_) return Status::Ok();
    closed_ = true;
  }
  Status st = Flush();
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  work_cv_.NotifyOne();
  if (writer_.joinable()) writer_.join();
  return st;
}

void CallRecordBatcher::Run() {
  std::vector<CallRecordRow> batch;
  MutexLock lock(mu_);
  while (true) {
    while (!stop_ && queue_.empty()) work_cv_.Wait(mu_);
    if (queue_.empty()) break;  // stopping, and nothing left
    const size_t n = std::min(queue_.size(), opts_.max_batch);
    batch.clear();
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.Unlock();
    Status st = write_batch_(batch);
    lock.Lock();
    finished_ += n;
    ++stats_.batches;
    if (st.ok()) {
      stats_.written += n;
    } else {
      stats_.failed += n;
      if (first_error_.ok()) first_error_ = st;
    }
    done_cv_.NotifyAll();
  }
}

CallRecordStore::Stats CallRecordBatcher::stats() {
  MutexLock lock(mu_);
  return stats_;
}

}  // namespace gosline
