// What the citizens' channel (R26) keeps besides the cases themselves:
// which cases a citizen's portal account opened through the API (so the app
// lists them), and the short "call with context" codes a citizen gets in the
// app and keys in when calling, so the IVR greets them by topic and skips
// its menus. Accounts are stored as a one-way key (account_key), never the
// portal account id itself.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

struct CallContext {
  std::string code;         // digits keyed in on the phone
  std::string account_key;  // whose code it is
  std::string topic;        // the topic the IVR routes to
  std::string case_number;  // "" when the call is about no case yet
  Time created_at{};
  Time expires_at{};
};

class CitizenChannelStore {
 public:
  virtual ~CitizenChannelStore() = default;

  // Records that the account opened the case (idempotent).
  virtual Status LinkCase(const std::string& account_key, const std::string& case_number,
                          Time at) = 0;
  // The account's case numbers, newest first.
  virtual Result<std::vector<std::string>> CasesOf(const std::string& account_key, int limit) = 0;

  // Stores a new code; AlreadyExists when the code is in use and unexpired at `now`.
  virtual Status SaveCallContext(const CallContext& context, Time now) = 0;
  // The code's context when it is unexpired at `now`, used up by this call
  // (single use); nullopt otherwise.
  virtual Result<std::optional<CallContext>> TakeCallContext(const std::string& code, Time now) = 0;
};

}  // namespace gosline
