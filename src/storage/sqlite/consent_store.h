// Citizens' consents (R24) in the case database: one row per decision, per
// phone and channel, with time, source and who recorded it. The phone is
// sealed and found by its keyed hash when the store has a cipher
// (row_cipher.h), like the cases'.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/sqlite/row_cipher.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

struct Consent {
  int64_t id = 0;
  std::string phone;    // E.164
  std::string channel;  // "call", "chat", "app", "callback", "sms", "email"
  bool granted = false;
  std::string source;   // how it was given: "ivr", "operator", "portal", "paper"
  std::string actor;    // who recorded it
  Time recorded_at{};
};

class SqliteConsentStore {
 public:
  static Result<std::unique_ptr<SqliteConsentStore>> Open(
      const std::string& path, std::shared_ptr<const sqlite::RowCipher> cipher = nullptr);
  ~SqliteConsentStore();

  // Returns the stored consent (with its id).
  Result<Consent> Record(Consent consent);
  // Every decision for the phone (any accepted form), oldest first.
  Result<std::vector<Consent>> ForPhone(const std::string& phone);
  // Deletes every decision for the phone; returns how many.
  Result<int64_t> DeleteForPhone(const std::string& phone);

 private:
  SqliteConsentStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                     std::shared_ptr<const sqlite::RowCipher> cipher);
  Result<std::vector<std::string>> Keys(const std::string& phone) const;

  // Threads: any; mu_ guards the connection (one statement at a time);
  // the cipher is immutable.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
  std::shared_ptr<const sqlite::RowCipher> cipher_;
};

}  // namespace gosline
