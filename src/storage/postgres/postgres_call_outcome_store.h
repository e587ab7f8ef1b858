// The contact centre's part of a call record (storage/call_outcome_store.h)
// on PostgreSQL: written onto the latest row telephony wrote for the same
// Call-ID, whichever node wrote it (R4). Each call is one transaction on a
// pooled connection. Thread-safe: calls from any thread run in parallel,
// each on its own leased connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/call_outcome_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresCallOutcomeStore final : public CallOutcomeStore {
 public:
  explicit PostgresCallOutcomeStore(std::shared_ptr<PostgresDatabase> db);

  Result<bool> Apply(const CallOutcome& o) override;
  Status InsertPlaceholder(const CallOutcome& o, const CallOutcomeCallInfo& info) override;
  Result<std::optional<CallOutcome>> Find(const std::string& call_id) override;
  Result<std::vector<CallOutcome>> FindByCase(const std::string& case_number) override;

 private:
  Result<std::vector<CallOutcome>> Query(const char* statement, const std::string& arg);

  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
