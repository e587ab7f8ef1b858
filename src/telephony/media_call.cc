#include "telephony/media_call.h"

#include <spdlog/spdlog.h>

namespace gosline::telephony {

const char* DigitSourceName(DigitSource s) {
  switch (s) {
    case DigitSource::kRfc4733: return "rfc4733";
    case DigitSource::kSipInfo: return "sip_info";
    case DigitSource::kInband: return "inband";
  }
  return "?";
}

MediaCall::MediaCall(uint64_t id, RtpSession rtp, std::unique_ptr<CallFlow> flow,
                     std::shared_ptr<const PromptLibrary> prompts, Outbox& outbox, Limits limits)
    : id_(id),
      rtp_(std::move(rtp)),
      flow_(std::move(flow)),
      prompts_(std::move(prompts)),
      outbox_(outbox),
      limits_(limits) {
  if (limits_.inband_dtmf_fallback && !rtp_.audio().telephone_event_pt) {
    inband_ = std::make_unique<InbandDtmfDetector>();
  }
}

void MediaCall::Start(const CallInfo& info, Time now) {
  started_ = now;
  last_rx_ = now;
  Execute(flow_->Start(info, now));
}

void MediaCall::OnTick(Time now) {
  if (bridge_ != nullptr) {
    int16_t pcm[kFrameSamples];
    uint8_t coded[kFrameSamples];
    bridge_->Tick(pcm);
    G711Encode(rtp_.audio().law, std::span<const int16_t>(pcm, kFrameSamples), coded);
    rtp_.SendFrame(coded);
  } else {
    PromptPlayer::Frame frame = player_.Next(rtp_.audio().law);
    rtp_.SendFrame(frame.coded);
    if (frame.started && prompts_heard_.size() < kMaxPrompts) {
      prompts_heard_.push_back(frame.started->id);
    }
    if (frame.finished == kAnnouncement) {
      ResumeWaiting();
    } else if (frame.finished == kFarewell) {
      RequestHangup(CallEndReason::kServerHangup);
    } else if (frame.finished) {
      Deliver(IvrEvent::PromptFinished(now, *frame.finished));
    }
  }

  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->second <= now) {
      const uint64_t timer = it->first;
      it = timers_.erase(it);
      Deliver(IvrEvent::TimerFired(now, timer));
      it = timers_.upper_bound(timer);  // the flow may have changed timers_
    } else {
      ++it;
    }
  }

  // A caller on hold sends nothing; only a sending caller can time out. The
  // silence is counted from the last packet or the last media change, so a
  // caller taken off hold is not hung up before their first packet arrives.
  if (media_changed_) {
    media_changed_ = false;
    last_rx_ = now;
  }
  if (rtp_.audio().we_receive && now - last_rx_ > limits_.media_timeout) {
    RequestHangup(CallEndReason::kMediaTimeout);
  }
  if (now - started_ > limits_.max_duration) RequestHangup(CallEndReason::kMaxDuration);
}

void MediaCall::OnReadable(Time now) {
  RtpSession::Received sink;
  sink.on_audio = [this, now](std::span<const uint8_t> coded) {
    if (bridge_ != nullptr) bridge_->FromCaller(coded, rtp_.audio().law);
    const bool listening = listen_.listen_id != 0 && bridge_ == nullptr && !flow_done_;
    if (!inband_ && !listening) return;
    int16_t pcm[512];
    const size_t n = std::min<size_t>(coded.size(), 512);
    G711Decode(rtp_.audio().law, coded.first(n), pcm);
    if (inband_) {
      for (char d : inband_->Feed(std::span<const int16_t>(pcm, n))) {
        OnDigit(d, DigitSource::kInband, now);
      }
    }
    if (listening) Listen(std::span<const int16_t>(pcm, n), now);
  };
  sink.on_event = [this, now](uint32_t ts, const TelephoneEvent& ev) {
    if (std::optional<char> d = events_.OnPacket(ts, ev)) OnDigit(*d, DigitSource::kRfc4733, now);
  };
  if (rtp_.ReadAll(sink) > 0) last_rx_ = now;
}

