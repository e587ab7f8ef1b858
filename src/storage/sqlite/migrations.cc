#include "storage/sqlite/migrations.h"

#include <chrono>
#include <string>

namespace gosline::sqlite {
namespace {

// Migration 1: the case registry. STRICT tables so a value of the wrong type
// is refused at write time. is_open is derived from status (resolved and
// closed are done) so "open cases first" can be served by an index.
// Searches want newest first, keyed on (created_at_ms, id): every index ends
// in created_at_ms and, implicitly, the rowid (= id), and is read backwards.
// Ascending keys make new cases land at the right edge of each index, which
// keeps pages full (descending keys split pages in half).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  number            TEXT    NOT NULL UNIQUE,
  phone             TEXT    NOT NULL,
  portal_account_id TEXT,
  channel           TEXT    NOT NULL,
  topic             TEXT    NOT NULL,
  agency            TEXT    NOT NULL,
  region            TEXT    NOT NULL,
  priority          TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  summary           TEXT    NOT NULL,
  created_at_ms     INTEGER NOT NULL,
  updated_at_ms     INTEGER NOT NULL,
  due_at_ms         INTEGER,
  version           INTEGER NOT NULL,
  is_open           INTEGER GENERATED ALWAYS AS (status NOT IN ('resolved', 'closed')) VIRTUAL
) STRICT;

CREATE INDEX cases_by_phone   ON cases (phone, is_open, created_at_ms);
CREATE INDEX cases_by_status  ON cases (status, created_at_ms);
CREATE INDEX cases_by_topic   ON cases (topic, created_at_ms);
CREATE INDEX cases_by_region  ON cases (region, created_at_ms);
CREATE INDEX cases_by_created ON cases (created_at_ms);

CREATE TABLE case_history (
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  at_ms   INTEGER NOT NULL,
  actor   TEXT    NOT NULL,
  action  TEXT    NOT NULL,
  detail  TEXT    NOT NULL,
  PRIMARY KEY (case_id, seq)
) STRICT, WITHOUT ROWID;

-- pos keeps the links in the order they were made, and tells Update which
-- links of a case are already stored.
CREATE TABLE case_links (
  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  pos     INTEGER NOT NULL,
  kind    TEXT    NOT NULL,
  ref     TEXT    NOT NULL,
  at_ms   INTEGER NOT NULL,
  PRIMARY KEY (case_id, pos)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 2: call records (R14, R16): one row per call attempt,
// written by the telephony adapter through SqliteCallRecordStore. Call-IDs
// are not unique (a caller may reuse one after a failed attempt).
constexpr std::string_view kSchemaV2CallRecords = R"sql(
CREATE TABLE call_records (
  id             INTEGER PRIMARY KEY,
  call_id        TEXT    NOT NULL,
  from_number    TEXT    NOT NULL,
  caller_e164    TEXT,
  dialled        TEXT    NOT NULL,
  region         TEXT,
  started_at_ms  INTEGER NOT NULL,
  answered_at_ms INTEGER,
  ended_at_ms    INTEGER NOT NULL,
  end_reason     TEXT    NOT NULL,
  sip_status     INTEGER NOT NULL,
  language       TEXT    NOT NULL,
  ivr_path       TEXT    NOT NULL,
  topic          TEXT    NOT NULL,
  queue          TEXT    NOT NULL,
  case_number    TEXT    NOT NULL,
  digits         TEXT    NOT NULL,
  prompts        TEXT    NOT NULL,
  ivr_end        TEXT    NOT NULL
) STRICT;

CREATE INDEX call_records_by_call_id ON call_records (call_id);
CREATE INDEX call_records_by_started ON call_records (started_at_ms);
CREATE INDEX call_records_by_caller  ON call_records (caller_e164, started_at_ms);
)sql";

// Migration 3: staff accounts, their sessions and integration API keys
// (R19, R20). Only hashes of passwords, session tokens, API key
// secrets and recovery codes are stored; the TOTP secret is encrypted
// (field_cipher) under a key kept outside the database.
constexpr std::string_view kSchemaV3Staff = R"sql(
CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  login            TEXT    NOT NULL UNIQUE,
  display_name     TEXT    NOT NULL,
  role             TEXT    NOT NULL,
  password_hash    TEXT    NOT NULL,
  totp_secret      TEXT,
  totp_pending     TEXT,
  totp_last_step   INTEGER,
  recovery_hashes  TEXT    NOT NULL DEFAULT '',
  disabled         INTEGER NOT NULL DEFAULT 0,
  failed_logins    INTEGER NOT NULL DEFAULT 0,
  last_failed_ms   INTEGER,
  created_at_ms    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash       TEXT    PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at_ms    INTEGER NOT NULL,
  last_seen_ms     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
  id               TEXT    PRIMARY KEY,
  name             TEXT    NOT NULL,
  secret_hash      TEXT    NOT NULL,
  scopes           TEXT    NOT NULL,
  revoked          INTEGER NOT NULL DEFAULT 0,
  created_at_ms    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Migration 5: encryption at rest (R22). Phones, portal accounts,
// summaries, history texts and callers' numbers become ciphertexts
// (row_cipher.h); lookups by phone go through a keyed hash column instead of
// the phone. The key check tells a wrong key before anything is touched.
// Existing rows are sealed by the store on its first open with a key
// (SqliteCaseStore::Open), since SQL alone has no key. Without a key the
// hash columns hold the phone itself (a plaintext database, as before).
constexpr std::string_view kSchemaV5AtRest = R"sql(
ALTER TABLE cases ADD COLUMN phone_hmac TEXT;
UPDATE cases SET phone_hmac = phone;
DROP INDEX cases_by_phone;
CREATE INDEX cases_by_phone_hmac ON cases (phone_hmac, is_open, created_at_ms);

ALTER TABLE call_records ADD COLUMN caller_hmac TEXT;
UPDATE call_records SET caller_hmac = caller_e164;
DROP INDEX call_records_by_caller;
CREATE INDEX call_records_by_caller_hmac ON call_records (caller_hmac, started_at_ms);

-- sealed_all: 0 while rows written in clear before the key are being sealed.
CREATE TABLE data_key_check (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  value      TEXT    NOT NULL,
  sealed_all INTEGER NOT NULL DEFAULT 0
) STRICT;
)sql";

