// Citizens' consents (R24): one record per decision, per phone and channel,
// with time, source and who recorded it. Engines keep the phone encrypted
// at rest when they have a cipher (row_cipher.h), like the cases'.
//
// Thread-safety: every method may be called from any thread; calls are
// serialised.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct Consent {
  int64_t id = 0;
  std::string phone;    // E.164
  std::string channel;  // "call", "chat", "app", "callback", "sms", "email"
  bool granted = false;
  std::string source;   // how it was given: "ivr", "operator", "portal", "paper"
  std::string actor;    // who recorded it
  Time recorded_at{};
};

class ConsentStore {
 public:
  virtual ~ConsentStore() = default;

  // Returns the stored consent (with its id).
  virtual Result<Consent> Record(Consent consent) = 0;
  // Every decision for the phone (any accepted form), oldest first.
  virtual Result<std::vector<Consent>> ForPhone(const std::string& phone) = 0;
  // Deletes every decision for the phone; returns how many.
  virtual Result<int64_t> DeleteForPhone(const std::string& phone) = 0;
};

}  // namespace gosline
