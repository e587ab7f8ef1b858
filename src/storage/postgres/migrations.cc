#include "storage/postgres/migrations.h"

#include <string>

namespace gosline::postgres {
namespace {

// Migration 1: the case registry (R14-R17), as the SQLite engine's after its
// migrations 1 and 5: phones, portal accounts, summaries and history texts
// are sealed (row_cipher.h) and phones found by their keyed hash. is_open is
// derived from status so "open cases first" is served by an index; searches
// read the indexes backwards (newest first), keyed on (created_at_ms, id).
//
// Ids come from case_id_counter, not from MAX(id) + 1 nor a sequence: a
// creating transaction takes the next id under the counter row's lock, held
// until it commits, so several nodes never give out the same id (nor the
// number made from it), a rolled-back creation leaves no gap, and an
// imported number may move the counter forward in the same transaction.
constexpr std::string_view kSchemaV1Cases = R"sql(
CREATE TABLE cases (
  id                BIGINT  PRIMARY KEY,
  number            TEXT    NOT NULL UNIQUE,
  phone             TEXT    NOT NULL,
  phone_hmac        TEXT,
  portal_account_id TEXT,
  channel           TEXT    NOT NULL,
  topic             TEXT    NOT NULL,
  agency            TEXT    NOT NULL,
  region            TEXT    NOT NULL,
  priority          TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  summary           TEXT    NOT NULL,
  created_at_ms     BIGINT  NOT NULL,
  updated_at_ms     BIGINT  NOT NULL,
  due_at_ms         BIGINT,
  version           BIGINT  NOT NULL,
  is_open           INTEGER GENERATED ALWAYS AS
                      (CASE WHEN status IN ('resolved', 'closed') THEN 0 ELSE 1 END) STORED
);
-- phone_hmac is NULL once retention or a citizen's request erased the
-- personal data (R23, R24): the case stays for statistics, found by no phone.
CREATE INDEX cases_by_phone_hmac ON cases (phone_hmac, is_open, created_at_ms, id);
CREATE INDEX cases_by_status     ON cases (status, created_at_ms, id);
CREATE INDEX cases_by_topic      ON cases (topic, created_at_ms, id);
CREATE INDEX cases_by_region     ON cases (region, created_at_ms, id);
CREATE INDEX cases_by_created    ON cases (created_at_ms, id);

CREATE TABLE case_id_counter (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT  NOT NULL
);
INSERT INTO case_id_counter (id, last_id) VALUES (1, 0);

CREATE TABLE case_history (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  seq     BIGINT NOT NULL,
  at_ms   BIGINT NOT NULL,
  actor   TEXT   NOT NULL,
  action  TEXT   NOT NULL,
  detail  TEXT   NOT NULL,
  PRIMARY KEY (case_id, seq)
);

-- pos keeps the links in the order they were made, and tells Update which
-- links of a case are already stored.
CREATE TABLE case_links (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  pos     BIGINT NOT NULL,
  kind    TEXT   NOT NULL,
  ref     TEXT   NOT NULL,
  at_ms   BIGINT NOT NULL,
  PRIMARY KEY (case_id, pos)
);

-- A known value sealed under the data key, so a node started with another
-- key is refused before it reads or writes a row (R22).
CREATE TABLE data_key_check (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value TEXT    NOT NULL
);
)sql";

// Migration 2: call records (R14, R16, R18) as the SQLite engine's after its
// migrations 2, 4 and 5: telephony's row per call attempt, the contact
// centre's outcome on it, and the caller's number sealed with a keyed-hash
// lookup column. Call-IDs are not unique (a caller may reuse one after a
// failed attempt): the latest row of a Call-ID is the one with the highest id.
constexpr std::string_view kSchemaV2CallRecords = R"sql(
CREATE TABLE call_records (
  id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id        TEXT    NOT NULL,
  from_number    TEXT    NOT NULL,
  caller_e164    TEXT,
  caller_hmac    TEXT,
  dialled        TEXT    NOT NULL,
  region         TEXT,
  started_at_ms  BIGINT  NOT NULL,
  answered_at_ms BIGINT,
  ended_at_ms    BIGINT  NOT NULL,
  end_reason     TEXT    NOT NULL,
  sip_status     INTEGER NOT NULL,
  language       TEXT    NOT NULL,
  ivr_path       TEXT    NOT NULL,
  topic          TEXT    NOT NULL,
  queue          TEXT    NOT NULL,
  case_number    TEXT    NOT NULL,
  digits         TEXT    NOT NULL,
  prompts        TEXT    NOT NULL,
  ivr_end        TEXT    NOT NULL,
  linked_case    TEXT    NOT NULL DEFAULT '',
  operator_id    TEXT    NOT NULL DEFAULT '',
  wait_ms        BIGINT,
  talk_ms        BIGINT,
  wrap_up_ms     BIGINT,
  outcome        TEXT    NOT NULL DEFAULT '',
  recording_path TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX call_records_by_call_id     ON call_records (call_id, id);
CREATE INDEX call_records_by_started     ON call_records (started_at_ms, id);
CREATE INDEX call_records_by_caller_hmac ON call_records (caller_hmac, started_at_ms);
CREATE INDEX call_records_by_linked_case ON call_records (linked_case);
)sql";

// Migration 3: consents (R24), as the SQLite engine's migration 6: one row
// per decision, the phone sealed under its row id and found by keyed hash.
constexpr std::string_view kSchemaV3Consents = R"sql(
CREATE TABLE consents (
  id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone          TEXT    NOT NULL,
  phone_hmac     TEXT    NOT NULL,
  channel        TEXT    NOT NULL,
  granted        BOOLEAN NOT NULL,
  source         TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  recorded_at_ms BIGINT  NOT NULL
);
CREATE INDEX consents_by_phone ON consents (phone_hmac, recorded_at_ms);
)sql";

