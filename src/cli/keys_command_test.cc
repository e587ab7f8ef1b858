// R22: `gosline keys rotate` on the bundled configuration (its key file moved
// into a temporary directory) and a real SQLite file.
#include "cli/keys_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/retention_command.h"
#include "cli/security_context.h"
#include "security/key_ring.h"
#include "security/recording_cipher.h"
#include "security/recording_stream.h"
#include "storage/sqlite/sqlite_case_store.h"

namespace gosline::cli {
namespace {

namespace fs = std::filesystem;

const std::string kHexOther = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

std::string FileText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class KeysCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_cli_keys_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ifstream demo(std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml");
    std::stringstream text;
    text << demo.rdbuf();
    std::string config = text.str();
    const std::string from = "key_file: var/keys/data.key";
    const size_t at = config.find(from);
    ASSERT_NE(at, std::string::npos);
    config.replace(at, from.size(), "key_file: " + key_file().string());
    const std::string recordings = "recordings_dir: var/recordings";
    const size_t rec_at = config.find(recordings);
    ASSERT_NE(rec_at, std::string::npos);
    config.replace(rec_at, recordings.size(), "recordings_dir: " + recordings_dir().string());
    std::ofstream(dir_ / "gosline.yaml") << config;
    ASSERT_TRUE(CreateKeyFileIfMissing(key_file().string()).ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path key_file() const { return dir_ / "keys/data.key"; }
  fs::path db() const { return dir_ / "cases.db"; }
  fs::path recordings_dir() const { return dir_ / "recordings"; }
  std::optional<Config> LoadConfig() {
    std::ostringstream err;
    std::optional<Config> config = LoadConfigOrReport((dir_ / "gosline.yaml").string(), err);
    EXPECT_TRUE(config) << err.str();
    return config;
  }
  // Drops k1 from the key file, as an operator does once rotation is done.
  void DropFirstKey() {
    std::string keys = FileText(key_file());
    std::istringstream lines(keys);
    std::string line, kept;
    while (std::getline(lines, line)) {
      if (line.rfind("k1:", 0) != 0) kept += line + "\n";
    }
    ASSERT_NE(kept, keys);
    std::ofstream(key_file(), std::ios::trunc) << kept;
  }
  KeysRotateOptions Options(bool resume = false) const {
    KeysRotateOptions o;
    o.context = {.config_path = (dir_ / "gosline.yaml").string(), .db_path = db().string()};
    o.batch = 2;
    o.resume = resume;
    return o;
  }
  // Opens the store with the cipher the configuration names, as serve does.
  Result<std::unique_ptr<SqliteCaseStore>> OpenStore() {
    std::ostringstream err;
    std::optional<Config> config = LoadConfigOrReport((dir_ / "gosline.yaml").string(), err);
    EXPECT_TRUE(config) << err.str();
    GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const RowCipher> cipher,
        DataCipherFor(*config));
    SqliteOptions opts;
    opts.synchronous = SqliteSync::kNormal;
    opts.cipher = cipher;
    return SqliteCaseStore::Open(db().string(), opts);
  }
  void AddCases(int n) {
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < n; ++i) {
      Case c;
      c.phone = "+7916555000" + std::to_string(i);
      c.topic = "pensions";
      c.summary = "note " + std::to_string(i);
      c.history.push_back({0, c.created_at, "op1", "note", "history " + std::to_string(i)});
      ASSERT_TRUE((*store)->Create(c).ok());
    }
  }

  fs::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(KeysCommandTest, R22RotateAddsAKeyReencryptsAllAndTheNewKeyAloneOpensIt) {
  AddCases(5);
  ASSERT_EQ(RunKeysRotate(Options(), out_, err_), 0) << err_.str();
  EXPECT_NE(out_.str().find("added key k2"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("every row is under key k2"), std::string::npos) << out_.str();
  // The audit log has the rotation, with counts only.
  const std::string audit = FileText(dir_ / "cases.db.audit");
  EXPECT_NE(audit.find("keys.rotate.done"), std::string::npos);
  EXPECT_EQ(audit.find("+7916555000"), std::string::npos);
  // Drop k1 from the key file: the new key alone reads every row.
  std::string keys = FileText(key_file());
  std::istringstream lines(keys);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (line.rfind("k1:", 0) != 0) kept += line + "\n";
  }
  ASSERT_NE(kept, keys);
  std::ofstream(key_file(), std::ios::trunc) << kept;
  auto store = OpenStore();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::vector<Case>> found = (*store)->FindByPhone("+79165550003", 5);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*store)->GetByNumber((*found)[0].number)->history.at(0).detail, "history 3");
  // Resume when nothing is left: no new key, nothing rewritten.
  out_.str("");
  store->reset();
  ASSERT_EQ(RunKeysRotate(Options(true), out_, err_), 0) << err_.str();
  EXPECT_EQ(out_.str().find("added key"), std::string::npos);
  EXPECT_NE(out_.str().find("re-encrypted 0"), std::string::npos) << out_.str();
}

