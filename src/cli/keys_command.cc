#include "cli/keys_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/exit_code.h"
#include "cli/security_context.h"
#include "core/common/system_clock.h"
#include "security/key_ring.h"
#include "security/recording_cipher.h"
#include "security/storage_row_cipher.h"
#include "storage/sqlite/at_rest.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_connection.h"

namespace gosline::cli {
namespace fs = std::filesystem;

namespace {

// "k<N>" one past the highest such id in the ring, never one in use.
std::string NextKeyId(const security::KeyRing& ring) {
  int highest = 0;
  for (const std::string& id : ring.ids()) {
    if (id.size() > 1 && id[0] == 'k' && id.find_first_not_of("0123456789", 1) == std::string::npos &&
        id.size() < 9) {
      highest = std::max(highest, std::atoi(id.c_str() + 1));
    }
  }
  std::string id = "k" + std::to_string(highest + 1);
  while (ring.Find(id) != nullptr) id += "x";
  return id;
}

// Rewrites the key file (0600, fsync, rename) with `entry` appended; a lone
// bare key gets its implicit id "default:" written out, since a ring of
// several keys needs ids.
Status AppendKeyEntry(const std::string& path, const std::string& entry) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the key file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text;
  std::string line;
  std::istringstream lines(ss.str());
  while (std::getline(lines, line)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line[first] != '#' && line.find(':') == std::string::npos &&
        line.find(',') == std::string::npos) {
      line = "default:" + line.substr(first);
    }
    text += line + "\n";
  }
  text += entry + "\n";
  const std::string tmp = path + ".rotate-tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Status::IoError("cannot write " + tmp);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (!written || !synced) {
    fs::remove(tmp, ec);
    return Status::IoError("cannot write " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot replace the key file " + path + ": " + ec.message());
  return Status::Ok();
}

struct RecordingRotation {
  int64_t scanned = 0;
  int64_t rotated = 0;
  int64_t failed = 0;
};

// R22: every sealed recording in the recordings folder re-sealed as a stream
// under the active key (whole-file seals of earlier versions converted). A
// recording that does not open is left as it is, and counted.
RecordingRotation RotateRecordings(const std::string& dir, const security::StorageRowCipher& cipher,
                                   std::ostream& err) {
  RecordingRotation totals;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return totals;
  const security::RecordingKeys keys{&cipher, &cipher.field_cipher().ring()};
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.ends_with(".wav" + std::string(security::kSealedRecordingSuffix)) ||
        !it->is_regular_file(ec)) {
      continue;
    }
    ++totals.scanned;
    Result<bool> resealed = security::ResealRecording(keys, it->path().string());
    if (!resealed.ok()) {
      ++totals.failed;
      err << "keys rotate: recording " << name << ": " << resealed.status().message() << "\n";
    } else if (*resealed) {
      ++totals.rotated;
    }
  }
  return totals;
}

}  // namespace

Result<std::shared_ptr<const RowCipher>> DataCipherFor(const Config& config) {
  const std::string& file = config.security.key_file;
  if (file.empty() && std::getenv(security::kDataKeyEnv) == nullptr) {
    return std::shared_ptr<const RowCipher>();
  }
  GOSLINE_ASSIGN_OR_RETURN(std::shared_ptr<const security::StorageRowCipher> cipher,
      security::StorageRowCipher::Load(file));
  return std::shared_ptr<const RowCipher>(std::move(cipher));
}

Result<std::shared_ptr<const security::KeyRing>> RecordingKeysFor(const Config& config) {
  const std::string& file = config.security.key_file;
  if (file.empty() && std::getenv(security::kDataKeyEnv) == nullptr) {
    return std::shared_ptr<const security::KeyRing>();
  }
  GOSLINE_ASSIGN_OR_RETURN(security::KeyRing ring, security::KeyRing::Load(file));
  return std::make_shared<const security::KeyRing>(std::move(ring));
}

