// The case registry on PostgreSQL, for several nodes sharing one database
// (R4, R11). Same contract as SqliteCaseStore: every write is one
// transaction and is acknowledged only after its COMMIT; case ids and
// numbers come from a counter row locked by the creating transaction, so
// they stay unique whichever node creates; Update is optimistic on the
// version, checked and bumped by one UPDATE (the row lock orders two nodes
// updating the same case). Thread-safe: each call runs on a connection of
// the database's pool, leased for that one transaction.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/case_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresCaseStore : public CaseStore {
 public:
  explicit PostgresCaseStore(std::shared_ptr<PostgresDatabase> db);

  Result<Case> Create(const Case& c) override;
  Status CreateBatch(std::vector<Case>& cases) override;
  Result<Case> GetByNumber(const std::string& number) override;
  Status Update(Case& c, int64_t expected_version) override;
  // Summary view (no history/links), like Search: open first, then newest.
  Result<std::vector<Case>> FindByPhone(const std::string& e164, int limit) override;
  Result<CasePage> Search(const CaseQuery& q) override;
  // One snapshot (REPEATABLE READ) for the whole walk; the visitor runs
  // inside it and must not call the store.
  Status ForEach(const std::function<bool(const Case&)>& visit) override;
  Status Ping() override;

 private:
  // The phone lookup values to match: the keyed hashes under every key, or
  // the phone itself in a clear database.
  Result<std::vector<std::string>> PhoneKeys(const std::string& phone) const;

  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