// Migration 4: what the contact centre adds to a call record (R13,
// R14, R30): the case the call was filed under, who answered, the wait, talk
// and wrap-up times, the outcome and the recording. Written by
// SqliteCallOutcomeStore onto the row telephony wrote for the same Call-ID.
constexpr std::string_view kSchemaV4CallOutcome = R"sql(
ALTER TABLE call_records ADD COLUMN linked_case    TEXT NOT NULL DEFAULT '';
ALTER TABLE call_records ADD COLUMN operator_id    TEXT NOT NULL DEFAULT '';
ALTER TABLE call_records ADD COLUMN wait_ms        INTEGER;
ALTER TABLE call_records ADD COLUMN talk_ms        INTEGER;
ALTER TABLE call_records ADD COLUMN wrap_up_ms     INTEGER;
ALTER TABLE call_records ADD COLUMN outcome        TEXT NOT NULL DEFAULT '';
ALTER TABLE call_records ADD COLUMN recording_path TEXT NOT NULL DEFAULT '';
CREATE INDEX call_records_by_linked_case ON call_records (linked_case);
)sql";

// Migration 6: consents (R24): per citizen phone and channel, with
// time and source; the phone sealed like the cases' (row_cipher.h), found by
// its keyed hash. The newest row per phone and channel is in force.
constexpr std::string_view kSchemaV6Consents = R"sql(
CREATE TABLE consents (
  id             INTEGER PRIMARY KEY,
  phone          TEXT    NOT NULL,
  phone_hmac     TEXT    NOT NULL,
  channel        TEXT    NOT NULL,
  granted        INTEGER NOT NULL,
  source         TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  recorded_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX consents_by_phone ON consents (phone_hmac, recorded_at_ms);
)sql";