void MediaCall::OnDigit(char digit, DigitSource source, Time now) {
  if (digits_.size() < kMaxDigits) digits_.push_back(digit);
  outbox_.DigitReceived(id_, digit, source);
  Deliver(IvrEvent::Digit(now, digit));
}

void MediaCall::OnCaseLookupResult(const CaseLookupResultEvent& result, Time now) {
  Deliver(IvrEvent::LookupResult(now, result));
}

void MediaCall::Listen(std::span<const int16_t> pcm, Time now) {
  // Voice detection is cheap and stays here; recognition goes to the workers.
  switch (voice_.Feed(pcm)) {
    case UtteranceDetector::Change::kNone:
      return;
    case UtteranceDetector::Change::kSpeechStarted:
      Deliver(IvrEvent::SpeechStarted(now, listen_.listen_id));
      return;
    case UtteranceDetector::Change::kUtteranceEnded: {
      RecognitionTurn turn;
      turn.language = listen_.language;
      turn.sample_rate = 8000;
      turn.phrases = listen_.phrases;
      turn.sequence = listen_.sequence;
      outbox_.Recognize(id_, listen_.listen_id, std::move(turn), voice_.TakeUtterance());
      return;
    }
  }
}

void MediaCall::OnSpeechResult(uint64_t listen_id, const RecognitionHypothesis& result, Time now) {
  if (listen_id == 0 || listen_id != listen_.listen_id) return;  // the turn is over
  Deliver(IvrEvent::SpeechResult(now, SpeechResultEvent{listen_id, result.text, result.confidence}));
}

void MediaCall::OnMediaUpdate(const sockaddr_in& remote, const NegotiatedAudio& audio) {
  rtp_.Update(remote, audio);
  media_changed_ = true;  // the next tick restarts the silence count
}

void MediaCall::OnHangup(Time now) {
  if (!flow_done_) {
    flow_done_ = true;
    flow_->OnEvent(IvrEvent::Hangup(now));
  }
  player_.Stop(0);
  timers_.clear();
}

void MediaCall::DescribeInto(CallRecord& r) const {
  r.digits = digits_;
  r.rtp_dropped = rtp_.packets_dropped();
  r.prompts.clear();
  for (const std::string& key : prompts_heard_) {
    if (!r.prompts.empty()) r.prompts += ' ';
    r.prompts += key;
  }
  const IvrTrace* trace = flow_->trace();
  if (trace == nullptr) return;
  r.language = trace->language;
  r.topic = trace->topic;
  r.queue = trace->queue;
  r.case_number = trace->case_number;
  r.ivr_end = trace->end_reason;
  r.intent = trace->intent;
  r.intent_by = trace->intent_by;
  r.speech_text = trace->speech_text;
  r.speech_confidence = trace->speech_confidence;
  r.speech_reprompts = trace->speech_reprompts;
  r.key_fallbacks = trace->key_fallbacks;
  r.ivr_path.clear();
  for (const IvrTraceStep& step : trace->steps) {
    if (step.event != "enter") continue;
    if (!r.ivr_path.empty()) r.ivr_path += ' ';
    r.ivr_path += step.node;
  }
}

void MediaCall::Deliver(const IvrEvent& event) {
  if (flow_done_) return;
  Execute(flow_->OnEvent(event));
}