TEST_F(KeysCommandTest, R22RotateReSealsRecordingsUnderTheNewKey) {
  AddCases(1);
  fs::create_directories(recordings_dir());
  std::optional<Config> config = LoadConfig();
  ASSERT_TRUE(config);
  auto ring = RecordingKeysFor(*config);
  auto cipher = DataCipherFor(*config);
  ASSERT_TRUE(ring.ok() && *ring && cipher.ok() && *cipher);
  // A stream under k1, and a whole-file seal an earlier version made.
  const std::string pcm(3 * security::SealedRecordingWriter::kChunkBytes + 8, '\x21');
  const fs::path stream = recordings_dir() / "0000000013_call-1.wav.sealed";
  {
    auto w = security::SealedRecordingWriter::Create(**ring, stream.string(), "0000000013", {});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Append(pcm).ok());
    ASSERT_TRUE((*w)->Finish().ok());
  }
  const std::string wav = security::WavHeader({}, 4) + "wxyz";
  Result<std::string> whole =
      (*cipher)->Seal(wav, "recording:0000000013_call-2.wav|case:0000000013");
  ASSERT_TRUE(whole.ok());
  std::ofstream(recordings_dir() / "0000000013_call-2.wav.sealed", std::ios::binary) << *whole;

  ASSERT_EQ(RunKeysRotate(Options(), out_, err_), 0) << err_.str();
  EXPECT_NE(out_.str().find("recordings: 2 of 2 re-sealed"), std::string::npos) << out_.str();
  DropFirstKey();
  config = LoadConfig();
  auto only_new = RecordingKeysFor(*config);
  ASSERT_TRUE(only_new.ok() && *only_new);
  const security::RecordingKeys keys{nullptr, only_new->get()};
  auto played = security::ReadRecording(
      keys, {recordings_dir().string(), "0000000013", stream.string()}, 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav.substr(44), pcm);
  played = security::ReadRecording(
      keys, {recordings_dir().string(), "0000000013",
             (recordings_dir() / "0000000013_call-2.wav.sealed").string()},
      1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav.substr(44), "wxyz");
}

TEST_F(KeysCommandTest, R22WrongKeyIsAClearErrorNamingTheKeyFileAndNothingIsTouched) {
  AddCases(3);
  {
    auto store = OpenStore();  // checkpoint: everything in the main file
  }
  std::ofstream(key_file(), std::ios::trunc) << "k1:" << kHexOther << "\n";
  const std::string db_before = FileText(db());
  const std::string key_before = FileText(key_file());
  EXPECT_EQ(RunKeysRotate(Options(), out_, err_), 1);
  EXPECT_NE(err_.str().find(key_file().string()), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("does not open this database"), std::string::npos) << err_.str();
  EXPECT_EQ(FileText(db()), db_before);
  EXPECT_EQ(FileText(key_file()), key_before);
  // serve's path: the store refuses to open, naming the key file.
  auto store = OpenStore();
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(key_file().string()), std::string::npos);
  EXPECT_EQ(FileText(db()), db_before);
  // A missing key file is named too.
  fs::remove(key_file());
  err_.str("");
  EXPECT_EQ(RunKeysRotate(Options(), out_, err_), 1);
  EXPECT_NE(err_.str().find(key_file().string()), std::string::npos) << err_.str();
}

TEST_F(KeysCommandTest, R23RetentionRunsOnAnEncryptedDatabaseWithItsKey) {
  AddCases(2);
  KeysRotateOptions o = Options();
  EXPECT_EQ(RunRetentionCommand(o.context, "2030-01-01T00:00:00Z", out_, err_), 0) << err_.str();
  // A wrong key: refused, naming the key file.
  std::ofstream(key_file(), std::ios::trunc) << "k1:" << kHexOther << "\n";
  EXPECT_EQ(RunRetentionCommand(o.context, "2030-01-01T00:00:00Z", out_, err_), 1);
  EXPECT_NE(err_.str().find(key_file().string()), std::string::npos) << err_.str();
}

TEST_F(KeysCommandTest, R22ABareSingleKeyGetsAnIdWhenRotated) {
  const std::string entry = FileText(key_file());
  const size_t colon = entry.find("k1:");
  ASSERT_NE(colon, std::string::npos);
  std::string bare = entry.substr(colon + 3);
  std::ofstream(key_file(), std::ios::trunc) << bare;
  AddCases(2);
  ASSERT_EQ(RunKeysRotate(Options(), out_, err_), 0) << err_.str();
  EXPECT_NE(FileText(key_file()).find("default:"), std::string::npos);
  auto store = OpenStore();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->FindByPhone("+79165550001", 5)->size(), 1u);
}

}  // namespace
}  // namespace gosline::cli
