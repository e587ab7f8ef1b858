#include "security/key_ring.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "security/crypto_ready.h"
#include "security/encoding.h"

namespace gosline::security {
namespace {

constexpr size_t kMaxKeyFile = 64 * 1024;
constexpr size_t kMaxIdLength = 32;
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "gosldata";
constexpr uint64_t kFieldSubkey = 1;
constexpr uint64_t kIndexSubkey = 2;
constexpr uint64_t kRecordingSubkey = 3;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// 64 hex digits, else base64 of exactly 32 bytes.
std::optional<std::string> DecodeKey(std::string_view text) {
  std::optional<std::string> raw;
  if (text.size() == 2 * kDataKeyBytes) raw = HexDecode(text);
  if (!raw) raw = Base64Decode(text);
  if (!raw) raw = Base64UrlDecode(text);
  if (!raw || raw->size() != kDataKeyBytes) {
    if (raw) sodium_memzero(raw->data(), raw->size());
    return std::nullopt;
  }
  return raw;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxIdLength)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

DataKey::DataKey(std::string id, const Bytes& master) : id_(std::move(id)) {
  crypto_kdf_derive_from_key(field_key_.data(), field_key_.size(), kFieldSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(index_key_.data(), index_key_.size(), kIndexSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(recording_key_.data(), recording_key_.size(), kRecordingSubkey,
                             kKdfContext, master.data());
}

DataKey::~DataKey() {
  sodium_memzero(field_key_.data(), field_key_.size());
  sodium_memzero(index_key_.data(), index_key_.size());
  sodium_memzero(recording_key_.data(), recording_key_.size());
}

Result<KeyRing> KeyRing::Parse(std::string_view text, std::string_view source) {
  GOSLINE_RETURN_IF_ERROR(EnsureCryptoReady());
  const std::string where(source);
  std::vector<std::string_view> entries;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find_first_of("\n,", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view e = Trim(text.substr(pos, end - pos));
    if (!e.empty() && e.front() != '#') entries.push_back(e);
    pos = end + 1;
  }
  if (entries.empty()) return Status::FailedPrecondition(where + ": no data key found");

  KeyRing ring;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string_view e = entries[i];
    size_t colon = e.find(':');
    std::string id;
    std::string_view key_text;
    if (colon == std::string_view::npos) {
      if (entries.size() != 1) {
        return Status::FailedPrecondition(where + ": entry " + std::to_string(i + 1) +
                                          " has no id (write ID:KEY when there are several keys)");
      }
      id = "default";
      key_text = e;
    } else {
      id = std::string(Trim(e.substr(0, colon)));
      key_text = Trim(e.substr(colon + 1));
      if (id.empty() || id.size() > kMaxIdLength || !std::all_of(id.begin(), id.end(), IsIdChar)) {
        return Status::FailedPrecondition(where + ": key id '" + Printable(id) +
                                          "' must be 1-32 letters, digits, '_' or '-'");
      }
    }
    if (ring.Find(id) != nullptr) {
      return Status::FailedPrecondition(where + ": key id '" + id + "' appears twice");
    }
    std::optional<std::string> raw = DecodeKey(key_text);
    if (!raw) {
      return Status::FailedPrecondition(where + ": key '" + id +
                                        "' is not 32 bytes written as 64 hex digits or base64");
    }
    DataKey::Bytes master;
    std::copy(raw->begin(), raw->end(), master.begin());
    sodium_memzero(raw->data(), raw->size());
    ring.keys_.emplace_back(id, master);
    sodium_memzero(master.data(), master.size());
  }
  return ring;
}

Result<KeyRing> KeyRing::LoadFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Status::FailedPrecondition("key file " + path + " cannot be read");
  }
  if (!S_ISREG(st.st_mode)) return Status::FailedPrecondition("key file " + path + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::FailedPrecondition("key file " + path + " has mode " + mode +
                                      ": group or others may read it; chmod 600 " + path);
  }
  if (static_cast<size_t>(st.st_size) > kMaxKeyFile) {
    return Status::FailedPrecondition("key file " + path + " is too large to be a key file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FailedPrecondition("key file " + path + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  Result<KeyRing> ring = Parse(content, "key file " + path);
  sodium_memzero(content.data(), content.size());
  return ring;
}

Result<KeyRing> KeyRing::FromEnvironment() {
  const char* value = std::getenv(kDataKeyEnv);
  if (value == nullptr || *value == '\0') {
    return Status::FailedPrecondition(std::string(kDataKeyEnv) + " is not set");
  }
  return Parse(value, kDataKeyEnv);
}

Result<KeyRing> KeyRing::Load(const std::string& key_file) {
  if (!key_file.empty()) return LoadFile(key_file);
  const char* value = std::getenv(kDataKeyEnv);
  if (value == nullptr || *value == '\0') {
    return Status::FailedPrecondition(
        "no data key: set security.key_file in the configuration or the " +
        std::string(kDataKeyEnv) + " environment variable");
  }
  return FromEnvironment();
}

std::string KeyRing::NewKeyEntry(std::string_view id) {
  return std::string(id) + ":" + HexEncode(RandomBytes(kDataKeyBytes));
}

const DataKey* KeyRing::Find(std::string_view id) const {
  for (const DataKey& k : keys_) {
    if (k.id() == id) return &k;
  }
  return nullptr;
}

std::vector<std::string> KeyRing::ids() const {
  std::vector<std::string> out;
  for (const DataKey& k : keys_) out.push_back(k.id());
  return out;
}

}  // namespace gosline::security
