// A citizen's deletion request (R24) carried out in the registry: everything
// held about a phone, in one transaction: the personal data of its cases
// that are done (what they keep: retention_store.h), its call records and
// consents. Open cases, and the request's own case, keep theirs until they
// close (then retention applies). One interface for every engine.
//
// Thread-safety: EraseCitizen may be called from any thread; calls are
// serialised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace gosline {

struct CitizenErasure {
  std::vector<std::string> cases_erased;  // case numbers
  std::vector<std::string> cases_kept;    // open: numbers
  int64_t call_records_deleted = 0;
  int64_t consents_deleted = 0;
};

class CitizenErasureStore {
 public:
  virtual ~CitizenErasureStore() = default;

  // keep_case_id: the request's own case (its id in the store), left as is.
  virtual Result<CitizenErasure> EraseCitizen(const std::string& phone, int64_t keep_case_id) = 0;
};

}  // namespace gosline
