#include "telephony/hotline_telephony.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "telephony/caller_region.h"
#include "telephony/case_status_lookup.h"
#include "telephony/ivr_call_flow.h"
#include "telephony/pocketsphinx_recognizer.h"
#include "telephony/restart_only_settings.h"

namespace gosline::telephony {
namespace {

// What callers hear when the configuration has no ivr section.
constexpr const char* kFallbackGreeting =
    "Здравствуйте! Вы позвонили на единую линию поддержки портала Госуслуг. "
    "Оставайтесь на линии.";

int EvenPorts(uint16_t min, uint16_t max) {
  const int first = (min + 1) & ~1;
  return first > max ? 0 : (max - first) / 2 + 1;
}

std::string Join(const std::vector<std::string>& items, const char* sep = ",") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Each answered call runs the configuration's IVR (null: the greeting flow).
std::function<std::unique_ptr<CallFlow>()> IvrFlowOf(const Config& config) {
  std::shared_ptr<const IvrModel> model = config.ivr.model;
  if (!model) return {};
  return [model]() -> std::unique_ptr<CallFlow> { return std::make_unique<IvrCallFlow>(model); };
}

}  // namespace

// The app's lookup (answers on its worker thread) as the adapter's interface.
class HotlineTelephony::LookupAdapter : public telephony::CaseStatusLookup {
 public:
  explicit LookupAdapter(gosline::CaseStatusLookup& lookup) : lookup_(lookup) {}
  void Lookup(const std::string& case_number, const std::string& phone_last4,
              std::function<void(CaseLookupResultEvent)> done) override {
    lookup_.Lookup(case_number, phone_last4, std::move(done));
  }

