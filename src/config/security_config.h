// The `security:` section of the configuration (R19-R21): where the
// data key lives, session expiry, login lockout, the password hash profile,
// the audit log file and the demo's bootstrap API key. Plain data; serve and
// the user/apikey/audit commands turn it into the security adapters' types.
#pragma once

#include <string>
#include <vector>

namespace gosline {

// Abuse protection where calls enter (R25), `security.abuse:`. Limits are per
// caller number and per number prefix only -- never for the line as a whole.
// The defaults mirror core/security's AbusePolicy.
struct AbuseSettings {
  bool enabled = true;
  int per_number_calls = 6;        // a number may call this many times at once ...
  int per_number_refill_s = 300;   // ... then once more per this many seconds
  int per_prefix_calls = 300;
  int per_prefix_refill_ms = 200;
  int prefix_digits = 7;           // digits after '+' that make a prefix
  int flood_short_calls = 5;       // this many calls shorter than short_call_s ...
  int flood_short_call_s = 10;
  int flood_window_s = 600;        // ... within this flag the number
  int flood_sources = 4;           // one number from this many sources ...
  int flood_sources_window_s = 600;
  int flood_flag_s = 3600;         // a flagged number is refused this long
  int block_status = 603;          // SIP answer to block-listed and flooding numbers: 603, 403 or 486
  std::vector<std::string> block;  // E.164 numbers or prefixes ending in '*'
  std::vector<std::string> allow;  // numbers never limited by number (the source still is)
  // Per signalling source address: `per_source_calls` at once, then one per
  // refill; at most `per_source_max_calls` calls in progress (0: no cap).
  // Trusted sources (carriers' trunks: many citizens behind one address, as
  // IP literals) are limited per number only.
  int per_source_calls = 100;
  int per_source_refill_ms = 100;
  int per_source_max_calls = 100;
  std::vector<std::string> trusted_sources;
};

// Retention (R23): days after which the retention job deletes call metadata
// and personal data not tied to an open case, and recordings.
struct RetentionSettings {
  int call_metadata_days = 30;
  int personal_data_days = 30;
  int recording_days = 5 * 365 + 2;  // five years, leap days included
};

struct SecuritySettings {
  // Data key file (key_ring.h); "" = the GOSLINE_DATA_KEY variable, if set.
  // TOTP secrets are encrypted under it; without a key no one can enrol.
  std::string key_file;
  // The demo: serve and `gosline user add` create the key file (0600) when missing.
  bool create_key_if_missing = false;

  int session_idle_minutes = 30;
  int session_absolute_minutes = 720;  // one shift

  int lockout_account_failures = 5;    // within lockout_window_minutes
  int lockout_address_failures = 20;
  int lockout_window_minutes = 15;
  int lockout_account_minutes = 1;     // first lock; doubles each time, up to an hour
  int lockout_address_minutes = 15;

  // argon2id limits: moderate (production), interactive, minimum (tests only).
  std::string password_hash = "moderate";
  // Password hashing runs on this many worker threads, with at most
  // password_queue sign-ins waiting; beyond that a sign-in gets 503 at once
  // (each hash holds the argon2 memory; the HTTP threads must stay free).
  int password_workers = 2;
  int password_queue = 32;

  // The audit log (R21); "" = the case database's path + ".audit".
  std::string audit_path;

  // Demo bootstrap: on first start serve creates one integration API key with
  // these scopes and writes it (0600) to this file. "" = off.
  std::string bootstrap_api_key_file;
  std::string bootstrap_api_key_scopes = "cases:read cases:write";

  RetentionSettings retention;

  AbuseSettings abuse;
};

}  // namespace gosline
