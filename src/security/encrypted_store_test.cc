// Encryption at rest end to end (R22): the real SQLite stores with the real
// field cipher and phone index, checked by reading the database file raw.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "security/recording_cipher.h"
#include "security/recording_stream.h"
#include "security/storage_row_cipher.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "storage/sqlite/sqlite_case_store.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::security {
namespace {
namespace fs = std::filesystem;

const std::string kHex1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kHex2 = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
const std::string kPhone = "+79161234567";
const std::string kNote = "citizen asks about the pension recalculation";

std::shared_ptr<const StorageRowCipher> MakeCipher(const std::string& ring_text) {
  Result<KeyRing> ring = KeyRing::Parse(ring_text, "test ring");
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  Result<FieldCipher> c = FieldCipher::Create(std::make_shared<const KeyRing>(std::move(*ring)));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::make_shared<const StorageRowCipher>(
      std::make_shared<const FieldCipher>(std::move(*c)), "key file test.key");
}

Case MakeCase(const std::string& phone, const std::string& summary) {
  Case c;
  c.phone = phone;
  c.portal_account_id = "portal-7781";
  c.channel = Channel::kCall;
  c.topic = "pensions";
  c.agency = "sfr";
  c.region = "77";
  c.summary = summary;
  c.created_at = FromUnixMillis(1'700'000'000'000);
  c.updated_at = c.created_at;
  c.history.push_back({0, c.created_at, "op1", "note", kNote + " (history)"});
  return c;
}

std::string FileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every byte of the database, its WAL included.
std::string AllBytes(const fs::path& db) {
  std::string out = FileBytes(db);
  if (fs::exists(db.string() + "-wal")) out += FileBytes(db.string() + "-wal");
  return out;
}

class EncryptedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-atrest-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = dir_ / "cases.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<SqliteCaseStore> Open(std::shared_ptr<const StorageRowCipher> cipher) {
    SqliteOptions opts;
    opts.synchronous = SqliteSync::kNormal;
    opts.cipher = std::move(cipher);
    opts.seal_batch = 2;  // several batches even for a few rows
    auto s = SqliteCaseStore::Open(db_.string(), opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs one statement on a raw connection (tests damage rows with it).
  void RawExec(const std::string& sql) {
    auto conn = sqlite::SqliteConnection::Open(db_.string(), {});
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec(sql).ok()) << sql;
  }
  std::string RawText(const std::string& sql) {
    auto conn = sqlite::SqliteConnection::Open(db_.string(), {});
    EXPECT_TRUE(conn.ok());
    Result<std::string> t = (*conn)->QueryText(sql);
    EXPECT_TRUE(t.ok()) << sql;
    return t.ok() ? *t : "";
  }

  fs::path dir_;
  fs::path db_;
};

TEST_F(EncryptedStoreTest, R22NoPlaintextPhoneOrNoteInTheFileAndLookupsWork) {
  auto cipher = MakeCipher("k1:" + kHex1);
  {
    auto store = Open(cipher);
    ASSERT_TRUE(store);
    Result<Case> created = store->Create(MakeCase(kPhone, kNote));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    Case c = *created;
    c.history.push_back({0, c.created_at, "op1", "note", "second note: 8 916 123-45-67 called"});
    ASSERT_TRUE(store->Update(c, c.version).ok());

    // Lookups by phone in any accepted form go through the keyed hash.
    Result<std::vector<Case>> found = store->FindByPhone("8 (916) 123-45-67", 10);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0].phone, kPhone);
    EXPECT_EQ((*found)[0].summary, kNote);
    CaseQuery q;
    q.phone = kPhone;
    Result<CasePage> page = store->Search(q);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->cases.size(), 1u);
    Result<Case> full = store->GetByNumber(c.number);
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->portal_account_id, "portal-7781");
    ASSERT_EQ(full->history.size(), 2u);
    EXPECT_EQ(full->history[0].detail, kNote + " (history)");
    int visited = 0;
    ASSERT_TRUE(store->ForEach([&](const Case& each) {
                   EXPECT_EQ(each.history.size(), 2u);
                   EXPECT_EQ(each.phone, kPhone);
                   return ++visited > 0;
                 }).ok());
    EXPECT_EQ(visited, 1);
  }
  {
    SqliteCallRecordStore::Options o;
    o.synchronous = SqliteSync::kNormal;
    o.cipher = cipher;
    auto calls = SqliteCallRecordStore::Open(db_.string(), o);
    ASSERT_TRUE(calls.ok()) << calls.status().ToString();
    CallRecordRow r;
    r.call_id = "call-1";
    r.from = "89161234567";
    r.caller_e164 = kPhone;
    r.dialled = "115";
    r.started = FromUnixMillis(1'700'000'000'000);
    r.ended = r.started;
    r.end_reason = "caller_hangup";
    ASSERT_TRUE((*calls)->Append(r).ok());
    ASSERT_TRUE((*calls)->Flush().ok());
    Result<std::vector<CallRecordRow>> mine = (*calls)->FindByCaller("8 916 123 45 67", 10);
    ASSERT_TRUE(mine.ok()) << mine.status().ToString();
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ((*mine)[0].from, "89161234567");
    EXPECT_EQ((*mine)[0].caller_e164, kPhone);
    ASSERT_TRUE((*calls)->Close().ok());
  }
  // The file and its WAL, raw: neither the phone (in any form) nor the note.
  const std::string bytes = AllBytes(db_);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(kPhone), std::string::npos);
  EXPECT_EQ(bytes.find("9161234567"), std::string::npos);
  EXPECT_EQ(bytes.find("pension recalculation"), std::string::npos);
  EXPECT_EQ(bytes.find("portal-7781"), std::string::npos);
  EXPECT_EQ(bytes.find("123-45-67"), std::string::npos);
  // Non-personal columns stay searchable in clear.
  EXPECT_NE(bytes.find("pensions"), std::string::npos);
}

