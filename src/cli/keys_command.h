// The data key of encryption at rest (R22) from the command line:
//   gosline keys rotate [--batch N] [--resume]
// rotate appends a fresh key to security.key_file (the active one from then
// on), re-encrypts every sealed field and phone hash of the database in
// batches, renews the key check, re-seals every sealed recording in
// telephony.recordings_dir as a stream under the new key, and leaves the old key in the file: remove
// it by hand once the command says all rows are under the new key (backups
// made before need it). --resume finishes an interrupted rotation without
// adding another key. Start and end are audited (counts, never data).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/cli_context.h"
#include "config/config.h"
#include "core/common/status.h"
#include "security/key_ring.h"
#include "storage/row_cipher.h"

namespace gosline::cli {

// The stores' cipher for `config`: the key in security.key_file, else in
// GOSLINE_DATA_KEY; null when neither is configured (the stores then keep
// data in clear). A key file that is set but unreadable, too open or
// malformed is an error naming it. serve and every command opening the case
// database pass this as SqliteOptions::cipher.
Result<std::shared_ptr<const RowCipher>> DataCipherFor(const Config& config);

// The same key ring, for recordings (sealed as streams under their own
// subkey, R22); null when no key is configured.
Result<std::shared_ptr<const security::KeyRing>> RecordingKeysFor(const Config& config);

struct KeysRotateOptions {
  CliContext context{};
  int batch = 500;
  bool resume = false;
};

// 0: every row is under the active key; 1: an error (printed, naming the key
// file); nothing is written when the current key does not open the database.
int RunKeysRotate(const KeysRotateOptions& opts, std::ostream& out, std::ostream& err);

void AddKeysCommand(CLI::App& app);

}  // namespace gosline::cli
