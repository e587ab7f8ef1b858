// The `security:` section of the configuration (issue 5; R19-R21): where the
// data key lives, session expiry, login lockout, the password hash profile,
// the audit log file and the demo's bootstrap API key. Plain data; serve and
// the user/apikey/audit commands turn it into the security adapters' types.
#pragma once

#include <string>

namespace gosline {

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

  // The audit log (R21); "" = the case database's path + ".audit".
  std::string audit_path;

  // Demo bootstrap: on first start serve creates one integration API key with
  // these scopes and writes it (0600) to this file. "" = off.
  std::string bootstrap_api_key_file;
  std::string bootstrap_api_key_scopes = "cases:read cases:write";
};

}  // namespace gosline
