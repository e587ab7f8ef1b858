// One answered call on the media thread: its RTP stream, what it plays, its
// DTMF detectors and its call flow (IVR). Feeds the flow events (digits,
// prompt finished, timers, case lookups) and carries out the actions it
// returns; actions that leave the media thread go through the Outbox.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/speech/recognizer.h"
#include "core/speech/utterance_detector.h"
#include "telephony/call_flow.h"
#include "telephony/call_record.h"
#include "telephony/inband_dtmf_detector.h"
#include "telephony/media_bridge.h"
#include "telephony/prompt_library.h"
#include "telephony/prompt_player.h"
#include "telephony/rtp_session.h"
#include "telephony/telephone_event_receiver.h"

namespace gosline::telephony {

enum class DigitSource { kRfc4733, kSipInfo, kInband };
const char* DigitSourceName(DigitSource source);

class MediaCall {
 public:
  // How a call reaches the rest of the server. Called on the media thread.
  class Outbox {
   public:
    virtual ~Outbox() = default;
    virtual void Hangup(uint64_t call, CallEndReason reason) = 0;
    virtual void LookupCase(uint64_t call, uint64_t request_id, const std::string& number,
                            const std::string& phone_last4) = 0;
    virtual void EnteredQueue(uint64_t call, const EnterQueueAction& queue) = 0;
    virtual void DigitReceived(uint64_t call, char digit, DigitSource source) = 0;
    // R7: whether speech in this language can be recognised; without it a
    // listen step only takes keys (no voice detection, no barge-in by voice).
    virtual bool CanRecognize(const std::string& /*language*/) const { return false; }
    // R7: recognise a finished utterance off the media thread; the answer
    // comes back through OnSpeechResult with the same listen_id.
    virtual void Recognize(uint64_t /*call*/, uint64_t /*listen_id*/, RecognitionTurn /*turn*/,
                           std::vector<int16_t> /*audio*/) {}
  };

  struct Limits {
    std::chrono::seconds media_timeout{60};
    std::chrono::seconds max_duration{3600};
    bool inband_dtmf_fallback = true;
  };

  MediaCall(uint64_t id, RtpSession rtp, std::unique_ptr<CallFlow> flow,
            std::shared_ptr<const PromptLibrary> prompts, Outbox& outbox, Limits limits);

  void Start(const CallInfo& info, Time now);
  // One 20 ms tick: send a frame, fire due timers, watch the limits.
  void OnTick(Time now);
  void OnReadable(Time now);
  void OnDigit(char digit, DigitSource source, Time now);
  void OnCaseLookupResult(const CaseLookupResultEvent& result, Time now);
  // R7: the recogniser's answer for an utterance of this call.
  void OnSpeechResult(uint64_t listen_id, const RecognitionHypothesis& result, Time now);
  void OnMediaUpdate(const sockaddr_in& remote, const NegotiatedAudio& audio);
  // The caller is gone: the flow learns it, nothing more is sent.
  void OnHangup(Time now);

  uint64_t packets_sent() const { return rtp_.packets_sent(); }
  uint64_t packets_lost() const { return rtp_.packets_lost(); }
  uint64_t packets_dropped() const { return rtp_.packets_dropped(); }

  // Waiting in a queue (after EnterQueue): the waiting prompts loop; an
  // announcement interrupts them once, then they resume.
  bool waiting() const { return waiting_ && bridge_ == nullptr && !hangup_requested_; }
  void Announce(std::vector<std::string> prompt_keys);
  // Plays the prompts once, then hangs up (callback confirmation).
  void PlayThenHangup(std::vector<std::string> prompt_keys);
  // Connected to an operator: the caller hears the bridge instead of prompts
  // and feeds it what they say. nullptr: back to waiting (prompts resume).
  void SetBridge(MediaBridge* bridge);

  // Adds what happened in this call (IVR path, topic, queue, digits, prompts
  // heard, RTP refused from strangers) to its record.
  void DescribeInto(CallRecord& record) const;

 private:
  void Deliver(const IvrEvent& event);
  void Execute(std::vector<IvrAction> actions);
  void RequestHangup(CallEndReason reason);
  std::vector<std::shared_ptr<const Prompt>> FindPrompts(const std::vector<std::string>& keys) const;
  void ResumeWaiting();
  // R7: one received frame of audio while a speech turn is open.
  void Listen(std::span<const int16_t> pcm, Time now);

  uint64_t id_;
  RtpSession rtp_;
  std::unique_ptr<CallFlow> flow_;
  std::shared_ptr<const PromptLibrary> prompts_;
  Outbox& outbox_;
  Limits limits_;
  PromptPlayer player_;
  TelephoneEventReceiver events_;
  std::unique_ptr<InbandDtmfDetector> inband_;
  std::map<uint64_t, Time> timers_;  // timer id -> due
  bool flow_done_ = false;           // hung up or handed over: no more events
  bool hangup_requested_ = false;
  bool waiting_ = false;
  std::vector<std::string> waiting_prompts_;
  MediaBridge* bridge_ = nullptr;
  // Playbacks started by the server (not the flow): ids far above the flow's.
  static constexpr uint64_t kAnnouncement = 1ull << 62;
  static constexpr uint64_t kFarewell = (1ull << 62) + 1;
  Time started_{};
  Time last_rx_{};
  bool media_changed_ = false;  // set by OnMediaUpdate, read by the next tick
  // For the call record; bounded, a caller can stay and press keys for long.
  static constexpr size_t kMaxDigits = 64;
  static constexpr size_t kMaxPrompts = 128;
  std::string digits_;
  std::vector<std::string> prompts_heard_;
  // R7: the open speech turn (listen_id 0 = none) and its voice detector.
  ListenAction listen_;
  UtteranceDetector voice_;
};

}  // namespace gosline::telephony
