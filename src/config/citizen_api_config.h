// The `citizen_api:` section: the citizens' channel (R26) and the webhooks
// to the apps (R27). Citizens sign in at the state identity provider
// (OpenID Connect); the API checks their access tokens against the
// provider's published keys (a file and/or an https URL). Without an issuer
// the citizens' routes answer 503; the webhooks run either way.
#pragma once

#include <string>

namespace gosline {

struct CitizenApiSettings {
  std::string issuer;         // "iss" of the provider's tokens; "" = citizens' API off
  std::string audience;       // "aud" they must carry (our client id at the provider)
  std::string jwks_file;      // the provider's keys as a JWKS file
  std::string jwks_url;       // and/or fetched from here (https; http only on loopback)
  std::string jwks_ca_file;   // extra CA for jwks_url ("" = the system's)
  int leeway_seconds = 60;    // clocks drift: exp and nbf are checked this loosely
  // Per citizen (token subject) and per client address, so one account or
  // one host cannot take the line's capacity (429 with Retry-After beyond).
  int requests_per_minute_per_subject = 60;
  int requests_per_minute_per_address = 300;
  // Webhooks (R27): each attempt is cut off after the timeout; failed
  // deliveries are retried with growing pauses for retry_hours, then
  // dead-lettered (an administrator can replay them).
  int webhook_timeout_ms = 5000;
  int webhook_first_retry_ms = 5000;  // the pause doubles after each failure, up to an hour
  int webhook_retry_hours = 24;
  int webhook_queue = 1000;   // deliveries in memory at once; the rest wait in the outbox

  bool enabled() const { return !issuer.empty(); }
};

}  // namespace gosline
