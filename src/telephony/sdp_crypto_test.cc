#include "telephony/sdp_crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::telephony {
namespace {

// RFC 4568 9.1's example key||salt.
constexpr const char* kKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

TEST(SdpCrypto, ParsesTheTwoSuitesWeSpeak) {
  Result<SdpCrypto> c = ParseSdpCrypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->tag, 1u);
  EXPECT_EQ(c->suite, SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_EQ(c->key[0], 'Y');  // "WVNf" decodes to "YS_"
  EXPECT_EQ(c->key[1], 'S');

  Result<SdpCrypto> d = ParseSdpCrypto(std::string("42 AES_CM_128_HMAC_SHA1_32 inline:") + kKey);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->tag, 42u);
  EXPECT_EQ(d->suite, SrtpSuite::kAesCm128HmacSha1_32);
}

TEST(SdpCrypto, RenderedLineParsesBackToTheSameKey) {
  SdpCrypto c;
  c.tag = 7;
  c.suite = SrtpSuite::kAesCm128HmacSha1_32;
  for (size_t i = 0; i < c.key.size(); ++i) c.key[i] = static_cast<uint8_t>(i * 37 + 1);
  const std::string line = RenderSdpCrypto(c);
  EXPECT_EQ(line.rfind("7 AES_CM_128_HMAC_SHA1_32 inline:", 0), 0u) << line;
  Result<SdpCrypto> back = ParseSdpCrypto(line);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->tag, 7u);
  EXPECT_EQ(back->suite, c.suite);
  EXPECT_EQ(back->key, c.key);
}

TEST(SdpCrypto, LinesWeDoNotUseAreSkippedNotMalformed) {
  const std::string k = kKey;
  for (const std::string& v : {
           "1 AEAD_AES_256_GCM inline:" + k,                      // another suite
           "1 F8_128_HMAC_SHA1_80 inline:" + k,
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + "|2^20",     // lifetime
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + "|1:4",      // MKI
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + "|2^20|1:4",
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + "|1:4;inline:" + k + "|2:4",  // two keys
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + " UNENCRYPTED_SRTP",         // session param
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + " KDR=1",
       }) {
    Result<SdpCrypto> c = ParseSdpCrypto(v);
    ASSERT_FALSE(c.ok()) << v;
    EXPECT_EQ(c.status().code(), Status::Code::kNotFound) << v << ": " << c.status().ToString();
    EXPECT_FALSE(c.status().message().empty());
  }
}

TEST(SdpCrypto, HostileOrMalformedValuesAreRefusedWithAReason) {
  const std::string k = kKey;
  for (const std::string& v : {
           std::string(""), std::string("1"), std::string("1 AES_CM_128_HMAC_SHA1_80"),
           "x AES_CM_128_HMAC_SHA1_80 inline:" + k,                // tag not digits
           "1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + k,       // tag too long
           "-1 AES_CM_128_HMAC_SHA1_80 inline:" + k,
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:"),        // no key
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:WVNf"),    // too short
           "1 AES_CM_128_HMAC_SHA1_80 inline:" + k + "WVNf",        // too long
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGV"),
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVub=Vz"),
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVu!GVz"),
           "1 AES_CM_128_HMAC_SHA1_80 uri:" + k,                   // another key method
           "1 AES_CM_128_HMAC_SHA1_80 " + k,
           std::string(5000, 'A'),
           std::string("1 AES_CM_128_HMAC_SHA1_80 inline:\0\0\0", 37),
       }) {
    Result<SdpCrypto> c = ParseSdpCrypto(v);
    EXPECT_FALSE(c.ok()) << v;
    if (!c.ok()) {
      EXPECT_FALSE(c.status().message().empty());
    }
  }
}

TEST(SdpCrypto, TrailingLineEndAndExtraSpacesAreTolerated) {
  Result<SdpCrypto> c = ParseSdpCrypto(std::string("1  AES_CM_128_HMAC_SHA1_80\tinline:") + kKey + "\r\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
}

}  // namespace
}  // namespace gosline::telephony
