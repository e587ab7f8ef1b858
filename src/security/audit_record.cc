#include "security/audit_record.h"

#include "security/sha256.h"

namespace gosline::security {
namespace {

constexpr size_t kMaxActor = 128;
constexpr size_t kMaxAction = 64;
constexpr size_t kMaxObject = 256;
constexpr size_t kMaxDetail = 16 * 1024;

void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out.append(value.data(), value.size());
  out += '\n';
}

bool IsActionChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
         c == ':';
}

}  // namespace

Status ValidateAuditEntry(const AuditEntry& e) {
  if (e.actor.empty() || e.actor.size() > kMaxActor) {
    return Status::InvalidArgument("audit actor must be 1 to 128 bytes", "actor");
  }
  if (e.action.empty() || e.action.size() > kMaxAction) {
    return Status::InvalidArgument("audit action must be 1 to 64 bytes", "action");
  }
  for (char c : e.action) {
    if (!IsActionChar(c)) {
      return Status::InvalidArgument("audit action is lowercase letters, digits and . _ - :",
                                     "action");
    }
  }
  if (e.object.size() > kMaxObject) {
    return Status::InvalidArgument("audit object is at most 256 bytes", "object");
  }
  if (e.detail.size() > kMaxDetail) {
    return Status::InvalidArgument("audit detail is at most 16 KiB", "detail");
  }
  return Status::Ok();
}

std::string CanonicalAuditBytes(const AuditRecord& r) {
  std::string out = "gosline-audit-v1\n";
  AppendField(out, std::to_string(r.seq));
  AppendField(out, std::to_string(ToUnixMillis(r.at)));
  AppendField(out, r.actor);
  AppendField(out, r.action);
  AppendField(out, r.object);
  AppendField(out, r.detail);
  AppendField(out, r.prev_hash);
  return out;
}

std::string ComputeAuditHash(const AuditRecord& record) {
  return Sha256Hex(CanonicalAuditBytes(record));
}

}  // namespace gosline::security
