// The media of a caller connected to an operator (B2BUA relay), on the media
// thread: the operator's RTP leg, what each side sent and not yet relayed,
// and the recording. Audio is decoded to linear PCM on arrival and encoded in
// each leg's own law on the 20 ms tick, so caller and operator may negotiate
// different codecs; the same frames go to the recording, caller left.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>

#include "telephony/call_recorder.h"
#include "telephony/rtp_session.h"

namespace gosline::telephony {

class MediaBridge {
 public:
  MediaBridge(RtpSession operator_leg, std::unique_ptr<CallRecorder> recorder);

  // The caller's audio as it arrived (coded in the caller's law).
  void FromCaller(std::span<const uint8_t> coded, G711Law law);
  // Reads the operator's socket.
  void OnOperatorReadable();
  // One tick: one frame to the operator, one frame for the caller (linear,
  // kFrameSamples), one stereo frame to the recording.
  void Tick(int16_t* to_caller);
  void UpdateOperator(const sockaddr_in& remote, const NegotiatedAudio& audio);

  CallRecorder* recorder() { return recorder_.get(); }
  std::unique_ptr<CallRecorder> TakeRecorder() { return std::move(recorder_); }
  uint64_t operator_packets() const { return operator_packets_; }
  // False while the operator's phone holds the call without sending (hold).
  bool operator_sends() const { return operator_leg_.audio().we_receive; }
  uint64_t operator_lost() const { return operator_leg_.packets_lost(); }
  // RTP refused on the operator leg: not from the operator phone's source.
  uint64_t operator_dropped() const { return operator_leg_.packets_dropped(); }
  uint64_t caller_packets() const { return caller_packets_; }
  // Frames a side had nothing for (late or lost packets), after it started sending.
  uint64_t underruns() const { return underruns_; }

 private:
  static void Push(std::deque<int16_t>& q, const int16_t* pcm, size_t n);
  bool Pull(std::deque<int16_t>& q, int16_t* out);

  RtpSession operator_leg_;
  std::unique_ptr<CallRecorder> recorder_;
  std::deque<int16_t> from_caller_;
  std::deque<int16_t> from_operator_;
  uint64_t operator_packets_ = 0;
  uint64_t caller_packets_ = 0;
  uint64_t underruns_ = 0;
};

}  // namespace gosline::telephony
