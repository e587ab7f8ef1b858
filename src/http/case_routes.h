// The case registry over HTTP: /api/v1/cases and its sub-resources (R14-R17, R26).
#pragma once

#include <memory>
#include <string>

#include "app/case_service.h"
#include "app/case_visibility.h"
#include "security/key_ring.h"
#include "storage/row_cipher.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// Until authentication exists the acting user comes from this header.
inline constexpr const char* kActorHeader = "X-Gosline-Actor";
inline constexpr const char* kAnonymousActor = "anonymous";

// Playback of the recordings linked to cases (R30): only recordings of the
// case inside `dir` (telephony.recordings_dir) are served, whatever path a
// link holds (security/recording_location.h); without `dir`, none is.
// `keys`: the data key, to play recordings sealed as streams (R22);
// `cipher`: the row cipher, for the whole-file seals of earlier versions.
struct RecordingPlayback {
  std::string dir;
  std::shared_ptr<const RowCipher> cipher;
  std::shared_ptr<const security::KeyRing> keys;
};

// Registers the case routes; `service` must outlive the router.
// `visibility`: R20 rules (app/case_visibility.h); none = the rules without
// operators' queues (an operator sees the cases they handled).
Status AddCaseRoutes(Router& router, CaseService& service,
                     std::shared_ptr<const CaseVisibility> visibility = nullptr,
                     RecordingPlayback recordings = {});

}  // namespace gosline::http