// Migration 4: the staff-facing stores that several nodes share (R4, R19-R21):
// staff accounts, their sessions and API keys as the SQLite engine's
// migration 3, so a session or key made on one node is valid on every node
// and a sign-out or revocation is seen by all; and the audit log, one hash
// chain for the whole line (the content as BYTEA: the exact bytes the hash
// covers). audit_head is created with its row (seq 0, the
// genesis hash) so every append can lock it (SELECT ... FOR UPDATE) and
// appends from every node queue on it: each record chains to the one
// committed before it, and the chain never forks. Triggers refuse to change
// or delete a record, to truncate, and to move the head other than one
// forward.
constexpr std::string_view kSchemaV4Staff = R"sql(
CREATE TABLE users (
  id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  login            TEXT    NOT NULL UNIQUE,
  display_name     TEXT    NOT NULL,
  role             TEXT    NOT NULL,
  password_hash    TEXT    NOT NULL,
  totp_secret      TEXT,
  totp_pending     TEXT,
  totp_last_step   BIGINT,
  recovery_hashes  TEXT    NOT NULL DEFAULT '',
  disabled         BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins    INTEGER NOT NULL DEFAULT 0,
  created_at_ms    BIGINT  NOT NULL
);

CREATE TABLE sessions (
  token_hash       TEXT    PRIMARY KEY,
  user_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at_ms    BIGINT  NOT NULL,
  last_seen_ms     BIGINT  NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
  id               TEXT    PRIMARY KEY,
  name             TEXT    NOT NULL,
  secret_hash      TEXT    NOT NULL,
  scopes           TEXT    NOT NULL,
  revoked          BOOLEAN NOT NULL DEFAULT FALSE,
  created_at_ms    BIGINT  NOT NULL
);

CREATE TABLE audit_log (
  seq       BIGINT PRIMARY KEY,
  at_ms     BIGINT NOT NULL,
  actor     BYTEA  NOT NULL,
  action    BYTEA  NOT NULL,
  object    BYTEA  NOT NULL,
  detail    BYTEA  NOT NULL,
  prev_hash TEXT   NOT NULL,
  hash      TEXT   NOT NULL
);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT  NOT NULL,
  hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only';
END $$;
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq <> OLD.seq + 1 OR NEW.id <> OLD.id THEN
    RAISE EXCEPTION 'audit head only moves forward by one';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
)sql";

// Migration 5: one queue order for the nodes of a line (R4, R11,
// storage/cluster_store.h). cluster_leader numbers the leaders (the term
// fences decisions); cluster_calls and cluster_operators are what a new
// leader rebuilds from; cluster_events and cluster_decisions are the two
// directions of traffic, deleted once taken. The caller's number in
// cluster_calls is sealed like every other at rest when there is a data key.
constexpr std::string_view kSchemaV5Cluster = R"sql(
CREATE TABLE cluster_leader (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  term      BIGINT  NOT NULL,
  node_id   TEXT    NOT NULL,
  since     TIMESTAMPTZ
);
INSERT INTO cluster_leader (id, term, node_id) VALUES (1, 0, '');

CREATE TABLE cluster_nodes (
  node_id      TEXT        PRIMARY KEY,
  heartbeat_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cluster_calls (
  id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  node_id        TEXT    NOT NULL,
  local_call     BIGINT  NOT NULL,
  enqueued_at_ms BIGINT  NOT NULL,
  state          TEXT    NOT NULL,
  operator_id    TEXT    NOT NULL,
  sip_call_id    TEXT    NOT NULL,
  caller         TEXT    NOT NULL,
  dialled        TEXT    NOT NULL,
  caller_region  TEXT    NOT NULL,
  language       TEXT    NOT NULL,
  topic          TEXT    NOT NULL,
  queue          TEXT    NOT NULL,
  ivr_path       TEXT    NOT NULL,
  collected      TEXT    NOT NULL,
  started_at_ms  BIGINT  NOT NULL,
  case_number    TEXT    NOT NULL,
  has_open_case  BOOLEAN NOT NULL,
  earlier_cases  TEXT    NOT NULL,
  UNIQUE (node_id, local_call)
);
CREATE INDEX cluster_calls_by_enqueued ON cluster_calls (enqueued_at_ms, id);

CREATE TABLE cluster_operators (
  operator_id TEXT   PRIMARY KEY,
  state       TEXT   NOT NULL,
  reason      TEXT   NOT NULL,
  at_ms       BIGINT NOT NULL
);

CREATE TABLE cluster_events (
  seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  node_id     TEXT   NOT NULL,
  call_id     BIGINT NOT NULL,
  kind        TEXT   NOT NULL,
  operator_id TEXT   NOT NULL,
  fields      TEXT   NOT NULL,
  at_ms       BIGINT NOT NULL
);

CREATE TABLE cluster_decisions (
  seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  term        BIGINT NOT NULL,
  node_id     TEXT   NOT NULL,
  call_id     BIGINT NOT NULL,
  local_call  BIGINT NOT NULL,
  kind        TEXT   NOT NULL,
  operator_id TEXT   NOT NULL,
  fields      TEXT   NOT NULL
);
CREATE INDEX cluster_decisions_by_node ON cluster_decisions (node_id, seq);
)sql";

