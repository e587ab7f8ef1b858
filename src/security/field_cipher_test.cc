#include "security/field_cipher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "security/encoding.h"

namespace gosline::security {
namespace {

const std::string kHex1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
const std::string kHex3 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

std::shared_ptr<const KeyRing> Ring(const std::string& text) {
  Result<KeyRing> r = KeyRing::Parse(text, "test");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::make_shared<const KeyRing>(std::move(*r));
}

// Every test runs for each algorithm this CPU can do.
std::vector<CipherAlgorithm> Algorithms() {
  std::vector<CipherAlgorithm> out{CipherAlgorithm::kXChaCha20Poly1305};
  if (Aes256GcmAvailable()) out.push_back(CipherAlgorithm::kAes256Gcm);
  return out;
}

FieldCipher Cipher(std::shared_ptr<const KeyRing> ring, CipherAlgorithm a) {
  Result<FieldCipher> c = FieldCipher::Create(std::move(ring), a);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(*c);
}

TEST(FieldCipherTest, R22RoundTripWithTaggedAlgorithmAndKeyId) {
  for (CipherAlgorithm a : Algorithms()) {
    FieldCipher c = Cipher(Ring("k1:" + kHex1), a);
    Result<std::string> ct = c.Encrypt("+79161234567", "cases.phone:42");
    ASSERT_TRUE(ct.ok()) << ct.status().ToString();
    EXPECT_EQ(ct->rfind(std::string("gse1.") + CipherAlgorithmName(a) + ".k1.", 0), 0u) << *ct;
    EXPECT_EQ(ct->find("79161234567"), std::string::npos);
    Result<std::string> pt = c.Decrypt(*ct, "cases.phone:42");
    ASSERT_TRUE(pt.ok()) << pt.status().ToString();
    EXPECT_EQ(*pt, "+79161234567");
    // Random nonces: the same value encrypts differently each time.
    EXPECT_NE(*c.Encrypt("+79161234567", "cases.phone:42"), *ct);
    // Empty and binary values survive.
    EXPECT_EQ(*c.Decrypt(*c.Encrypt("", "x"), "x"), "");
    std::string bin("\0\xff\n", 3);
    EXPECT_EQ(*c.Decrypt(*c.Encrypt(bin, "x"), "x"), bin);
  }
}

TEST(FieldCipherTest, R22AutoPicksAesWhereAvailable) {
  Result<FieldCipher> c = FieldCipher::Create(Ring("k1:" + kHex1));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->algorithm(), Aes256GcmAvailable() ? CipherAlgorithm::kAes256Gcm
                                                 : CipherAlgorithm::kXChaCha20Poly1305);
}

TEST(FieldCipherTest, EitherAlgorithmDecryptsTheOther) {
  if (!Aes256GcmAvailable()) GTEST_SKIP() << "no AES-NI on this CPU";
  auto ring = Ring("k1:" + kHex1);
  FieldCipher aes = Cipher(ring, CipherAlgorithm::kAes256Gcm);
  FieldCipher xc = Cipher(ring, CipherAlgorithm::kXChaCha20Poly1305);
  EXPECT_EQ(*xc.Decrypt(*aes.Encrypt("Иванов", "c"), "c"), "Иванов");
  EXPECT_EQ(*aes.Decrypt(*xc.Encrypt("Иванов", "c"), "c"), "Иванов");
}

TEST(FieldCipherTest, R22WrongKeyIsAClearErrorNeverGarbage) {
  for (CipherAlgorithm a : Algorithms()) {
    std::string ct = *Cipher(Ring("k1:" + kHex1), a).Encrypt("Иванов Иван", "cases.name:1");
    // Same id, other key bytes: authentication fails.
    Result<std::string> wrong = Cipher(Ring("k1:" + kHex2), a).Decrypt(ct, "cases.name:1");
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.status().code(), Status::Code::kCorruption);
    EXPECT_NE(wrong.status().message().find("authentication failed"), std::string::npos);
    // An id the ring does not have: says which one is missing.
    Result<std::string> missing = Cipher(Ring("k2:" + kHex1), a).Decrypt(ct, "cases.name:1");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(missing.status().message().find("'k1'"), std::string::npos);
    EXPECT_NE(missing.status().message().find("k2"), std::string::npos);
  }
}

