// Citizens' consents (storage/consent_store.h) on PostgreSQL (R24): one row
// per decision, the phone sealed and found by keyed hash as with SQLite.
// Each call is one transaction on a pooled connection; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/consent_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresConsentStore final : public ConsentStore {
 public:
  explicit PostgresConsentStore(std::shared_ptr<PostgresDatabase> db);

  Result<Consent> Record(Consent consent) override;
  Result<std::vector<Consent>> ForPhone(const std::string& phone) override;
  Result<int64_t> DeleteForPhone(const std::string& phone) override;

 private:
  // The lookup values of a phone: its keyed hashes, or its E.164 form in clear.
  Result<std::vector<std::string>> Keys(const std::string& phone) const;

  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