 private:
  gosline::CaseStatusLookup& lookup_;
};

TelephonyConfig MakeTelephonyConfig(const Config& config, const TelephonyOverrides& overrides) {
  const TelephonySettings& t = config.telephony;
  TelephonyConfig c;
  c.sip_address = t.sip_listen;
  c.sip_port = overrides.sip_port.value_or(t.sip_port);
  c.sip_transports = t.sip_transports;
  c.sip_tls_port = t.sip_tls ? t.sip_tls_port : 0;
  c.sip_tls_cert_dir = t.sip_tls_cert_dir;
  c.user_agent = t.user_agent;
  c.rtp_address = t.rtp_listen;
  c.rtp_port_min = overrides.rtp_ports ? overrides.rtp_ports->first : t.rtp_port_min;
  c.rtp_port_max = overrides.rtp_ports ? overrides.rtp_ports->second : t.rtp_port_max;
  const int ports = EvenPorts(c.rtp_port_min, c.rtp_port_max);
  c.max_calls = static_cast<size_t>(std::max(1, std::min(overrides.max_calls.value_or(t.max_calls), ports)));
  c.retry_after_s = t.retry_after_s;
  c.media_overload_share = t.media_overload_share;
  c.ring_time = std::chrono::milliseconds(t.ring_ms);
  c.session_expires_s = static_cast<unsigned>(t.session_expires_s);
  c.min_se_s = static_cast<unsigned>(t.min_se_s);
  c.media_timeout = std::chrono::seconds(t.media_timeout_s);
  c.max_call_duration = std::chrono::seconds(t.max_call_s);
  c.inband_dtmf_fallback = t.inband_dtmf;
  c.realtime_media = t.realtime_media;
  c.prompt_cache_dir = t.prompt_cache;
  c.numbers = config.service.numbers;
  // Operators' phones: SIP passwords (made on first start, one per
  // configured operator), recordings, the callback key, the no-response limit.
  c.operator_passwords_file = t.operator_passwords_file;
  c.recordings_dir = t.recordings_dir;
  c.callback_key = t.callback_key;
  c.operator_no_response = std::chrono::milliseconds(t.operator_no_response_ms);
  // R22: the loader accepted only the three names.
  c.srtp = SrtpModeFromName(t.srtp).value_or(SrtpMode::kOffer);
  for (const auto& [number, mode] : t.srtp_numbers) {
    c.srtp_numbers[number] = SrtpModeFromName(mode).value_or(c.srtp);
  }
  c.srtp_over_udp = t.srtp_over_udp;
  for (const routing::OperatorProfile& op : config.routing.operators) {
    auto phone = config.centre.phones.find(op.id);
    const std::string user = phone != config.centre.phones.end() && !phone->second.sip_user.empty()
                                 ? phone->second.sip_user
                                 : op.id;
    c.demo_operators.push_back(user);
    if (phone != config.centre.phones.end() && !phone->second.srtp.empty()) {
      c.srtp_operators[op.id] = SrtpModeFromName(phone->second.srtp).value_or(c.srtp);
    }
    if (user != op.id) c.operator_sip_users[op.id] = user;
  }
  if (config.ivr.model) {
    c.prompts = IvrPromptSpecs(*config.ivr.model);
  } else {
    c.prompts = {PromptSpec{"greeting", config.service.default_language, kFallbackGreeting, ""}};
    c.greeting_prompt = "greeting";
  }
  return c;
}

Result<std::unique_ptr<HotlineTelephony>> HotlineTelephony::Start(
    const Config& config, const TelephonyOverrides& overrides, CaseService& cases,
    const Clock& clock, std::unique_ptr<CallRecordStore> records,
    std::shared_ptr<const security::KeyRing> recording_keys) {
  std::unique_ptr<HotlineTelephony> t(new HotlineTelephony());
  t->config_ = MakeTelephonyConfig(config, overrides);
  t->config_.recording_keys = std::move(recording_keys);
  t->overrides_ = overrides;
  t->clock_ = &clock;
  {
    MutexLock lock(t->reconfigure_mu_);  // nobody else has t yet; the analysis cannot know
    t->abuse_ = config.security.abuse;
  }

  if (!records) return Status::InvalidArgument("telephony needs a call record store");
  t->records_ = std::move(records);
  t->sink_ = std::make_unique<RegistryCallRecordSink>(*t->records_);
  t->lookup_ = std::make_unique<gosline::CaseStatusLookup>(cases);
  t->lookup_adapter_ = std::make_unique<LookupAdapter>(*t->lookup_);

  TelephonyServerDeps deps;
  deps.records = t->sink_.get();
  if (config.security.abuse.enabled) {
    GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<CallAdmission> admission,
        CallAdmission::Create(config.security.abuse, clock));
    t->admission_ = std::move(admission);
    deps.admission = t->admission_.get();
  }
  deps.case_lookup = t->lookup_adapter_.get();
  deps.make_flow = IvrFlowOf(config);
  // R7: English speech with Debian's pocketsphinx model when it is installed;
  // listen steps in other languages (and without the model) take keys only.
  if (PocketsphinxModelInstalled(PocketsphinxModel{})) {
    t->recognizers_ = std::make_unique<PocketsphinxRecognizerFactory>(PocketsphinxModel{});
    deps.recognizers = t->recognizers_.get();
  } else {
    spdlog::info("telephony: no speech model installed (pocketsphinx-en-us); listen steps take keys");
  }
  Result<std::shared_ptr<const numbering::NumberingPlan>> plan = LoadNumberingPlan(config);
  if (plan.ok()) {
    deps.region_of = RegionOf(*plan);
    if (!(*plan)->unmapped_region_names().empty()) {
      spdlog::warn("telephony: {} region name(s) of the numbering register have no code, e.g. '{}'",
                   (*plan)->unmapped_region_names().size(),
                   (*plan)->unmapped_region_names().front());
    }
  } else {
    spdlog::warn("telephony: callers' regions unknown: {}", plan.status().message());
  }

