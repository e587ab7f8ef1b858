// Encryption at rest across the tables of the case database (R22): the key
// check at open, sealing rows written in clear before there was a key, and
// key rotation. Row layouts and contexts are those of case_rows.h and
// sqlite_call_record_store.cc; users' TOTP secrets are sealed by StaffAuth
// under "users.totp_secret:<login>".
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/common/status.h"
#include "storage/row_cipher.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::sqlite {

// Before migrations and before any row is read or written. A database with
// a key check needs a cipher whose key opens it: FailedPrecondition naming
// the key's source otherwise (no cipher: "opened without a data key").
// A database without one passes (plaintext so far, or a fresh file).
Status CheckDataKey(SqliteConnection& conn, const RowCipher* cipher);

// After migrations, with a cipher: stores the key check when missing and
// seals every row still in clear, `batch` rows per transaction (so a large
// registry is converted without holding the write lock for long; an
// interrupted conversion resumes at the next open). Returns rows sealed.
Result<int64_t> SealPlaintextRows(SqliteConnection& conn, const RowCipher& cipher, int batch);

struct RotationProgress {
  std::string table;    // "cases", "case_history", "call_records", "users"
  int64_t scanned = 0;  // rows looked at in this batch
  int64_t rotated = 0;  // of which re-encrypted under the active key
};

struct RotationTotals {
  int64_t scanned = 0;
  int64_t rotated = 0;
  int64_t failed = 0;  // rows that did not decrypt (left as they were)
};

// Re-encrypts every sealed value and phone hash under the cipher's active
// key, `batch` rows per transaction; each committed batch is reported. Safe
// to interrupt and run again: rows already under the active key are only
// read. The key check is renewed at the end, so the old key can then be
// removed from the key file. A row that does not decrypt is counted and
// left alone; the rotation goes on.
Result<RotationTotals> RotateDataKeys(SqliteConnection& conn, const RowCipher& cipher, int batch,
                                      const std::function<void(const RotationProgress&)>& progress);

// The associated data of a call record's sealed columns.
std::string CallRecordContext(std::string_view column, std::string_view call_id, int64_t started_ms);

}  // namespace gosline::sqlite
