// The audit log's rows (storage/audit_store.h, R21) on PostgreSQL: one hash
// chain for every node of the line (R4). An append locks the head row
// (SELECT ... FOR UPDATE) in its transaction, so appends from every thread
// and node queue on that row: each one chains to the record committed just
// before it, and the chain has one order and no fork. The content fields are
// BYTEA, so a record keeps exactly the bytes its hash covers. Each call is
// one transaction on a pooled connection; thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "storage/audit_store.h"
#include "storage/postgres/postgres_database.h"

namespace gosline {

class PostgresAuditStore final : public AuditStore {
 public:
  explicit PostgresAuditStore(std::shared_ptr<PostgresDatabase> db);

  Status Append(AuditRecord& record, const Chain& chain) override;
  Result<std::vector<AuditRecord>> Read(int64_t from_seq, size_t limit) override;
  Result<std::optional<AuditAnchor>> Head() override;
  Status Scan(const std::function<void(const std::optional<AuditAnchor>&)>& head,
              const std::function<bool(const AuditRecord&)>& visit) override;

 private:
  const std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace gosline