int RunKeysRotate(const KeysRotateOptions& opts, std::ostream& out, std::ostream& err) {
  std::optional<Config> config = LoadConfigOrReport(opts.context.config_path, err);
  if (!config) return 1;
  if (!opts.context.db_path.empty()) config->storage.path = opts.context.db_path;
  const std::string& key_file = config->security.key_file;
  if (key_file.empty() && !opts.resume) {
    err << "keys rotate: security.key_file is not set; with the key in " << security::kDataKeyEnv
        << " append a new ID:KEY entry there yourself and run `gosline keys rotate --resume`\n";
    return 1;
  }
  const std::string key_name = key_file.empty() ? security::kDataKeyEnv : key_file;
  std::error_code ec;
  if (!fs::exists(config->storage.path, ec)) {
    err << "keys rotate: no case database at " << config->storage.path << "\n";
    return 1;
  }
  Result<std::shared_ptr<const security::StorageRowCipher>> current =
      security::StorageRowCipher::Load(key_file);
  if (!current.ok()) {
    err << "keys rotate: data key " << key_name << ": " << current.status().message()
        << "; nothing was changed\n";
    return 1;
  }
  auto conn = sqlite::SqliteConnection::Open(config->storage.path, {});
  if (!conn.ok()) {
    err << "keys rotate: cannot open " << config->storage.path << ": " << conn.status().message()
        << "\n";
    return 1;
  }
  // The key that is there now must open the database before anything changes.
  if (Status st = sqlite::CheckDataKey(**conn, current->get()); !st.ok()) {
    err << "keys rotate: " << st.message() << "\n";
    return 1;
  }
  if (Status st = sqlite::ApplyMigrations(**conn, SystemClock().Now()); !st.ok()) {
    err << "keys rotate: " << st.message() << "\n";
    return 1;
  }

  std::shared_ptr<const security::StorageRowCipher> cipher = *current;
  if (!opts.resume) {
    const std::string id = NextKeyId(cipher->field_cipher().ring());
    if (Status st = AppendKeyEntry(key_file, security::KeyRing::NewKeyEntry(id)); !st.ok()) {
      err << "keys rotate: " << st.message() << "; nothing was changed\n";
      return 1;
    }
    Result<std::shared_ptr<const security::StorageRowCipher>> next =
        security::StorageRowCipher::Load(key_file);
    if (!next.ok()) {
      err << "keys rotate: the key file " << key_file << " after adding key " << id << ": "
          << next.status().message() << "\n";
      return 1;
    }
    cipher = *next;
    out << "added key " << id << " to " << key_file << "; it encrypts new data from now on\n";
  }
  const std::string active = cipher->field_cipher().ring().active().id();
  AuditCliAction(*config, "keys.rotate.start", "key:" + active,
                 opts.resume ? "resume" : "new key", err);
  Result<sqlite::RotationTotals> totals = sqlite::RotateDataKeys(
      **conn, *cipher, std::max(1, opts.batch), [&](const sqlite::RotationProgress& p) {
        out << p.table << ": " << p.rotated << " of " << p.scanned << " rows re-encrypted\n";
      });
  if (!totals.ok()) {
    AuditCliAction(*config, "keys.rotate.interrupted", "key:" + active, totals.status().message(),
                   err);
    err << "keys rotate: " << totals.status().message()
        << "; batches done so far are kept: run `gosline keys rotate --resume`\n";
    return 1;
  }
  const RecordingRotation recordings =
      RotateRecordings(config->telephony.recordings_dir, *cipher, err);
  out << "recordings: " << recordings.rotated << " of " << recordings.scanned << " re-sealed\n";
  const std::string counts = "scanned " + std::to_string(totals->scanned) + ", re-encrypted " +
                             std::to_string(totals->rotated) + ", unreadable " +
                             std::to_string(totals->failed) + "; recordings: scanned " +
                             std::to_string(recordings.scanned) + ", re-sealed " +
                             std::to_string(recordings.rotated) + ", unreadable " +
                             std::to_string(recordings.failed);
  AuditCliAction(*config, "keys.rotate.done", "key:" + active, counts, err);
  if (totals->failed > 0 || recordings.failed > 0) {
    err << "keys rotate: " << counts << "; rows and recordings that did not decrypt were left as they were: "
        << "keep every old key in " << key_name << "\n";
    return 1;
  }
  out << "done: " << counts << "; every row is under key " << active
      << ". Older keys stay in " << key_name << " until you remove them (backups need them)\n";
  return 0;
}

void AddKeysCommand(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Data key of encryption at rest");
  keys->require_subcommand(1);
  auto* rotate = keys->add_subcommand(
      "rotate", "Add a new data key and re-encrypt every row under it (resumable)");
  auto o = std::make_shared<KeysRotateOptions>();
  rotate->add_option("--config", o->context.config_path, "Configuration file");
  rotate->add_option("--db", o->context.db_path, "Case database (overrides storage.path)");
  rotate->add_option("--batch", o->batch, "Rows per transaction")->check(CLI::Range(1, 100000));
  rotate->add_flag("--resume", o->resume, "Finish an interrupted rotation; add no key");
  rotate->callback([o] {
    if (int rc = RunKeysRotate(*o, std::cout, std::cerr); rc != 0) throw ExitCode{rc};
  });
}

}  // namespace gosline::cli
