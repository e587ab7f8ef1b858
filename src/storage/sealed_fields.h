// How every engine seals a personal-data column (R22; row_cipher.h): the
// associated data that binds a ciphertext to its table, column and row, so
// a value copied to another row or column does not decrypt. The engines
// must agree on these, so that data moved from one engine to another still
// opens under the same key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "storage/row_cipher.h"

namespace gosline {

inline bool IsSealedField(std::string_view value) {
  return value.substr(0, kSealedPrefix.size()) == kSealedPrefix;
}

// "cases.phone:42"
inline std::string SealedFieldContext(std::string_view column, int64_t row) {
  return std::string(column) + ":" + std::to_string(row);
}

// "case_history.detail:42.3"
inline std::string SealedHistoryContext(int64_t case_id, int64_t seq) {
  return "case_history.detail:" + std::to_string(case_id) + "." + std::to_string(seq);
}

// "call_records.caller_e164:<call id>@<start ms>"
inline std::string SealedCallRecordContext(std::string_view column, std::string_view call_id,
                                           int64_t started_ms) {
  return "call_records." + std::string(column) + ":" + std::string(call_id) + "@" +
         std::to_string(started_ms);
}

// cipher ? cipher->Seal(plain, context) : plain (a store without a key keeps clear text).
inline Result<std::string> SealFieldIf(const RowCipher* cipher, std::string_view plain,
                                       const std::string& context) {
  if (cipher == nullptr) return std::string(plain);
  return cipher->Seal(plain, context);
}

}  // namespace gosline
