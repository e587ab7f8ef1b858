// The hotline's telephony as `gosline serve` runs it: a
// TelephonyServer on the configuration's telephony section and dialled
// numbers, each answered call running the IVR of the ivr section, call
// records written to the registry, case status answered from CaseService off
// the SIP and media threads, the caller's region from the numbering register.
//
// Threads: Start, Reconfigure and Stop from the serve thread (Reconfigure
// also from an HTTP thread: the administrators' configuration editor);
// reconfigure_mu_ serialises them and guards what they change here. The
// SIP, media and lookup threads live inside server_ and lookup_.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "app/case_service.h"
#include "app/case_status_lookup.h"
#include "config/config.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"
#include "storage/call_record_store.h"
#include "telephony/registry_call_record_sink.h"
#include "telephony/telephony_config.h"
#include "telephony/telephony_server.h"

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
  // Prepares prompts (espeak-ng, cached) and starts SIP and media. `cases`
  // and `clock` must outlive this object. Every call's record goes to `records`, which
  // this object closes when it stops (the engine seals callers' numbers, R22).
  // `recording_keys`: the data key recordings are sealed under while they
  // are made (R22); null, they are written in clear.
  static Result<std::unique_ptr<HotlineTelephony>> Start(
      const Config& config, const TelephonyOverrides& overrides, CaseService& cases,
      const Clock& clock, std::unique_ptr<CallRecordStore> records,
      std::shared_ptr<const security::KeyRing> recording_keys = nullptr);
  ~HotlineTelephony();
  HotlineTelephony(const HotlineTelephony&) = delete;
  HotlineTelephony& operator=(const HotlineTelephony&) = delete;

  // Ends the calls in progress (BYE), answers pending case lookups, writes
  // every call's record. Idempotent.
  void Stop();

  // R4: the node takes no new calls (503 with Retry-After and a Reason to
  // INVITE and to the front's OPTIONS probes) and the calls in progress go
  // on; active_calls() tells when they are done, Stop ends what is left.
  // Any thread; for good.
  void BeginDrain(std::string why) {
    if (server_) server_->BeginDrain(std::move(why));
  }

  // The watchdog's question (TelephonyServer::LoopsAnswered); true when stopped.
  bool LoopsAnswered() { return server_ ? server_->LoopsAnswered() : true; }

  // Administration ("applied without a restart"): the edited
  // configuration, loaded and validated, for the calls from the next INVITE
  // on. Live: service.numbers (a number removed answers 404 like any unknown
  // one), the IVR with its hours and holidays (its prompts are synthesised
  // here first, on the caller's thread; calls in progress finish on the IVR
  // they started with), security.abuse.block/.allow/.enabled (rate-limit
  // buckets and flood state kept). Anything else the telephony reads at
  // start (ports, TLS, max_calls, recordings_dir, timers, abuse policy)
  // refuses the whole change with FailedPrecondition naming it ("telephony.sip.port
  // changes need a restart"); a prompt that cannot be made refuses it too.
  // Nothing changes when it fails. Any thread but SIP/media; serialised.
  Status Reconfigure(const Config& next);

  // As started (Reconfigure changes the numbers and prompts of new calls only there).
  const TelephonyConfig& config() const { return config_; }
  size_t active_calls() const { return server_ ? server_->active_calls() : 0; }
  // Smoothed busy share of the media loop's tick (monitoring); any thread.
  double media_busy_share() const { return server_ ? server_->media_busy_share() : 0; }
  // What the call-record store has written (monitoring); any thread.
  CallRecordStore::Stats call_record_stats() { return records_ ? records_->stats() : CallRecordStore::Stats{}; }
  // The contact centre: queued calls are reported to it from now
  // on (null: callers only hear the waiting prompts); it rings operators and
  // speaks to waiting callers through call_connector(). Must outlive this.
  void AttachCallCentre(contact_centre::CallCentrePort* centre) { server_->SetCallCentre(centre); }
  contact_centre::CallConnector& call_connector() { return *server_; }

 private:
  class LookupAdapter;
  HotlineTelephony() = default;

  TelephonyConfig config_;
  TelephonyOverrides overrides_;   // re-applied to every configuration change
  Mutex reconfigure_mu_;
  AbuseSettings abuse_ GOSLINE_GUARDED_BY(reconfigure_mu_);  // as running (Reconfigure compares the policy)
  const Clock* clock_ = nullptr;  // the composition root's, set by Start
  // Declared in the order they are needed; the server, last, goes first.
  std::unique_ptr<CallRecordStore> records_;
  std::unique_ptr<RegistryCallRecordSink> sink_;
  std::unique_ptr<gosline::CaseStatusLookup> lookup_;  // the app's, on worker threads
  std::unique_ptr<LookupAdapter> lookup_adapter_;
  // R25; outlives server_. Made when abuse protection is on (at start or
  // later); kept when it is turned off, as the SIP thread may be in it.
  // Set by Start before the object is shared, then only under reconfigure_mu_
  // (not annotated: Start's set-up lines would need the lock for nothing).
  std::unique_ptr<CallAdmission> admission_;
  std::unique_ptr<RecognizerFactory> recognizers_;  // R7; null when no model is installed
  std::unique_ptr<TelephonyServer> server_;
  bool stopped_ GOSLINE_GUARDED_BY(reconfigure_mu_) = false;
};

}  // namespace gosline::telephony