// Migration 7: every recording of every leg, so that erasure and retention
// find each one (R23, R24). The recordings the call records named (the last
// leg of each call) are carried over: their key and size are not known here.
constexpr std::string_view kSchemaV7Recordings = R"sql(
CREATE TABLE recordings (
  id            INTEGER PRIMARY KEY,
  call_id       TEXT    NOT NULL,
  case_number   TEXT    NOT NULL,
  leg           INTEGER NOT NULL,
  file_name     TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  sealed_key_id TEXT    NOT NULL,
  size_bytes    INTEGER NOT NULL,
  deleted_at_ms INTEGER
) STRICT;
CREATE INDEX recordings_by_call    ON recordings (call_id);
CREATE INDEX recordings_by_case    ON recordings (case_number);
CREATE INDEX recordings_by_created ON recordings (created_at_ms) WHERE deleted_at_ms IS NULL;
CREATE INDEX recordings_by_file    ON recordings (file_name);
-- Deleting a recording clears what points at its file.
CREATE INDEX case_links_by_recording ON case_links (ref) WHERE kind = 'recording';
CREATE INDEX call_records_by_recording ON call_records (recording_path) WHERE recording_path <> '';
INSERT INTO recordings (call_id, case_number, leg, file_name, created_at_ms, sealed_key_id, size_bytes)
  SELECT call_id, COALESCE(NULLIF(linked_case, ''), case_number), 1, recording_path, started_at_ms,
         '', 0
  FROM call_records WHERE recording_path <> '';
)sql";

// Migration 8: line probes (R4): each node's call to the line through the
// front, for the monthly availability report.
constexpr std::string_view kSchemaV8LineProbes = R"sql(
CREATE TABLE line_probes (
  id     INTEGER PRIMARY KEY,
  at_ms  INTEGER NOT NULL,
  node   TEXT    NOT NULL,
  ok     INTEGER NOT NULL,
  detail TEXT    NOT NULL
) STRICT;
CREATE INDEX line_probes_by_time ON line_probes (at_ms);
)sql";

