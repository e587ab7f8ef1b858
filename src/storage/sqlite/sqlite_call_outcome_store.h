// Call outcomes (storage/call_outcome_store.h) in SQLite: written onto the
// call_records row that telephony wrote for the same SIP Call-ID
// (migration 4), through one connection under a lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/call_outcome_store.h"
#include "storage/row_cipher.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
}

class SqliteCallOutcomeStore final : public CallOutcomeStore {
 public:
  // cipher: the stores' (row_cipher.h); a placeholder row's caller number is
  // sealed and hashed like telephony's rows (R22). Null keeps it in clear.
  static Result<std::unique_ptr<SqliteCallOutcomeStore>> Open(
      const std::string& path, std::shared_ptr<const RowCipher> cipher = nullptr);
  ~SqliteCallOutcomeStore() override;
  SqliteCallOutcomeStore(const SqliteCallOutcomeStore&) = delete;
  SqliteCallOutcomeStore& operator=(const SqliteCallOutcomeStore&) = delete;

  Result<bool> Apply(const CallOutcome& o) override;
  Status InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) override;
  Result<std::optional<CallOutcome>> Find(const std::string& call_id) override;
  Result<std::vector<CallOutcome>> FindByCase(const std::string& case_number) override;

 private:
  SqliteCallOutcomeStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                         std::shared_ptr<const RowCipher> cipher);
  Result<std::vector<CallOutcome>> Query(const std::string& where, const std::string& arg);

  // Threads: any; mu_ guards the connection (one statement at a time);
  // the cipher is immutable.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
  std::shared_ptr<const RowCipher> cipher_;
};

}  // namespace gosline
