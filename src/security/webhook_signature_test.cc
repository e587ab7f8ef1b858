#include "security/webhook_signature.h"

#include <gtest/gtest.h>

namespace gosline::security {
namespace {

TEST(WebhookSignatureTest, R27MatchesTheStandardWebhooksReferenceVector) {
  // The example of the Standard Webhooks specification.
  Result<std::string> sig = SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                        1614265330, R"({"test": 2432232314})");
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(*sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignatureTest, R27NewSecretsSignAndDiffer) {
  const std::string a = NewWebhookSecret(), b = NewWebhookSecret();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("whsec_", 0), 0u);
  EXPECT_TRUE(SignWebhook(a, "msg_1", 1, "{}").ok());
}

TEST(WebhookSignatureTest, HostileSecretsAreRefused) {
  EXPECT_FALSE(SignWebhook("", "m", 1, "{}").ok());
  EXPECT_FALSE(SignWebhook("secret", "m", 1, "{}").ok());
  EXPECT_FALSE(SignWebhook("whsec_!!!", "m", 1, "{}").ok());
  EXPECT_FALSE(SignWebhook("whsec_c2hvcnQ=", "m", 1, "{}").ok());
}

}  // namespace
}  // namespace gosline::security
