// One record of the audit log (R21) and its place in the hash chain:
//   hash = SHA-256(canonical(seq, at, actor, action, object, detail, prev_hash))
// where prev_hash is the previous record's hash (64 zeros before the first).
// The canonical form length-prefixes every field, so no two different
// records serialise alike whatever bytes the fields hold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "core/common/time.h"
#include "storage/audit_store.h"

namespace gosline::security {

// What a caller records; seq, hashes and (optionally) time are added by the log.
struct AuditEntry {
  std::string actor;   // "user:ivanova", "apikey:abcd...", "system:retention"
  std::string action;  // "login.failed", "case.read", "recording.play", "config.change"
  std::string object;  // "case:2025-000123", "user:petrov"; never a phone number
  std::string detail;  // free text or JSON; no personal data in clear
};

// Stored as the audit store keeps it (storage/audit_store.h).
using ::gosline::AuditRecord;

inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Size and character limits; InvalidArgument naming the field.
Status ValidateAuditEntry(const AuditEntry& entry);

std::string CanonicalAuditBytes(const AuditRecord& record);
std::string ComputeAuditHash(const AuditRecord& record);

}  // namespace gosline::security