TEST(FieldCipherTest, R22KeyCheckTellsAWrongKeyAtStart) {
  for (CipherAlgorithm a : Algorithms()) {
    std::string check = *Cipher(Ring("k1:" + kHex1), a).MakeKeyCheck();
    EXPECT_TRUE(Cipher(Ring("k1:" + kHex1), a).VerifyKeyCheck(check).ok());
    Status st = Cipher(Ring("k1:" + kHex2), a).VerifyKeyCheck(check);
    EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(st.message().find("does not open this database"), std::string::npos) << st.message();
    EXPECT_FALSE(Cipher(Ring("k1:" + kHex1), a).VerifyKeyCheck("garbage").ok());
  }
}

TEST(FieldCipherTest, R22CiphertextIsBoundToItsFieldAndRow) {
  for (CipherAlgorithm a : Algorithms()) {
    FieldCipher c = Cipher(Ring("k1:" + kHex1), a);
    std::string ct = *c.Encrypt("+79161234567", "cases.phone:42");
    EXPECT_EQ(c.Decrypt(ct, "cases.phone:43").status().code(), Status::Code::kCorruption);
    EXPECT_EQ(c.Decrypt(ct, "cases.notes:42").status().code(), Status::Code::kCorruption);
  }
}

TEST(FieldCipherTest, HostileTamperedCiphertextsAreRefused) {
  for (CipherAlgorithm a : Algorithms()) {
    FieldCipher c = Cipher(Ring("k1:" + kHex1 + "\nk2:" + kHex2), a);
    std::string ct = *c.Encrypt("secret note", "n");
    // One bit flipped in the payload.
    std::string payload_text = ct.substr(ct.rfind('.') + 1);
    std::string raw = *Base64UrlDecode(payload_text);
    raw[raw.size() / 2] ^= 1;
    std::string flipped = ct.substr(0, ct.rfind('.') + 1) + Base64UrlEncode(raw);
    EXPECT_EQ(c.Decrypt(flipped, "n").status().code(), Status::Code::kCorruption);
    // Header changed to the other key id or algorithm: the header is authenticated.
    std::string relabel = ct;
    relabel.replace(relabel.find(".k2."), 4, ".k1.");
    EXPECT_EQ(c.Decrypt(relabel, "n").status().code(), Status::Code::kCorruption);
    for (const std::string& bad :
         {std::string(""), std::string("gse1"), std::string("gse1.a256gcm.k2."),
          std::string("gse1.rot13.k2.AAAA"), std::string("gse2.xc20p.k2.") + payload_text,
          std::string("gse1.xc20p.k2.AAAA"), ct + "!", std::string(3u << 20, 'A'),
          std::string("+79161234567")}) {
      Result<std::string> r = c.Decrypt(bad, "n");
      EXPECT_FALSE(r.ok()) << bad.substr(0, 30);
    }
    EXPECT_EQ(c.Encrypt(std::string((1 << 20) + 1, 'x'), "n").status().code(),
              Status::Code::kInvalidArgument);
  }
}

TEST(FieldCipherTest, R22RotationReencryptsUnderTheActiveKey) {
  for (CipherAlgorithm a : Algorithms()) {
    std::string old_ct = *Cipher(Ring("old:" + kHex1), a).Encrypt("note text", "cases.notes:7");
    FieldCipher c = Cipher(Ring("old:" + kHex1 + "\nnew:" + kHex3), a);
    EXPECT_TRUE(c.NeedsRotation(old_ct));
    Result<std::string> rotated = c.Rotate(old_ct, "cases.notes:7");
    ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
    EXPECT_NE(rotated->find(".new."), std::string::npos);
    EXPECT_FALSE(c.NeedsRotation(*rotated));
    // After the old key is dropped, rotated data still opens; old data does not.
    FieldCipher after = Cipher(Ring("new:" + kHex3), a);
    EXPECT_EQ(*after.Decrypt(*rotated, "cases.notes:7"), "note text");
    EXPECT_EQ(after.Decrypt(old_ct, "cases.notes:7").status().code(),
              Status::Code::kFailedPrecondition);
  }
}

}  // namespace
}  // namespace gosline::security