TEST_F(EncryptedStoreTest, R22ExistingPlaintextRowsAreSealedAtFirstOpenWithAKey) {
  {
    auto store = Open(nullptr);  // a database from before encryption
    ASSERT_TRUE(store);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store->Create(MakeCase("+7916123456" + std::to_string(i), kNote)).ok());
    }
  }
  EXPECT_EQ(RawText("SELECT phone FROM cases WHERE id = 1"), "+79161234560");
  {
    auto store = Open(MakeCipher("k1:" + kHex1));
    ASSERT_TRUE(store);
    Result<std::vector<Case>> found = store->FindByPhone("+79161234563", 10);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0].summary, kNote);
    EXPECT_EQ((*found)[0].history.size(), 0u);  // summary view
    Result<Case> full = store->GetByNumber((*found)[0].number);
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->history.at(0).detail, kNote + " (history)");
  }
  RawExec("VACUUM");  // old pages with the clear text go away
  EXPECT_EQ(RawText("SELECT COUNT(*) FROM cases WHERE substr(phone, 1, 5) <> 'gse1.'"), "0");
  EXPECT_EQ(RawText("SELECT COUNT(*) FROM case_history WHERE substr(detail, 1, 5) <> 'gse1.'"), "0");
  EXPECT_EQ(AllBytes(db_).find("9161234563"), std::string::npos);
  // Now a keyless open is refused instead of reading ciphertext as data.
  auto keyless = SqliteCaseStore::Open(db_.string());
  ASSERT_FALSE(keyless.ok());
  EXPECT_EQ(keyless.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(keyless.status().message().find("without a data key"), std::string::npos);
}

TEST_F(EncryptedStoreTest, R22WrongKeyIsAClearErrorAndNothingIsWritten) {
  {
    auto store = Open(MakeCipher("k1:" + kHex1));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Create(MakeCase(kPhone, kNote)).ok());
  }
  RawExec("PRAGMA wal_checkpoint(TRUNCATE)");
  const std::string before = FileBytes(db_);
  SqliteOptions opts;
  opts.cipher = MakeCipher("k1:" + kHex2);  // same id, other key
  auto wrong = SqliteCaseStore::Open(db_.string(), opts);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(wrong.status().message().find("key file test.key"), std::string::npos)
      << wrong.status().message();
  EXPECT_EQ(FileBytes(db_), before);
  SqliteCallRecordStore::Options co;
  co.cipher = opts.cipher;
  EXPECT_FALSE(SqliteCallRecordStore::Open(db_.string(), co).ok());
  // A ring without the key id at all is refused the same way.
  opts.cipher = MakeCipher("k9:" + kHex1);
  EXPECT_FALSE(SqliteCaseStore::Open(db_.string(), opts).ok());
  EXPECT_EQ(FileBytes(db_), before);
  // The right key still opens it.
  auto store = Open(MakeCipher("k1:" + kHex1));
  ASSERT_TRUE(store);
  EXPECT_EQ(store->FindByPhone(kPhone, 5)->size(), 1u);
}

TEST_F(EncryptedStoreTest, R22TruncatedCiphertextFailsThatRowOnly) {
  auto store = Open(MakeCipher("k1:" + kHex1));
  ASSERT_TRUE(store);
  Result<Case> a = store->Create(MakeCase(kPhone, kNote));
  Result<Case> b = store->Create(MakeCase("+79160000000", "other"));
  ASSERT_TRUE(a.ok() && b.ok());
  RawExec("UPDATE cases SET summary = substr(summary, 1, length(summary) - 7) WHERE id = " +
          std::to_string(a->id));
  Result<Case> bad = store->GetByNumber(a->number);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kCorruption);
  EXPECT_NE(bad.status().message().find("cases row " + std::to_string(a->id)), std::string::npos);
  EXPECT_NE(bad.status().message().find("summary"), std::string::npos) << bad.status().message();
  // The store goes on serving the other rows.
  Result<Case> good = store->GetByNumber(b->number);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->summary, "other");
  // A ciphertext copied onto another row does not decrypt there either.
  RawExec("UPDATE cases SET phone = (SELECT phone FROM cases WHERE id = " + std::to_string(a->id) +
          ") WHERE id = " + std::to_string(b->id));
  EXPECT_EQ(store->GetByNumber(b->number).status().code(), Status::Code::kCorruption);
}

