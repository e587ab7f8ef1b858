// The hotline's telephony as `gosline serve` runs it (issue 3): a
// TelephonyServer on the configuration's telephony section and dialled
// numbers, each answered call running the IVR of the ivr section, call
// records written to the registry, case status answered from CaseService off
// the SIP and media threads, the caller's region from the numbering register.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "app/case_service.h"
#include "app/case_status_lookup.h"
#include "config/config.h"
#include "core/common/status.h"
#include "storage/sqlite/sqlite_call_record_store.h"
#include "telephony/registry_call_record_sink.h"
#include "telephony/telephony_config.h"
#include "telephony/telephony_server.h"

// For `gosline serve`: this telephony hands queued calls to the contact centre.
#define GOSLINE_TELEPHONY_HAS_CALL_CENTER 1

namespace gosline::telephony {

// Command-line overrides (tests and benchmarks use their own ports).
struct TelephonyOverrides {
  std::optional<uint16_t> sip_port;
  std::optional<std::pair<uint16_t, uint16_t>> rtp_ports;
  std::optional<int> max_calls;
};

// The adapter's configuration: the telephony section with the overrides,
// service.numbers, and the IVR's prompts (a fixed greeting without an IVR).
// max_calls never exceeds the RTP ports available.
TelephonyConfig MakeTelephonyConfig(const Config& config, const TelephonyOverrides& overrides);

class HotlineTelephony {
 public:
  // Prepares prompts (espeak-ng, cached), opens the call records and starts
  // SIP and media. `cases` must outlive this object.
  // `cipher` seals the callers' numbers in the call records (R22); null keeps
  // them in clear (no data key configured).
  static Result<std::unique_ptr<HotlineTelephony>> Start(
      const Config& config, const TelephonyOverrides& overrides, CaseService& cases,
      std::shared_ptr<const sqlite::RowCipher> cipher = nullptr);
  ~HotlineTelephony();
  HotlineTelephony(const HotlineTelephony&) = delete;
  HotlineTelephony& operator=(const HotlineTelephony&) = delete;

  // Ends the calls in progress (BYE), answers pending case lookups, writes
  // every call's record. Idempotent.
  void Stop();

  const TelephonyConfig& config() const { return config_; }
  size_t active_calls() const { return server_ ? server_->active_calls() : 0; }
  // The contact centre (issue 4): queued calls are reported to it from now
  // on (null: callers only hear the waiting prompts); it rings operators and
  // speaks to waiting callers through call_connector(). Must outlive this.
  void AttachCallCenter(contact_center::CallCenterPort* centre) { server_->SetCallCenter(centre); }
  contact_center::CallConnector& call_connector() { return *server_; }

 private:
  class LookupAdapter;
  HotlineTelephony() = default;

  TelephonyConfig config_;
  // Declared in the order they are needed; the server, last, goes first.
  std::unique_ptr<SqliteCallRecordStore> records_;
  std::unique_ptr<RegistryCallRecordSink> sink_;
  std::unique_ptr<gosline::CaseStatusLookup> lookup_;  // the app's, on worker threads
  std::unique_ptr<LookupAdapter> lookup_adapter_;
  std::unique_ptr<CallAdmission> admission_;  // R25; outlives server_
  std::unique_ptr<TelephonyServer> server_;
  bool stopped_ = false;
};

}  // namespace gosline::telephony
