// Whether a leg's audio is SRTP (R22), and with which keys: the policy of the
// line (telephony.srtp: off | offer | required, per dialled number and per
// operator) applied to an SDP offer or answer. SDES keys ride in the SDP, so
// SRTP is only offered or accepted when the signalling is SIP over TLS
// (unless the lab switch telephony.srtp_over_udp allows it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "telephony/sdp_crypto.h"
#include "telephony/sdp_offer.h"

namespace gosline::telephony {

// off: plain RTP only (an RTP/SAVP offer is refused). offer: SRTP when the
// peer offers it (callers) or when the phone is reached over TLS
// (operators), plain RTP otherwise. required: SRTP or no call.
enum class SrtpMode { kOff, kOffer, kRequired };
std::optional<SrtpMode> SrtpModeFromName(std::string_view name);
const char* SrtpModeName(SrtpMode mode);

struct SrtpKeys {
  SrtpSuite suite = SrtpSuite::kAesCm128HmacSha1_80;
  uint32_t tag = 1;
  SrtpKeySalt local{};   // ours: protects what we send; written in our SDP
  SrtpKeySalt remote{};  // the peer's: checks and decrypts what it sends
  bool operator==(const SrtpKeys&) const = default;
};

struct SrtpPolicy {
  SrtpMode mode = SrtpMode::kOff;
  bool signalling_secure = false;          // the SDP came over SIP/TLS
  bool allow_insecure_signalling = false;  // telephony.srtp_over_udp (lab only)
};

// A fresh key||salt from the operating system's CSPRNG.
SrtpKeySalt FreshSrtpKey();

// Answering an offer (a caller's INVITE, a phone's re-INVITE): nullopt for
// plain RTP, or the keys (the first usable crypto line, our key fresh or
// kept from `current` when the suite is the same), or FailedPrecondition
// whose message says why the offer is refused (-> 488 with a Reason).
Result<std::optional<SrtpKeys>> AnswerSrtp(const SdpAudioOffer& offer, const SrtpPolicy& policy,
                                           const std::optional<SrtpKeys>& current = std::nullopt);

// Our crypto line when we offer SRTP (an operator's leg, a late offer).
SdpCrypto OfferSrtpCrypto();

// The peer's answer to our offer: it must take SRTP exactly when we offered
// it, with the suite and tag of our line. FailedPrecondition says why not.
Result<std::optional<SrtpKeys>> AcceptSrtpAnswer(const SdpAudioOffer& answer,
                                                 const std::optional<SdpCrypto>& offered);

}  // namespace gosline::telephony