// Migration 6: a password an administrator issued is temporary (R19): the
// user replaces it, and enrols their own second factor, at first sign-in
// (as the SQLite engine's users.password_temporary).
constexpr std::string_view kSchemaV6TemporaryPassword = R"sql(
ALTER TABLE users ADD COLUMN password_temporary BOOLEAN NOT NULL DEFAULT FALSE;
)sql";

// Migration 7: the citizens' channel (R26): idempotency keys of the
// citizens' POSTs, shared by every node (a retry may reach another node).
constexpr std::string_view kSchemaV7CitizenChannel = R"sql(
CREATE TABLE idempotency_keys (
  scope         TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  body          TEXT    NOT NULL,
  location      TEXT    NOT NULL,
  created_at_ms BIGINT  NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ms);
)sql";

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version       INTEGER PRIMARY KEY,
  applied_at_ms BIGINT  NOT NULL
);
)sql";

// Held by the transaction that migrates, released by its commit.
constexpr std::string_view kLockMigrations =
    "SELECT pg_advisory_xact_lock(hashtext('gosline.schema_migrations'))";

// Migration 8: the line's configuration (storage/config_version_store.h):
// each accepted live edit is one numbered row, the number its key, so every
// node takes the newest and two nodes cannot both store the same number.
constexpr std::string_view kSchemaV8ConfigVersions = R"sql(
CREATE TABLE config_versions (
  version       BIGINT PRIMARY KEY CHECK (version > 0),
  author        TEXT   NOT NULL,
  changed_at_ms BIGINT NOT NULL,
  document      TEXT   NOT NULL
);
)sql";

int ReadVersion(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0].as<int>();
}

Status TooNew(int found) {
  return Status::FailedPrecondition(
      "database schema version " + std::to_string(found) +
      " is newer than this gosline binary supports (" + std::to_string(LatestSchemaVersion()) +
      "); run a newer gosline or point it at another database");
}

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = {
      {1, "case registry: cases, case_history, case_links, data_key_check", kSchemaV1Cases},
      {2, "call records with the contact centre's outcome: call_records", kSchemaV2CallRecords},
      {3, "citizens' consents: consents", kSchemaV3Consents},
      {4, "staff and audit shared by the nodes: users, sessions, api_keys, audit_log, audit_head",
       kSchemaV4Staff},
      {5, "one queue order for several nodes: cluster_leader, cluster_nodes, cluster_calls, "
          "cluster_operators, cluster_events, cluster_decisions", kSchemaV5Cluster},
      {6, "temporary passwords replaced at first sign-in: users.password_temporary",
       kSchemaV6TemporaryPassword},
      {7, "citizens' channel: idempotency_keys", kSchemaV7CitizenChannel},
      {8, "the line's configuration shared by the nodes: config_versions", kSchemaV8ConfigVersions},
  };
  return kAll;
}

int LatestSchemaVersion() { return AllMigrations().back().version; }

Result<int> CurrentSchemaVersion(ConnectionPool& pool) {
  int version = 0;
  Status st = pool.Run(ConnectionPool::Access::kWrite, [&](pqxx::transaction_base& tx) {
    tx.exec(std::string(kLockMigrations));
    tx.exec(std::string(kCreateMigrationsTable));
    version = ReadVersion(tx);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return version;
}

Status ApplyMigrations(ConnectionPool& pool, Time applied_at) {
  return pool.Run(ConnectionPool::Access::kWrite, [&](pqxx::transaction_base& tx) -> Status {
    tx.exec(std::string(kLockMigrations));
    tx.exec(std::string(kCreateMigrationsTable));
    const int current = ReadVersion(tx);
    if (current > LatestSchemaVersion()) return TooNew(current);
    for (const Migration& m : AllMigrations()) {
      if (m.version <= current) continue;
      try {
        tx.exec(std::string(m.sql));
      } catch (const pqxx::sql_error& e) {
        return Status::Internal("migration " + std::to_string(m.version) + " (" +
                                std::string(m.name) + ") failed: " + e.what());
      }
      tx.exec_params("INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)",
                     m.version, ToUnixMillis(applied_at));
    }
    return Status::Ok();
  });
}

}  // namespace gosline::postgres
