// Citizens' consents (storage/consent_store.h) in the case database: one
// row per decision. The phone is sealed and found by its keyed hash when the
// store has a cipher (row_cipher.h), like the cases'.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/common/thread_annotations.h"
#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/consent_store.h"
#include "storage/row_cipher.h"

namespace gosline::sqlite {
class SqliteConnection;
}

namespace gosline {

class SqliteConsentStore final : public ConsentStore {
 public:
  static Result<std::unique_ptr<SqliteConsentStore>> Open(
      const std::string& path, std::shared_ptr<const RowCipher> cipher = nullptr);
  ~SqliteConsentStore() override;

  Result<Consent> Record(Consent consent) override;
  Result<std::vector<Consent>> ForPhone(const std::string& phone) override;
  Result<int64_t> DeleteForPhone(const std::string& phone) override;

 private:
  SqliteConsentStore(std::unique_ptr<sqlite::SqliteConnection> conn,
                     std::shared_ptr<const RowCipher> cipher);
  Result<std::vector<std::string>> Keys(const std::string& phone) const;

  // Threads: any; mu_ guards the connection (one statement at a time);
  // the cipher is immutable.
  Mutex mu_;
  const std::unique_ptr<sqlite::SqliteConnection> conn_ GOSLINE_PT_GUARDED_BY(mu_);
  std::shared_ptr<const RowCipher> cipher_;
};

}  // namespace gosline