void MediaCall::Execute(std::vector<IvrAction> actions) {
  for (IvrAction& action : actions) {
    if (auto* play = std::get_if<PlayAction>(&action)) {
      std::vector<std::shared_ptr<const Prompt>> list;
      for (const std::string& key : play->prompts) {
        if (auto p = prompts_->Find(key)) {
          list.push_back(std::move(p));
        } else {
          spdlog::warn("call {}: no audio for prompt '{}'", id_, key);
        }
      }
      // An empty playback still ends (on the next tick) so the flow moves on.
      if (list.empty()) list.push_back(MakePrompt("(missing)", {}));
      player_.Play(play->playback_id, std::move(list));
    } else if (auto* stop = std::get_if<StopPlaybackAction>(&action)) {
      player_.Stop(stop->playback_id);
    } else if (auto* timer = std::get_if<StartTimerAction>(&action)) {
      timers_[timer->timer_id] = timer->due;
    } else if (auto* cancel = std::get_if<CancelTimerAction>(&action)) {
      timers_.erase(cancel->timer_id);
    } else if (auto* lookup = std::get_if<LookupCaseAction>(&action)) {
      outbox_.LookupCase(id_, lookup->request_id, lookup->case_number, lookup->phone_last4);
    } else if (auto* queue = std::get_if<EnterQueueAction>(&action)) {
      flow_done_ = true;
      std::vector<std::shared_ptr<const Prompt>> waiting;
      for (const std::string& key : queue->waiting_prompts) {
        if (auto p = prompts_->Find(key)) waiting.push_back(std::move(p));
      }
      waiting_ = true;
      waiting_prompts_ = queue->waiting_prompts;
      player_.Play(0, std::move(waiting), /*loop=*/true);
      outbox_.EnteredQueue(id_, *queue);
    } else if (auto* listen = std::get_if<ListenAction>(&action)) {
      if (outbox_.CanRecognize(listen->language)) {
        listen_ = std::move(*listen);
        voice_.Reset();
      } else {
        listen_ = ListenAction{};
      }
    } else if (auto* stop_listening = std::get_if<StopListeningAction>(&action)) {
      if (stop_listening->listen_id == listen_.listen_id) listen_ = ListenAction{};
    } else if (std::get_if<SetLanguageAction>(&action)) {
      // Prompt keys already carry the language; nothing to switch here.
    } else if (std::get_if<HangupAction>(&action)) {
      flow_done_ = true;
      RequestHangup(CallEndReason::kServerHangup);
    }
  }
}

std::vector<std::shared_ptr<const Prompt>> MediaCall::FindPrompts(
    const std::vector<std::string>& keys) const {
  std::vector<std::shared_ptr<const Prompt>> list;
  for (const std::string& key : keys) {
    if (auto p = prompts_->Find(key)) {
      list.push_back(std::move(p));
    } else {
      spdlog::warn("call {}: no audio for prompt '{}'", id_, key);
    }
  }
  return list;
}

void MediaCall::ResumeWaiting() {
  if (waiting_ && bridge_ == nullptr) player_.Play(0, FindPrompts(waiting_prompts_), /*loop=*/true);
}

void MediaCall::Announce(std::vector<std::string> prompt_keys) {
  if (!waiting_ || bridge_ != nullptr || hangup_requested_) return;
  std::vector<std::shared_ptr<const Prompt>> list = FindPrompts(prompt_keys);
  if (list.empty()) return;
  player_.Play(kAnnouncement, std::move(list));
}

void MediaCall::PlayThenHangup(std::vector<std::string> prompt_keys) {
  waiting_ = false;
  std::vector<std::shared_ptr<const Prompt>> list = FindPrompts(prompt_keys);
  if (list.empty()) list.push_back(MakePrompt("(missing)", {}));
  player_.Play(kFarewell, std::move(list));
}

void MediaCall::SetBridge(MediaBridge* bridge) {
  bridge_ = bridge;
  if (bridge_ != nullptr) {
    player_.Stop(0);
  } else {
    ResumeWaiting();
  }
}

void MediaCall::RequestHangup(CallEndReason reason) {
  if (hangup_requested_) return;
  hangup_requested_ = true;
  outbox_.Hangup(id_, reason);
}

}  // namespace gosline::telephony