  const auto prepare_start = std::chrono::steady_clock::now();
  t->server_ = std::make_unique<TelephonyServer>(t->config_, std::move(deps), clock);
  if (Status st = t->server_->Start(); !st.ok()) {
    t->Stop();
    return st;
  }
  const TelephonyConfig& c = t->config_;
  spdlog::info(
      "telephony: SIP on {}:{} ({}) for {} - RTP {}:{}-{} - up to {} calls - {} prompts "
      "ready in {:.1f} s (cache {}) - IVR {} - caller regions {} - media loop {}",
      c.sip_address, c.sip_port, Join(c.sip_transports), Join(c.numbers), c.rtp_address,
      c.rtp_port_min, c.rtp_port_max, c.max_calls, c.prompts.size(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - prepare_start).count(),
      c.prompt_cache_dir, config.ivr.model ? "from the ivr section" : "none (greeting only)",
      plan.ok() ? config.routing.numbering_csv : "unknown",
      t->server_->media_realtime() ? "realtime (SCHED_FIFO)" : "normal priority");
  return t;
}

HotlineTelephony::~HotlineTelephony() { Stop(); }

Status HotlineTelephony::Reconfigure(const Config& next) {
  MutexLock lock(reconfigure_mu_);
  if (stopped_ || !server_) return Status::FailedPrecondition("telephony is stopped");
  const TelephonyConfig c = MakeTelephonyConfig(next, overrides_);
  std::vector<std::string> fixed = SettingsNeedingRestart(config_, c);
  for (std::string& s : AbuseSettingsNeedingRestart(abuse_, next.security.abuse)) {
    fixed.push_back(std::move(s));
  }
  if (!fixed.empty()) {
    return Status::FailedPrecondition(Join(fixed, ", ") + " changes need a restart", fixed.front());
  }
  const AbuseSettings& abuse = next.security.abuse;
  // The lists are checked before anything changes (the config loader has
  // already reported malformed entries; this keeps the change all or nothing).
  GOSLINE_ASSIGN_OR_RETURN(std::unique_ptr<CallAdmission> fresh,
      CallAdmission::Create(abuse, *clock_));

  // Prompts are made here, before the switch; on failure the old IVR stays.
  GOSLINE_RETURN_IF_ERROR(server_->UpdateCallSetup(c.numbers, IvrFlowOf(next), c.prompts));

  if (!abuse.enabled) {
    server_->SetAdmission(nullptr);
  } else if (admission_) {
    // The same limiter: rate-limit buckets and flood state survive the change.
    if (Status st = admission_->SetLists(abuse.block, abuse.allow); !st.ok()) {
      spdlog::error("telephony: block list not changed: {}", st.ToString());
    }
    server_->SetAdmission(admission_.get());
  } else {
    admission_ = std::move(fresh);
    server_->SetAdmission(admission_.get());
  }
  abuse_ = abuse;
  if (c.demo_operators != config_.demo_operators ||
      c.operator_sip_users != config_.operator_sip_users) {
    spdlog::warn("telephony: operators' SIP accounts follow the configuration after a restart");
  }
  spdlog::info("telephony reconfigured: numbers {} - {} prompts - IVR {} - abuse protection {} "
               "(block list {}, allow list {})",
               Join(c.numbers), c.prompts.size(),
               next.ivr.model ? "from the ivr section" : "none (greeting only)",
               abuse.enabled ? "on" : "off", abuse.block.size(), abuse.allow.size());
  return Status::Ok();
}

void HotlineTelephony::Stop() {
  MutexLock lock(reconfigure_mu_);  // a change in progress finishes first
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->Stop();    // BYE to every call; their records are written
  if (lookup_) lookup_->Stop();    // lookups still queued answer "unavailable"
  if (records_) {
    Status st = records_->Close();
    if (!st.ok()) spdlog::error("call records: {}", st.ToString());
    const CallRecordStore::Stats s = records_->stats();
    spdlog::info("telephony stopped: {} call records written, {} lost", s.written, s.failed);
  }
}

}  // namespace gosline::telephony
