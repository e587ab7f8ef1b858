#include "security/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace gosline::security {
namespace {

using std::chrono::seconds;

Time AtSeconds(int64_t s) { return FromUnixMillis(s * 1000); }

// RFC 6238 appendix B: seeds per hash, 8 digits, 30 s steps.
const std::string kSeed1 = "12345678901234567890";
const std::string kSeed256 = "12345678901234567890123456789012";
const std::string kSeed512 =
    "1234567890123456789012345678901234567890123456789012345678901234";

struct Vector {
  int64_t time;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};
constexpr Vector kVectors[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000, "65353130", "77737706", "47863826"},
};

TEST(TotpTest, R19Rfc6238AppendixBVectors) {
  for (const Vector& v : kVectors) {
    TotpParams p;
    p.digits = 8;
    p.algorithm = TotpAlgorithm::kSha1;
    EXPECT_EQ(*TotpCode(kSeed1, AtSeconds(v.time), p), v.sha1) << v.time;
    p.algorithm = TotpAlgorithm::kSha256;
    EXPECT_EQ(*TotpCode(kSeed256, AtSeconds(v.time), p), v.sha256) << v.time;
    p.algorithm = TotpAlgorithm::kSha512;
    EXPECT_EQ(*TotpCode(kSeed512, AtSeconds(v.time), p), v.sha512) << v.time;
  }
}

TEST(TotpTest, SixDigitCodesAreTheLastSixOfTheRfcValues) {
  // Dynamic truncation mod 10^6 gives the low six digits of the 8-digit value.
  EXPECT_EQ(*TotpCode(kSeed1, AtSeconds(59)), "287082");
  EXPECT_EQ(*TotpCode(kSeed1, AtSeconds(1111111109)), "081804");
  EXPECT_EQ(TotpStep(AtSeconds(59)), 1);
  EXPECT_EQ(TotpStep(AtSeconds(60)), 2);
}

TEST(TotpTest, R19AcceptsOneStepEitherSideOnly) {
  const Time now = AtSeconds(1'760'000'010);
  const int64_t step = TotpStep(now);
  for (int d : {-1, 0, 1}) {
    std::string code = *TotpCode(kSeed1, now + seconds(30 * d));
    Result<int64_t> r = VerifyTotp(kSeed1, code, now, std::nullopt);
    ASSERT_TRUE(r.ok()) << d << " " << r.status().ToString();
    EXPECT_EQ(*r, step + d);
  }
  for (int d : {-3, -2, 2, 3}) {
    std::string code = *TotpCode(kSeed1, now + seconds(30 * d));
    if (code == *TotpCode(kSeed1, now)) continue;  // a one-in-a-million collision
    EXPECT_EQ(VerifyTotp(kSeed1, code, now, std::nullopt).status().code(),
              Status::Code::kUnauthenticated)
        << d;
  }
}

TEST(TotpTest, R19ReplayedCodeIsRefusedWithinItsWindow) {
  const Time now = AtSeconds(1'760'000'010);
  std::string code = *TotpCode(kSeed1, now);
  Result<int64_t> first = VerifyTotp(kSeed1, code, now, std::nullopt);
  ASSERT_TRUE(first.ok());
  int64_t last = *first;
  // The same code again, now and until its window has passed.
  for (int s = 0; s <= 60; s += 10) {
    Result<int64_t> again = VerifyTotp(kSeed1, code, now + seconds(s), last);
    ASSERT_FALSE(again.ok()) << s;
    EXPECT_EQ(again.status().code(), Status::Code::kUnauthenticated);
  }
  EXPECT_NE(VerifyTotp(kSeed1, code, now, last).status().message().find("already used"),
            std::string::npos);
  // An older code still inside the window is refused too.
  std::string older = *TotpCode(kSeed1, now - seconds(30));
  EXPECT_FALSE(VerifyTotp(kSeed1, older, now, last).ok());
  // The next step's code is fine.
  std::string next = *TotpCode(kSeed1, now + seconds(30));
  Result<int64_t> later = VerifyTotp(kSeed1, next, now + seconds(30), last);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later, last + 1);
}

TEST(TotpTest, CodeMayContainSpaces) {
  const Time now = AtSeconds(1'760'000'010);
  std::string code = *TotpCode(kSeed1, now);
  EXPECT_TRUE(VerifyTotp(kSeed1, code.substr(0, 3) + " " + code.substr(3), now, std::nullopt).ok());
}

TEST(TotpTest, HostileCodesAreRefused) {
  const Time now = AtSeconds(1'760'000'010);
  std::string code = *TotpCode(kSeed1, now);
  for (const std::string& bad :
       {std::string(""), std::string("12345"), code + "0", std::string("abcdef"),
        std::string("12345\n"), std::string(1 << 16, '1'), code.substr(0, 5) + '\0',
        std::string("' OR '1'='1")}) {
    Result<int64_t> r = VerifyTotp(kSeed1, bad, now, std::nullopt);
    EXPECT_EQ(r.status().code(), Status::Code::kUnauthenticated) << bad.substr(0, 12);
  }
  EXPECT_EQ(VerifyTotp("", code, now, std::nullopt).status().code(),
            Status::Code::kInvalidArgument);
  // The right code under another secret is wrong.
  EXPECT_FALSE(VerifyTotp("another secret of 20b", code, now, std::nullopt).ok());
}

}  // namespace
}  // namespace gosline::security
