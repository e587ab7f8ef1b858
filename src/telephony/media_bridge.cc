#include "telephony/media_bridge.h"

#include <algorithm>

#include "telephony/prompt.h"

namespace gosline::telephony {
namespace {

// Beyond 200 ms queued (a side sending too fast or in bursts) the oldest
// audio goes: latency stays bounded.
constexpr size_t kMaxQueued = 8 * 200;

}  // namespace

MediaBridge::MediaBridge(RtpSession operator_leg, std::unique_ptr<CallRecorder> recorder)
    : operator_leg_(std::move(operator_leg)), recorder_(std::move(recorder)) {}

void MediaBridge::Push(std::deque<int16_t>& q, const int16_t* pcm, size_t n) {
  q.insert(q.end(), pcm, pcm + n);
  if (q.size() > kMaxQueued) q.erase(q.begin(), q.begin() + static_cast<long>(q.size() - kMaxQueued));
}

bool MediaBridge::Pull(std::deque<int16_t>& q, int16_t* out) {
  const size_t n = std::min(q.size(), kFrameSamples);
  std::copy(q.begin(), q.begin() + static_cast<long>(n), out);
  q.erase(q.begin(), q.begin() + static_cast<long>(n));
  std::fill(out + n, out + kFrameSamples, int16_t{0});
  return n == kFrameSamples;
}

void MediaBridge::FromCaller(std::span<const uint8_t> coded, G711Law law) {
  int16_t pcm[1024];
  const size_t n = std::min<size_t>(coded.size(), 1024);
  G711Decode(law, coded.first(n), pcm);
  Push(from_caller_, pcm, n);
  ++caller_packets_;
}

void MediaBridge::OnOperatorReadable() {
  RtpSession::Received sink;
  sink.on_audio = [this](std::span<const uint8_t> coded) {
    int16_t pcm[1024];
    const size_t n = std::min<size_t>(coded.size(), 1024);
    G711Decode(operator_leg_.audio().law, coded.first(n), pcm);
    Push(from_operator_, pcm, n);
    ++operator_packets_;
  };
  sink.on_event = [](uint32_t, const TelephoneEvent&) {};  // operators' keys are not relayed
  operator_leg_.ReadAll(sink);
}

void MediaBridge::Tick(int16_t* to_caller) {
  int16_t to_operator[kFrameSamples];
  const bool caller_ok = Pull(from_caller_, to_operator);
  const bool operator_ok = Pull(from_operator_, to_caller);
  if ((!caller_ok && caller_packets_ > 0) || (!operator_ok && operator_packets_ > 0)) ++underruns_;
  uint8_t coded[kFrameSamples];
  G711Encode(operator_leg_.audio().law, std::span<const int16_t>(to_operator, kFrameSamples), coded);
  operator_leg_.SendFrame(coded);
  if (recorder_) {
    recorder_->Write(std::span<const int16_t>(to_operator, kFrameSamples),
                     std::span<const int16_t>(to_caller, kFrameSamples));
  }
}

void MediaBridge::UpdateOperator(const sockaddr_in& remote, const NegotiatedAudio& audio) {
  operator_leg_.Update(remote, audio);
}

}  // namespace gosline::telephony
