// Where the audit log (R21) keeps its records: one hash chain, whatever the
// engine. The chain itself (what a record's hash covers, how a chain is
// verified) is security's (security/audit_record.h, audit_chain.h); an engine
// only keeps rows and the head, and serialises appends, so that every record
// chains to the one committed just before it, across threads, processes and,
// on PostgreSQL, across the nodes of one line (R4).
//
// Append-only: engines refuse to change or delete a stored record and to
// move the head anywhere but one record forward.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct AuditRecord {
  int64_t seq = 0;
  Time at{};
  std::string actor;
  std::string action;
  std::string object;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

// A (seq, hash) known to be in the chain: the log's head row, or a value
// printed by an earlier `gosline audit verify` and kept elsewhere.
struct AuditAnchor {
  int64_t seq = 0;
  std::string hash;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Gives a record its place: sets seq, prev_hash and hash of `record` (its
  // content set) after `head`, the last committed record (nullopt: none).
  using Chain = std::function<void(AuditRecord& record, const std::optional<AuditAnchor>& head)>;

  // Runs chain on record against the head read inside the append's
  // transaction, with every other append of the chain held off until this
  // one commits, then writes the record and moves the head. Returns once
  // the record is committed (durable), with record chained.
  virtual Status Append(AuditRecord& record, const Chain& chain) = 0;

  // Records with seq >= from_seq in seq order, at most `limit`.
  virtual Result<std::vector<AuditRecord>> Read(int64_t from_seq, size_t limit) = 0;
  // The head row; nullopt for an empty log (or one whose head row is gone).
  virtual Result<std::optional<AuditAnchor>> Head() = 0;

  // Every record in seq order, and the head, from one snapshot (appends
  // made meanwhile are not seen): head(...) first, then visit(record) per
  // record until it returns false. For verification, in constant memory.
  virtual Status Scan(const std::function<void(const std::optional<AuditAnchor>&)>& head,
                      const std::function<bool(const AuditRecord&)>& visit) = 0;
};

}  // namespace gosline
