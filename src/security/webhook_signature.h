// Webhook signatures per the Standard Webhooks convention (R27): the
// receiver checks
//   webhook-signature: v1,<base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))>
// where the key is the base64 part of the subscription's "whsec_..." secret.
#pragma once

#include <string>
#include <string_view>

#include "core/common/status.h"

namespace gosline::security {

// A fresh secret: "whsec_" + base64 of 32 random bytes.
std::string NewWebhookSecret();
// "v1,<base64 signature>"; InvalidArgument for a secret not of that form.
Result<std::string> SignWebhook(std::string_view secret, std::string_view message_id,
                                int64_t timestamp_seconds, std::string_view body);
// Standard base64 with padding (libsodium), as the convention's receivers expect.
std::string Base64Encode(std::string_view bytes);

}  // namespace gosline::security
