// Line probe results (storage/probe_store.h) in the node's database.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/probe_store.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteProbeStore final : public ProbeStore {
 public:
  static Result<std::unique_ptr<SqliteProbeStore>> Open(const std::string& path);
  ~SqliteProbeStore() override;

  Status Append(const stats::ProbeResult& probe) override;
  Result<std::vector<stats::ProbeResult>> Read(Time from, Time to, size_t max_rows) override;

 private:
  explicit SqliteProbeStore(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: the prober's thread appends, HTTP threads read; mu_ guards the
  // connection (one statement at a time).
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