TEST_F(EncryptedStoreTest, R22OversizedFieldIsRefusedNotStored) {
  auto store = Open(MakeCipher("k1:" + kHex1));
  ASSERT_TRUE(store);
  Result<Case> r = store->Create(MakeCase(kPhone, std::string(FieldCipher::kMaxFieldBytes + 1, 'x')));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store->FindByPhone(kPhone, 5)->size(), 0u);
}

TEST_F(EncryptedStoreTest, R22RotationReencryptsEveryRowAndResumes) {
  {
    auto store = Open(MakeCipher("k1:" + kHex1));
    ASSERT_TRUE(store);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store->Create(MakeCase("+7916123456" + std::to_string(i), kNote)).ok());
    }
  }
  auto both = MakeCipher("k1:" + kHex1 + "\nk2:" + kHex2);
  // Before rotation the new ring finds rows under the old key.
  {
    auto store = Open(both);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->FindByPhone("+79161234562", 5)->size(), 1u);
  }
  auto conn = sqlite::SqliteConnection::Open(db_.string(), {});
  ASSERT_TRUE(conn.ok());
  int batches = 0;
  Result<sqlite::RotationTotals> totals =
      sqlite::RotateDataKeys(**conn, *both, 2, [&](const sqlite::RotationProgress&) { ++batches; });
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_EQ(totals->rotated, 10);  // 5 cases + 5 history rows
  EXPECT_EQ(totals->failed, 0);
  EXPECT_GE(batches, 6);
  EXPECT_EQ(RawText("SELECT COUNT(*) FROM cases WHERE phone LIKE 'gse1.%.k1.%' OR phone_hmac "
                    "LIKE 'k1.%' OR summary LIKE 'gse1.%.k1.%'"),
            "0");
  // Running it again (as after an interruption) rewrites nothing.
  Result<sqlite::RotationTotals> again = sqlite::RotateDataKeys(**conn, *both, 2, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rotated, 0);
  conn->reset();
  // The old key can go: the new one alone opens and reads everything.
  auto store = Open(MakeCipher("k2:" + kHex2));
  ASSERT_TRUE(store);
  Result<std::vector<Case>> found = store->FindByPhone("+79161234564", 5);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(store->GetByNumber((*found)[0].number)->history.at(0).detail, kNote + " (history)");
}

// R22/R30: a recording is sealed as it is written, the sealed bytes hold no
// audio, playback gets the exact audio back as a WAV; a renamed file, a wrong
// key and a missing key are refused.
TEST_F(EncryptedStoreTest, R22RecordingsAreSealedAndPlayBackExactly) {
  const fs::path sealed = dir_ / "0000000013_1.wav.sealed";
  std::string audio;
  for (int i = 0; i < 4000; ++i) audio += static_cast<char>(i * 7);
  auto cipher = MakeCipher("k1:" + kHex1);
  const KeyRing& ring = cipher->field_cipher().ring();
  {
    auto writer = SealedRecordingWriter::Create(ring, sealed.string(), "0000000013", {});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Append(audio).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  const std::string on_disk = FileBytes(sealed);
  EXPECT_EQ(on_disk.find("RIFF"), std::string::npos);
  EXPECT_EQ(on_disk.find(audio.substr(16, 64)), std::string::npos);

  const LinkedRecording linked{dir_.string(), "0000000013", sealed.string()};
  Result<PlayableRecording> played = ReadRecording({cipher.get(), &ring}, linked, 1 << 20);
  ASSERT_TRUE(played.ok()) << played.status().ToString();
  EXPECT_EQ(played->wav, WavHeader({}, audio.size()) + audio);
  EXPECT_FALSE(ReadRecording({}, linked, 1 << 20).ok());
  auto wrong = MakeCipher("k9:" + kHex2);
  EXPECT_FALSE(ReadRecording({wrong.get(), &wrong->field_cipher().ring()}, linked, 1 << 20).ok());
  EXPECT_EQ(ReadRecording({cipher.get(), &ring}, linked, 100).status().code(),
            Status::Code::kResourceExhausted);
  const fs::path other = dir_ / "0000000099_1.wav.sealed";
  fs::rename(sealed, other);
  // Bound to its name and case: renamed to another case's recording, it does not open there.
  EXPECT_FALSE(
      ReadRecording({cipher.get(), &ring}, {dir_.string(), "0000000099", other.string()}, 1 << 20).ok());
  EXPECT_EQ(ReadRecording({cipher.get(), &ring}, {dir_.string(), "0000000013", (dir_ / "x.txt").string()},
                          1 << 20)
                .status()
                .code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace gosline::security