// Migration 9: the reports' 15-minute rollups (R13, R18;
// storage/report_rollup_store.h). A write to a call record marks its
// interval (started_at_ms floored to 15 minutes) in report_dirty_intervals in
// the same transaction, and so does a write that changes another call's
// repeat-contact answers (same caller and topic within 7 days either side);
// SqliteReportRollupStore recounts marked intervals. Only the columns the
// figures read mark an update: sealing numbers at rest or anonymising them
// for retention leaves the counts alone. Deletes mark nothing (the
// anonymous figures outlive the records). Existing calls are marked at once.
constexpr std::string_view kSchemaV9ReportRollups = R"sql(
CREATE TABLE report_rollups (
  dimension       TEXT    NOT NULL,
  interval_ms     INTEGER NOT NULL,
  key             TEXT    NOT NULL,
  calls           INTEGER NOT NULL,
  offered         INTEGER NOT NULL,
  answered        INTEGER NOT NULL,
  abandoned       INTEGER NOT NULL,
  short_abandoned INTEGER NOT NULL,
  answered_within INTEGER NOT NULL,
  transfers       INTEGER NOT NULL,
  callbacks       INTEGER NOT NULL,
  ivr_contained   INTEGER NOT NULL,
  identified      INTEGER NOT NULL,
  repeat_contacts INTEGER NOT NULL,
  fcr_eligible    INTEGER NOT NULL,
  fcr_resolved    INTEGER NOT NULL,
  wait_ms         INTEGER NOT NULL,
  waits           INTEGER NOT NULL,
  talk_ms         INTEGER NOT NULL,
  talks           INTEGER NOT NULL,
  wrap_up_ms      INTEGER NOT NULL,
  wrap_ups        INTEGER NOT NULL,
  handle_ms       INTEGER NOT NULL,
  handles         INTEGER NOT NULL,
  PRIMARY KEY (dimension, interval_ms, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_dirty_intervals (
  interval_ms INTEGER PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER call_records_mark_report_insert AFTER INSERT ON call_records BEGIN
  INSERT OR IGNORE INTO report_dirty_intervals VALUES ((NEW.started_at_ms / 900000) * 900000);
  INSERT OR IGNORE INTO report_dirty_intervals
    SELECT DISTINCT (p.started_at_ms / 900000) * 900000 FROM call_records p
    WHERE NEW.caller_hmac IS NOT NULL AND NEW.caller_hmac <> '' AND NEW.topic <> ''
      AND p.caller_hmac = NEW.caller_hmac AND p.topic = NEW.topic
      AND p.started_at_ms BETWEEN NEW.started_at_ms - 604800000 AND NEW.started_at_ms + 604800000;
END;

CREATE TRIGGER call_records_mark_report_update
AFTER UPDATE OF started_at_ms, dialled, region, topic, queue, ivr_end, operator_id, wait_ms,
                talk_ms, wrap_up_ms, outcome, linked_case ON call_records BEGIN
  INSERT OR IGNORE INTO report_dirty_intervals VALUES ((OLD.started_at_ms / 900000) * 900000);
  INSERT OR IGNORE INTO report_dirty_intervals VALUES ((NEW.started_at_ms / 900000) * 900000);
  INSERT OR IGNORE INTO report_dirty_intervals
    SELECT DISTINCT (p.started_at_ms / 900000) * 900000 FROM call_records p
    WHERE NEW.caller_hmac IS NOT NULL AND NEW.caller_hmac <> '' AND NEW.topic <> ''
      AND (NEW.topic IS NOT OLD.topic OR NEW.started_at_ms <> OLD.started_at_ms)
      AND p.caller_hmac = NEW.caller_hmac AND p.topic IN (NEW.topic, OLD.topic)
      AND p.started_at_ms BETWEEN NEW.started_at_ms - 604800000 AND NEW.started_at_ms + 604800000;
END;

-- A transfer shows as a second recorded leg of the call.
CREATE TRIGGER recordings_mark_report_insert AFTER INSERT ON recordings BEGIN
  INSERT OR IGNORE INTO report_dirty_intervals
    SELECT DISTINCT (r.started_at_ms / 900000) * 900000 FROM call_records r
    WHERE r.call_id = NEW.call_id;
END;

INSERT OR IGNORE INTO report_dirty_intervals
  SELECT DISTINCT (started_at_ms / 900000) * 900000 FROM call_records;
)sql";

// Migration 10: first sign-in (R19). A password the security administrator
// issued is temporary: the session it opens can only set the person's own
// password and enrol their authenticator.
constexpr std::string_view kSchemaV10TemporaryPasswords = R"sql(
ALTER TABLE users ADD COLUMN password_temporary INTEGER NOT NULL DEFAULT 0;
)sql";

// Migration 11: the keys a caller pressed (call_records.digits: a case
// number, a phone) are personal data, sealed like the caller's number (R22).
// SQL cannot seal: the migration marks the database as not all sealed, so
// the next start with the data key walks every row again and seals what is
// still in clear (sqlite::SealPlaintextRows), digits included.
constexpr std::string_view kSchemaV11SealDigits = R"sql(
UPDATE data_key_check SET sealed_all = 0;
)sql";

// Migration 12: the citizens' channel (R26, R27): idempotency keys of the
// citizens' POSTs, the cases each portal account opened through the API
// and its "call with context" codes, the webhook subscriptions and the
// outbox of their deliveries.
constexpr std::string_view kSchemaV12CitizenChannel = R"sql(
CREATE TABLE idempotency_keys (
  scope         TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  body          TEXT    NOT NULL,
  location      TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ms);
CREATE TABLE citizen_cases (
  account_key   TEXT    NOT NULL,
  case_number   TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account_key, case_number)
) STRICT;
CREATE TABLE call_contexts (
  code          TEXT    PRIMARY KEY,
  account_key   TEXT    NOT NULL,
  topic         TEXT    NOT NULL,
  case_number   TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE webhook_subscriptions (
  id            INTEGER PRIMARY KEY,
  url           TEXT    NOT NULL,
  events        TEXT    NOT NULL,
  secret        TEXT    NOT NULL,
  include_phone INTEGER NOT NULL,
  description   TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE webhook_outbox (
  id                 INTEGER PRIMARY KEY,
  message_id         TEXT    NOT NULL UNIQUE,
  subscription_id    INTEGER NOT NULL,
  event              TEXT    NOT NULL,
  payload            TEXT    NOT NULL,
  created_at_ms      INTEGER NOT NULL,
  attempts           INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  state              TEXT    NOT NULL,
  last_error         TEXT    NOT NULL,
  delivered_at_ms    INTEGER
) STRICT;
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at_ms) WHERE state = 'pending';
CREATE INDEX webhook_outbox_by_state ON webhook_outbox (state, id);
)sql";

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version       INTEGER PRIMARY KEY,
  applied_at_ms INTEGER NOT NULL
);
)sql";

