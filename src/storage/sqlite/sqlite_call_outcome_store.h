// The contact centre's part of a call record (issue 4; R13, R14, R30): the
// case the call was filed under, the operator, wait/talk/wrap-up times, the
// outcome and the recording, written onto the call_records row that
// telephony wrote for the same SIP Call-ID (migration 4).
//
// Telephony writes its row when the call ends, the centre writes when the
// call ends and again when wrap-up ends or the recording is saved, so either
// may come first: Apply reports whether a row was there to update, and the
// centre retries later; InsertPlaceholder keeps the outcome when telephony's
// row never comes. Writes are synchronous (the centre's worker thread).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/sqlite/row_cipher.h"

namespace gosline {

namespace sqlite {
class SqliteConnection;
}

struct CallOutcome {
  std::string call_id;       // SIP Call-ID: the call_records row it belongs to
  std::string linked_case;   // the case number the call was filed under (R14)
  std::string queue;
  std::string operator_id;   // the last operator who answered ("" = none)
  std::optional<Duration> wait;
  std::optional<Duration> talk;
  std::optional<Duration> wrap_up;
  std::string outcome;       // answered | abandoned | callback | no_operator
  std::string recording_path;
};

// What a placeholder row needs beyond the outcome (telephony's columns).
struct CallOutcomeCallInfo {
  std::string from;
  std::string dialled;
  std::string region;
  std::string language;
  std::string topic;
  std::string ivr_path;
  Time started{};
  Time ended{};
};

class SqliteCallOutcomeStore {
 public:
  // cipher: the stores' (row_cipher.h); a placeholder row's caller number is
  // sealed and hashed like telephony's rows (R22). Null keeps it in clear.
  static Result<std::unique_ptr<SqliteCallOutcomeStore>> Open(
      const std::string& path, std::shared_ptr<const sqlite::RowCipher> cipher = nullptr);
  ~SqliteCallOutcomeStore();
  SqliteCallOutcomeStore(const SqliteCallOutcomeStore&) = delete;
  SqliteCallOutcomeStore& operator=(const SqliteCallOutcomeStore&) = delete;

  // Sets the outcome on the latest row of `o.call_id`; false when there is none yet.
  Result<bool> Apply(const CallOutcome& o);
  // Writes a row of its own (telephony never wrote one).
  Status InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info);
  // The outcome on the latest row of `call_id`, nullopt when no row.
  Result<std::optional<CallOutcome>> Find(const std::string& call_id);
  // Every outcome filed under a case, oldest first.
  Result<std::vector<CallOutcome>> FindByCase(const std::string& case_number);

 private:
  SqliteCallOutcomeStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                         std::shared_ptr<const sqlite::RowCipher> cipher);
  Result<std::vector<CallOutcome>> Query(const std::string& where, const std::string& arg);

  // Threads: any; mu_ guards the connection (one statement at a time);
  // the cipher is immutable.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
  std::shared_ptr<const sqlite::RowCipher> cipher_;
};

}  // namespace gosline
