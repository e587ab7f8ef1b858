#include "telephony/srtp_negotiation.h"

#include "telephony/secure_random.h"

namespace gosline::telephony {

std::optional<SrtpMode> SrtpModeFromName(std::string_view name) {
  if (name == "off") return SrtpMode::kOff;
  if (name == "offer") return SrtpMode::kOffer;
  if (name == "required") return SrtpMode::kRequired;
  return std::nullopt;
}

const char* SrtpModeName(SrtpMode mode) {
  switch (mode) {
    case SrtpMode::kOff: return "off";
    case SrtpMode::kRequired: return "required";
    default: return "offer";
  }
}

SrtpKeySalt FreshSrtpKey() {
  SrtpKeySalt key;
  SecureRandomBytes(key.data(), key.size());
  return key;
}

Result<std::optional<SrtpKeys>> AnswerSrtp(const SdpAudioOffer& offer, const SrtpPolicy& policy,
                                           const std::optional<SrtpKeys>& current) {
  if (!offer.secure) {
    if (policy.mode == SrtpMode::kRequired) {
      return Status::FailedPrecondition(
          "this number requires encrypted audio: offer RTP/SAVP with a=crypto over SIP/TLS");
    }
    return std::optional<SrtpKeys>();
  }
  if (policy.mode == SrtpMode::kOff) {
    return Status::FailedPrecondition("encrypted audio (RTP/SAVP) is turned off for this number");
  }
  if (!policy.signalling_secure && !policy.allow_insecure_signalling) {
    return Status::FailedPrecondition(
        "SRTP keys (a=crypto) are only accepted over SIP/TLS: over plain signalling anyone on "
        "the path could read them");
  }
  if (offer.crypto.empty()) {
    return Status::FailedPrecondition(
        "no usable a=crypto line (AES_CM_128_HMAC_SHA1_80 or _32, inline key without lifetime "
        "or MKI)" + (offer.crypto_skipped.empty() ? std::string() : ": " + offer.crypto_skipped));
  }
  const SdpCrypto& chosen = offer.crypto.front();
  SrtpKeys keys;
  keys.suite = chosen.suite;
  keys.tag = chosen.tag;
  keys.remote = chosen.key;
  // A re-offer keeps our key when the suite stays (RFC 4568 7.1.4 lets the
  // answerer keep it), so the stream we send goes on without a rekey.
  keys.local = current && current->suite == chosen.suite ? current->local : FreshSrtpKey();
  return std::optional<SrtpKeys>(keys);
}

SdpCrypto OfferSrtpCrypto() {
  SdpCrypto c;
  c.tag = 1;
  c.suite = SrtpSuite::kAesCm128HmacSha1_80;
  c.key = FreshSrtpKey();
  return c;
}

Result<std::optional<SrtpKeys>> AcceptSrtpAnswer(const SdpAudioOffer& answer,
                                                 const std::optional<SdpCrypto>& offered) {
  if (!offered) {
    if (answer.secure) return Status::FailedPrecondition("RTP/SAVP answer to a plain RTP offer");
    return std::optional<SrtpKeys>();
  }
  if (!answer.secure) {
    return Status::FailedPrecondition("the phone answered plain RTP to our SRTP offer");
  }
  for (const SdpCrypto& c : answer.crypto) {
    if (c.tag != offered->tag || c.suite != offered->suite) continue;
    SrtpKeys keys;
    keys.suite = c.suite;
    keys.tag = c.tag;
    keys.local = offered->key;
    keys.remote = c.key;
    return std::optional<SrtpKeys>(keys);
  }
  return Status::FailedPrecondition("the SRTP answer has no a=crypto line for our offer");
}

}  // namespace gosline::telephony