Result<int> ReadVersion(SqliteConnection& conn) {
  GOSLINE_ASSIGN_OR_RETURN(Statement stmt,
      conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  GOSLINE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || sqlite3_column_type(stmt.raw(), 0) != SQLITE_INTEGER) {
    return Status::Corruption("schema_migrations: version is not an integer");
  }
  return static_cast<int>(sqlite3_column_int64(stmt.raw(), 0));
}

Status TooNew(int found) {
  return Status::FailedPrecondition(
      "database schema version " + std::to_string(found) +
      " is newer than this gosline binary supports (" + std::to_string(LatestSchemaVersion()) +
      "); run a newer gosline or point it at another database");
}

// Applies one step unless another process got there first.
Status ApplyOne(SqliteConnection& conn, const Migration& m, Time applied_at) {
  GOSLINE_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn, Transaction::Kind::kWrite));
  GOSLINE_ASSIGN_OR_RETURN(int current, ReadVersion(conn));
  if (current >= m.version) return Status::Ok();
  if (current != m.version - 1) {
    return Status::Corruption("schema_migrations: expected version " +
                              std::to_string(m.version - 1) + ", found " +
                              std::to_string(current));
  }
  Status st = conn.Exec(m.sql);
  if (!st.ok()) {
    if (st.code() == Status::Code::kIoError) return st;
    return Status::Internal("migration " + std::to_string(m.version) + " (" +
                            std::string(m.name) + ") failed: " + st.message());
  }
  GOSLINE_ASSIGN_OR_RETURN(Statement rec,
      conn.Prepare("INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?1, ?2)"));
  rec.Bind(1, static_cast<int64_t>(m.version));
  rec.Bind(2, ToUnixMillis(applied_at));
  GOSLINE_RETURN_IF_ERROR(rec.Run());
  return tx.Commit();
}

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = {
      {1, "case registry: cases, case_history, case_links", kSchemaV1},
      {2, "call records: call_records", kSchemaV2CallRecords},
      {3, "staff: users, sessions, api_keys", kSchemaV3Staff},
      {4, "contact centre: call outcome columns on call_records", kSchemaV4CallOutcome},
      {5, "encryption at rest: phone hash columns, data_key_check", kSchemaV5AtRest},
      {6, "citizens' consents: consents", kSchemaV6Consents},
      {7, "recordings of every leg: recordings", kSchemaV7Recordings},
      {8, "availability: line_probes", kSchemaV8LineProbes},
      {9, "reports: report_rollups, report_dirty_intervals and their triggers", kSchemaV9ReportRollups},
      {10, "first sign-in: users.password_temporary", kSchemaV10TemporaryPasswords},
      {11, "call_records.digits sealed at rest: seal again at the next keyed start",
       kSchemaV11SealDigits},
      {12, "citizens' channel: idempotency_keys, citizen_cases, call_contexts, webhooks",
       kSchemaV12CitizenChannel},
  };
  return kAll;
}

int LatestSchemaVersion() { return AllMigrations().back().version; }

Result<int> CurrentSchemaVersion(SqliteConnection& conn) {
  GOSLINE_RETURN_IF_ERROR(conn.Exec(kCreateMigrationsTable));
  return ReadVersion(conn);
}

Status ApplyMigrations(SqliteConnection& conn, Time applied_at) {
  GOSLINE_ASSIGN_OR_RETURN(int current, CurrentSchemaVersion(conn));
  if (current > LatestSchemaVersion()) return TooNew(current);
  for (const Migration& m : AllMigrations()) {
    if (m.version <= current) continue;
    GOSLINE_RETURN_IF_ERROR(ApplyOne(conn, m, applied_at));
  }
  return Status::Ok();
}

}  // namespace gosline::sqlite
