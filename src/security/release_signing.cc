#include "security/release_signing.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "security/crypto_ready.h"
#include "security/encoding.h"

namespace gosline::security {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadHexKey(const std::string& path, size_t bytes, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(std::string("cannot read the ") + what + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string hex = text.str();
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
  std::optional<std::string> raw = HexDecode(hex);
  if (!raw || raw->size() != bytes) {
    return Status::InvalidArgument(std::string("not a ") + what + " (" + std::to_string(bytes * 2) +
                                   " hex digits): " + path);
  }
  return *raw;
}

Status WriteFileWithMode(const fs::path& path, const std::string& text, fs::perms mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write " + path.string());
  // The mode is set before the key is written, so it is never readable by others.
  std::error_code ec;
  fs::permissions(path, mode, ec);
  if (ec) return Status::IoError("cannot set the mode of " + path.string() + ": " + ec.message());
  out << text << '\n';
  out.close();
  if (!out) return Status::IoError("cannot write " + path.string());
  return Status::Ok();
}

}  // namespace

Result<bool> CreateReleaseKeyPairIfMissing(const std::string& dir) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  const fs::path secret_path = fs::path(dir) / kReleaseSecretKeyFile;
  const fs::path public_path = fs::path(dir) / kReleasePublicKeyFile;
  std::error_code ec;
  if (fs::exists(secret_path, ec)) return false;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  const std::string secret_hex = HexEncode(std::string_view(reinterpret_cast<char*>(sk), sizeof sk));
  sodium_memzero(sk, sizeof sk);
  GOSLINE_RETURN_IF_ERROR(
      WriteFileWithMode(secret_path, secret_hex, fs::perms::owner_read | fs::perms::owner_write));
  GOSLINE_RETURN_IF_ERROR(WriteFileWithMode(
      public_path, HexEncode(std::string_view(reinterpret_cast<char*>(pk), sizeof pk)),
      fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
          fs::perms::others_read));
  return true;
}

Result<std::string> ReadReleasePublicKey(const std::string& path) {
  return ReadHexKey(path, crypto_sign_PUBLICKEYBYTES, "release public key");
}

Result<std::string> ReadReleaseSecretKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return Status::PermissionDenied("the release secret key " + path +
                                    " is readable by others; chmod 600 it");
  }
  return ReadHexKey(path, crypto_sign_SECRETKEYBYTES, "release secret key");
}

Result<std::string> SignRelease(std::string_view message, std::string_view secret_key) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return Status::InvalidArgument("not a release secret key");
  }
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(secret_key.data()));
  return HexEncode(std::string_view(reinterpret_cast<char*>(sig), sizeof sig));
}

Status VerifyRelease(std::string_view message, std::string_view signature_hex,
                     std::string_view public_key) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  while (!signature_hex.empty() &&
         (signature_hex.back() == '\n' || signature_hex.back() == '\r' || signature_hex.back() == ' ')) {
    signature_hex.remove_suffix(1);
  }
  std::optional<std::string> sig = HexDecode(signature_hex);
  if (!sig || sig->size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return Status::PermissionDenied("the manifest signature is malformed");
  }
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(),
                                  reinterpret_cast<const unsigned char*>(public_key.data())) != 0) {
    return Status::PermissionDenied(
        "the manifest signature does not match the release public key (altered manifest or other key)");
  }
  return Status::Ok();
}

}  // namespace gosline::security
