#include "security/totp_enrolment.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "security/encoding.h"

namespace gosline::security {
namespace {

TEST(TotpEnrolmentTest, R19SecretsAreRandom160Bits) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string s = NewTotpSecret();
    EXPECT_EQ(s.size(), 20u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(TotpEnrolmentTest, R19OtpauthUriCarriesIssuerLabelAndSecret) {
  const std::string secret = "12345678901234567890";
  Result<std::string> uri = OtpauthUri("operator.ivanova", secret);
  ASSERT_TRUE(uri.ok()) << uri.status().ToString();
  EXPECT_EQ(*uri,
            "otpauth://totp/gosline:operator.ivanova?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=gosline&algorithm=SHA1&digits=6&period=30");
  // The secret in the URI decodes back to the key bytes.
  size_t at = uri->find("secret=") + 7;
  EXPECT_EQ(Base32Decode(uri->substr(at, uri->find('&') - at)), secret);
}

TEST(TotpEnrolmentTest, HostileLoginsAreEncodedOrRefused) {
  Result<std::string> uri = OtpauthUri("иванов&secret=AAAA#x y", "k");
  ASSERT_TRUE(uri.ok());
  // Nothing the login holds can add a query parameter or a fragment.
  EXPECT_EQ(uri->find("&secret=AAAA"), std::string::npos);
  EXPECT_EQ(uri->find('#'), std::string::npos);
  EXPECT_EQ(uri->find(' '), std::string::npos);
  EXPECT_NE(uri->find("%D0%B8"), std::string::npos);  // "и"
  EXPECT_EQ(OtpauthUri("", "k").status().field(), "login");
  EXPECT_EQ(OtpauthUri("a\nb", "k").status().field(), "login");
  EXPECT_EQ(OtpauthUri(std::string(1000, 'a'), "k").status().field(), "login");
}

}  // namespace
}  // namespace gosline::security
