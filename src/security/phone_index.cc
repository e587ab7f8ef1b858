#include "security/phone_index.h"

#include <sodium.h>

#include "core/cases/phone.h"
#include "security/encoding.h"

namespace gosline::security {
namespace {

std::string HmacUnder(const DataKey& key, std::string_view normalised) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.index_key().data(), key.index_key().size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(normalised.data()),
                                normalised.size());
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  return key.id() + "." + HexEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

}  // namespace

Result<std::string> PhoneIndex::Hash(std::string_view phone) const {
  std::optional<std::string> e164 = NormalizePhone(phone);
  if (!e164) return Status::InvalidArgument("not a phone number", "phone");
  return HmacUnder(ring_->active(), *e164);
}

Result<std::vector<std::string>> PhoneIndex::LookupHashes(std::string_view phone) const {
  std::optional<std::string> e164 = NormalizePhone(phone);
  if (!e164) return Status::InvalidArgument("not a phone number", "phone");
  std::vector<std::string> out{HmacUnder(ring_->active(), *e164)};
  for (const std::string& id : ring_->ids()) {
    if (id != ring_->active().id()) out.push_back(HmacUnder(*ring_->Find(id), *e164));
  }
  return out;
}

std::string PhoneIndex::HashAny(std::string_view text) const {
  std::optional<std::string> e164 = NormalizePhone(text);
  return HmacUnder(ring_->active(), e164 ? std::string_view(*e164) : text);
}

std::vector<std::string> PhoneIndex::LookupHashesAny(std::string_view text) const {
  std::optional<std::string> e164 = NormalizePhone(text);
  const std::string_view value = e164 ? std::string_view(*e164) : text;
  std::vector<std::string> out{HmacUnder(ring_->active(), value)};
  for (const std::string& id : ring_->ids()) {
    if (id != ring_->active().id()) out.push_back(HmacUnder(*ring_->Find(id), value));
  }
  return out;
}

bool PhoneIndex::NeedsRotation(std::string_view stored) const {
  return stored.substr(0, stored.find('.')) != ring_->active().id();
}

}  // namespace gosline::security
