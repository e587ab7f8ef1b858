#include "telephony/operator_registrar.h"

#include <gtest/gtest.h>

namespace gosline::telephony {
namespace {

const Time kNow = Time(std::chrono::milliseconds(1'700'000'000'000));

std::string Param(const std::string& header, const std::string& name) {
  const size_t at = header.find(name + "=\"");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 2;
  return header.substr(start, header.find('"', start) - start);
}

class RegistrarTest : public ::testing::Test {
 protected:
  OperatorRegistrar registrar{"gosline", {{"ivanova", "s3cret"}}};

  // A REGISTER answering the challenge the way a phone does (qop=auth).
  RegisterRequest Authorized(const std::string& password, const std::string& nonce,
                             const std::string& user = "ivanova") {
    RegisterRequest r;
    r.aor_user = "ivanova";
    r.contact = "sip:ivanova@127.0.0.1:5090";
    r.expires = 600;
    const std::string uri = "sip:127.0.0.1";
    const std::string response =
        DigestResponse(user, "gosline", password, "REGISTER", uri, nonce, "auth", "00000001", "abc");
    r.digest = DigestParams{"username=\"" + user + "\"", "realm=\"gosline\"",
                            "nonce=\"" + nonce + "\"", "uri=\"" + uri + "\"",
                            "response=\"" + response + "\"", "algorithm=MD5", "qop=auth",
                            "nc=00000001", "cnonce=\"abc\""};
    return r;
  }

  std::string Nonce() {
    RegisterRequest first;
    first.aor_user = "ivanova";
    first.contact = "sip:ivanova@127.0.0.1:5090";
    RegisterReply challenge = registrar.OnRegister(first, kNow);
    EXPECT_EQ(challenge.status, 401);
    EXPECT_NE(challenge.www_authenticate.find("realm=\"gosline\""), std::string::npos);
    return Param(challenge.www_authenticate, "nonce");
  }
};

TEST(DigestTest, MatchesRfc2617Example) {
  // RFC 2617 3.5 (qop=auth, GET /dir/index.html).
  EXPECT_EQ(DigestResponse("Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                           "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth",
                           "00000001", "0a4f113b"),
            "6629fae49393a05397450978507c4ef1");
}

TEST(DigestTest, ParsesQuotedAndBareParams) {
  auto p = ParseDigestParams({"username=\"a b\"", " nc=00000001", "qop=auth", "junk"});
  EXPECT_EQ(p["username"], "a b");
  EXPECT_EQ(p["nc"], "00000001");
  EXPECT_EQ(p["qop"], "auth");
  EXPECT_EQ(p.count("junk"), 0u);
}

TEST_F(RegistrarTest, RightPasswordBindsTheContactWithExpiry) {
  const std::string nonce = Nonce();
  ASSERT_FALSE(nonce.empty());
  RegisterReply ok = registrar.OnRegister(Authorized("s3cret", nonce), kNow);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.contact, "sip:ivanova@127.0.0.1:5090");
  EXPECT_EQ(ok.expires, 600u);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow + std::chrono::seconds(599)),
            "sip:ivanova@127.0.0.1:5090");
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow + std::chrono::seconds(601)), std::nullopt);
}

TEST_F(RegistrarTest, WrongPasswordIsForbiddenAndBindsNothing) {
  RegisterReply r = registrar.OnRegister(Authorized("guess", Nonce()), kNow);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow), std::nullopt);
}

TEST_F(RegistrarTest, CredentialsOfAnotherUserAreForbidden) {
  RegisterRequest r = Authorized("s3cret", Nonce(), "petrov");
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 403);
}

TEST_F(RegistrarTest, UnknownOrOldNonceIsChallengedAgain) {
  RegisterReply r = registrar.OnRegister(Authorized("s3cret", "made-up"), kNow);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.www_authenticate.find("stale=true"), std::string::npos);
  const std::string nonce = Nonce();
  EXPECT_EQ(registrar.OnRegister(Authorized("s3cret", nonce), kNow + std::chrono::minutes(6)).status,
            401);
}

TEST_F(RegistrarTest, NotAnOperatorIsNotFound) {
  RegisterRequest r;
  r.aor_user = "stranger";
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 404);
}

TEST_F(RegistrarTest, ExpiresZeroRemovesTheBinding) {
  ASSERT_EQ(registrar.OnRegister(Authorized("s3cret", Nonce()), kNow).status, 200);
  RegisterRequest bye = Authorized("s3cret", Nonce());
  bye.expires = 0;
  EXPECT_EQ(registrar.OnRegister(bye, kNow).status, 200);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow), std::nullopt);
}

TEST_F(RegistrarTest, ExpiryIsClampedToTheMaximum) {
  RegisterRequest r = Authorized("s3cret", Nonce());
  r.expires = 999999;
  EXPECT_EQ(registrar.OnRegister(r, kNow).expires, 3600u);
}

}  // namespace
}  // namespace gosline::telephony
