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

  static constexpr const char* kRequestUri = "sip:127.0.0.1";

  // A REGISTER answering the challenge the way a phone does (qop=auth).
  RegisterRequest Authorized(const std::string& password, const std::string& nonce,
                             const std::string& user = "ivanova", const std::string& nc = "00000001",
                             const std::string& uri = kRequestUri,
                             const std::string& aor = "ivanova") {
    RegisterRequest r;
    r.aor_user = aor;
    r.request_uri = kRequestUri;
    r.contact = "sip:" + aor + "@127.0.0.1:5090";
    r.expires = 600;
    const std::string response =
        DigestResponse(user, "gosline", password, "REGISTER", uri, nonce, "auth", nc, "abc");
    r.digest = DigestParams{"username=\"" + user + "\"", "realm=\"gosline\"",
                            "nonce=\"" + nonce + "\"", "uri=\"" + uri + "\"",
                            "response=\"" + response + "\"", "algorithm=MD5", "qop=auth",
                            "nc=" + nc, "cnonce=\"abc\""};
    return r;
  }

  RegisterReply FirstRegister(const std::string& aor = "ivanova") {
    RegisterRequest first;
    first.aor_user = aor;
    first.request_uri = kRequestUri;
    first.contact = "sip:" + aor + "@127.0.0.1:5090";
    return registrar.OnRegister(first, kNow);
  }

  std::string Nonce(const std::string& aor = "ivanova") {
    RegisterReply challenge = FirstRegister(aor);
    EXPECT_EQ(challenge.status, 401);
    EXPECT_NE(challenge.www_authenticate.find("realm=\"gosline\""), std::string::npos);
    return Param(challenge.www_authenticate, "nonce");
  }
};

// The challenge with its nonce blanked: what is left must not depend on who asks.
std::string WithoutNonce(std::string header) {
  const std::string nonce = Param(header, "nonce");
  header.replace(header.find(nonce), nonce.size(), "-");
  return header;
}

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

TEST_F(RegistrarTest, NoncesAreLongAndNeverRepeat) {
  const std::string a = Nonce(), b = Nonce();
  EXPECT_EQ(a.size(), 32u);  // 128 bits
  EXPECT_NE(a, b);
}

// R22: a captured REGISTER cannot be sent again, not even to move the binding.
TEST_F(RegistrarTest, ReplayedAuthorizationGetsAFreshChallenge) {
  const std::string nonce = Nonce();
  const RegisterRequest sent = Authorized("s3cret", nonce);
  ASSERT_EQ(registrar.OnRegister(sent, kNow).status, 200);
  RegisterReply replay = registrar.OnRegister(sent, kNow + std::chrono::seconds(5));
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(Param(replay.www_authenticate, "nonce"), nonce);
  EXPECT_NE(Param(replay.www_authenticate, "nonce"), "");
}

TEST_F(RegistrarTest, ReplayWithAnotherContactDoesNotMoveTheBinding) {
  const RegisterRequest sent = Authorized("s3cret", Nonce());
  ASSERT_EQ(registrar.OnRegister(sent, kNow).status, 200);
  RegisterRequest hijack = sent;
  hijack.contact = "sip:ivanova@203.0.113.9:5060";
  EXPECT_EQ(registrar.OnRegister(hijack, kNow + std::chrono::seconds(5)).status, 401);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow + std::chrono::seconds(5)),
            "sip:ivanova@127.0.0.1:5090");
}

TEST_F(RegistrarTest, APhoneCountingUpOnTheSameNonceMayMoveItsBinding) {
  const std::string nonce = Nonce();
  ASSERT_EQ(registrar.OnRegister(Authorized("s3cret", nonce), kNow).status, 200);
  RegisterRequest next = Authorized("s3cret", nonce, "ivanova", "00000002");
  next.contact = "sip:ivanova@127.0.0.1:5092";
  EXPECT_EQ(registrar.OnRegister(next, kNow).status, 200);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow), "sip:ivanova@127.0.0.1:5092");
  // Counting back is a replay too.
  EXPECT_EQ(registrar.OnRegister(Authorized("s3cret", nonce, "ivanova", "00000002"), kNow).status,
            401);
}

TEST_F(RegistrarTest, WithoutQopANonceIsGoodForOneRegister) {
  const std::string nonce = Nonce();
  const std::string uri = kRequestUri;
  RegisterRequest r = Authorized("s3cret", nonce);
  r.digest = DigestParams{"username=\"ivanova\"", "realm=\"gosline\"", "nonce=\"" + nonce + "\"",
                          "uri=\"" + uri + "\"",
                          "response=\"" +
                              DigestResponse("ivanova", "gosline", "s3cret", "REGISTER", uri, nonce,
                                             "", "", "") +
                              "\""};
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 200);
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 401);
}

TEST_F(RegistrarTest, DigestForAnotherUriIsRefused) {
  RegisterRequest r = Authorized("s3cret", Nonce(), "ivanova", "00000001", "sip:10.0.0.5");
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 403);
  EXPECT_EQ(registrar.ContactOf("ivanova", kNow), std::nullopt);
  // The same URI written differently is the same request.
  r = Authorized("s3cret", Nonce(), "ivanova", "00000001", "SIP:127.0.0.1");
  EXPECT_EQ(registrar.OnRegister(r, kNow).status, 200);
}

// REGISTER must not tell who the operators are: a stranger is challenged and
// refused exactly as an operator with a wrong password.
TEST_F(RegistrarTest, NotAnOperatorGetsWhatAWrongPasswordGets) {
  const RegisterReply operator_challenge = FirstRegister("ivanova");
  const RegisterReply stranger_challenge = FirstRegister("stranger");
  EXPECT_EQ(stranger_challenge.status, 401);
  EXPECT_EQ(WithoutNonce(stranger_challenge.www_authenticate),
            WithoutNonce(operator_challenge.www_authenticate));

  const RegisterReply wrong_password = registrar.OnRegister(Authorized("guess", Nonce()), kNow);
  const RegisterReply stranger = registrar.OnRegister(
      Authorized("guess", Nonce("stranger"), "stranger", "00000001", kRequestUri, "stranger"),
      kNow);
  EXPECT_EQ(stranger.status, wrong_password.status);
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(stranger.www_authenticate, wrong_password.www_authenticate);

  // On a made-up nonce both are challenged again, alike.
  const RegisterReply op_made_up = registrar.OnRegister(Authorized("guess", "made-up"), kNow);
  const RegisterReply stranger_made_up = registrar.OnRegister(
      Authorized("guess", "made-up", "stranger", "00000001", kRequestUri, "stranger"), kNow);
  EXPECT_EQ(op_made_up.status, 401);
  EXPECT_EQ(stranger_made_up.status, 401);
  EXPECT_EQ(WithoutNonce(stranger_made_up.www_authenticate),
            WithoutNonce(op_made_up.www_authenticate));
  EXPECT_EQ(registrar.ContactOf("stranger", kNow), std::nullopt);
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
