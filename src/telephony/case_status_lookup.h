// How the telephony adapter asks the registry for a case's status (R16) on
// behalf of the IVR. The app layer implements it over the case store; it must
// not block the caller's thread (the media loop): answer from any thread,
// later, through `done`.
#pragma once

#include <functional>
#include <string>

#include "core/ivr/ivr_session.h"

namespace gosline::telephony {

class CaseStatusLookup {
 public:
  virtual ~CaseStatusLookup() = default;
  // The request_id of the result is filled in by the adapter. kFound only
  // when the case's phone ends in `phone_last4` (else kNotFound, as unknown).
  virtual void Lookup(const std::string& case_number, const std::string& phone_last4,
                      std::function<void(CaseLookupResultEvent)> done) = 0;
};

}  // namespace gosline::telephony
