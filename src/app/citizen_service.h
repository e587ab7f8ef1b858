// What a citizen signed in at the state identity provider may do through the
// app or the portal (R14, R16, R24, R26): see their own cases (those that
// carry their portal account id), ask for a callback (a case like the one
// the IVR opens when a caller asks to be called back), record a consent,
// ask for their data, its correction or its deletion (R24), and get a short
// code to key in when they call, so the IVR knows their topic (and case)
// and skips its menus.
//
// A citizen never sees another citizen's case: every case handed out is
// checked against the token's subject, and an unknown number and someone
// else's number both answer NotFound. Consents and data requests need the
// phone number the provider verified (the token's phone_number claim): a
// citizen cannot file them for someone else's phone.
//
// Thread-safety: every method may be called from any thread (the stores and
// services it uses are).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/data_rights_service.h"
#include "core/common/clock.h"
#include "core/common/status.h"
#include "storage/citizen_channel_store.h"

namespace gosline {

// Who is asking: established by the access token (security/oidc_token_verifier.h).
struct Citizen {
  std::string subject;       // the portal account id
  std::string phone_number;  // verified by the provider, "" when it gave none
};

struct CallbackRequest {
  std::string topic;
  std::string phone;  // where to call; "" = the verified phone
  std::optional<Time> window_from;
  std::optional<Time> window_to;
};

inline constexpr Duration kCallContextLifetime = std::chrono::minutes(10);
inline constexpr int kCallContextDigits = 6;
inline constexpr int kMaxCitizenCases = 100;

class CitizenService {
 public:
  CitizenService(CaseService& cases, CitizenChannelStore& channel, DataRightsService* data_rights,
                 const Clock& clock);

  // The one-way key the channel store files an account under.
  static std::string AccountKey(const std::string& subject);
  // The actor written into histories and the audit log for a citizen.
  static Actor ActorFor(const Citizen& citizen);

  // The citizen's cases, open first, then newest first.
  Result<std::vector<Case>> OwnCases(const Citizen& citizen);
  // One of them; NotFound when the number is unknown or not theirs.
  Result<Case> OwnCase(const Citizen& citizen, const std::string& number);

  Result<Case> RequestCallback(const Citizen& citizen, const CallbackRequest& request);

  Result<Consent> RecordConsent(const Citizen& citizen, const std::string& channel, bool granted);
  Result<Case> OpenDataRequest(const Citizen& citizen, DataRequestKind kind, const std::string& detail);

  // A fresh code for a call about `topic` (and `case_number`, one of theirs).
  Result<CallContext> CreateCallContext(const Citizen& citizen, const std::string& topic,
                                        const std::string& case_number);
  // For the IVR: the context of a code keyed in on the phone, used up.
  Result<std::optional<CallContext>> TakeCallContext(const std::string& code);

 private:
  Result<std::string> VerifiedPhone(const Citizen& citizen) const;

  CaseService& cases_;
  CitizenChannelStore& channel_;
  DataRightsService* data_rights_;
  const Clock& clock_;
};

}  // namespace gosline
