// The citizens' channel's own rows (storage/citizen_channel_store.h) in the
// node's SQLite file.
#pragma once

#include <memory>
#include <string>

#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/citizen_channel_store.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteCitizenChannelStore final : public CitizenChannelStore {
 public:
  static Result<std::unique_ptr<SqliteCitizenChannelStore>> Open(const std::string& path);
  ~SqliteCitizenChannelStore() override;

  Status LinkCase(const std::string& account_key, const std::string& case_number, Time at) override;
  Result<std::vector<std::string>> CasesOf(const std::string& account_key, int limit) override;
  Status SaveCallContext(const CallContext& context, Time now) override;
  Result<std::optional<CallContext>> TakeCallContext(const std::string& code, Time now) override;

 private:
  explicit SqliteCitizenChannelStore(std::unique_ptr<sqlite::SqliteConnection> conn);

  // Threads: HTTP threads and the IVR's lookup worker; mu_ guards the connection.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
};

}  // namespace gosline
