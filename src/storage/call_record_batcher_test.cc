#include "storage/call_record_batcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/common/thread_annotations.h"

namespace gosline {
namespace {

CallRecordRow Row(const std::string& call_id) {
  CallRecordRow r;
  r.call_id = call_id;
  return r;
}

// An engine's batch write that keeps what it was given, and fails batches
// holding a row named "bad" (a whole batch is all or none).
class RecordingEngine {
 public:
  CallRecordBatcher::WriteBatch Writer() {
    return [this](const std::vector<CallRecordRow>& rows) -> Status {
      MutexLock lock(mu_);
      batch_sizes_.push_back(rows.size());
      for (const CallRecordRow& r : rows) {
        if (r.call_id == "bad") return Status::IoError("disk full");
      }
      for (const CallRecordRow& r : rows) written_.push_back(r.call_id);
      return Status::Ok();
    };
  }
  std::vector<std::string> written() {
    MutexLock lock(mu_);
    return written_;
  }
  std::vector<size_t> batch_sizes() {
    MutexLock lock(mu_);
    return batch_sizes_;
  }

 private:
  Mutex mu_;
  std::vector<std::string> written_ GOSLINE_GUARDED_BY(mu_);
  std::vector<size_t> batch_sizes_ GOSLINE_GUARDED_BY(mu_);
};

TEST(CallRecordBatcherTest, RowsAreWrittenInOrderInBatchesOfAtMostMaxBatch) {
  RecordingEngine engine;
  CallRecordBatcher batcher({100, 3}, engine.Writer());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(batcher.Append(Row("c" + std::to_string(i))).ok());
  ASSERT_TRUE(batcher.Flush().ok());
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back("c" + std::to_string(i));
  EXPECT_EQ(engine.written(), expected);
  for (size_t n : engine.batch_sizes()) EXPECT_LE(n, 3u);
  CallRecordStore::Stats stats = batcher.stats();
  EXPECT_EQ(stats.written, 10u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.batches, engine.batch_sizes().size());
}

TEST(CallRecordBatcherTest, AFailedBatchIsCountedAndReportedOnceByFlush) {
  RecordingEngine engine;
  CallRecordBatcher batcher({100, 1}, engine.Writer());
  ASSERT_TRUE(batcher.Append(Row("bad")).ok());
  ASSERT_TRUE(batcher.Append(Row("good")).ok());
  Status st = batcher.Flush();
  EXPECT_EQ(st.code(), Status::Code::kIoError);
  EXPECT_TRUE(batcher.Flush().ok());  // reported once
  EXPECT_EQ(engine.written(), std::vector<std::string>{"good"});
  EXPECT_EQ(batcher.stats().failed, 1u);
  EXPECT_EQ(batcher.stats().written, 1u);
}

TEST(CallRecordBatcherTest, CloseWritesWhatIsQueuedThenRefusesMore) {
  RecordingEngine engine;
  CallRecordBatcher batcher({100, 1000}, engine.Writer());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(batcher.Append(Row("c" + std::to_string(i))).ok());
  ASSERT_TRUE(batcher.Close().ok());
  EXPECT_EQ(engine.written().size(), 5u);
  EXPECT_EQ(batcher.Append(Row("late")).code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(batcher.Close().ok());  // idempotent
}

TEST(CallRecordBatcherTest, AFullQueueRefusesInsteadOfGrowing) {
  Mutex gate;
  CondVar opened;
  bool open = false;
  // The first batch waits until the test opens the gate, so rows pile up.
  CallRecordBatcher batcher({2, 1}, [&](const std::vector<CallRecordRow>&) -> Status {
    MutexLock lock(gate);
    for (int i = 0; i < 1000 && !open; ++i) opened.Wait(gate);
    return Status::Ok();
  });
  Status last;
  // Bounded: the queue holds 2, the writer at most 1 more.
  for (int i = 0; i < 10 && last.ok(); ++i) last = batcher.Append(Row("c" + std::to_string(i)));
  EXPECT_EQ(last.code(), Status::Code::kResourceExhausted);
  {
    MutexLock lock(gate);
    open = true;
  }
  opened.NotifyAll();
  EXPECT_TRUE(batcher.Close().ok());
}

}  // namespace
}  // namespace gosline
