#include "telephony/sdp_answer.h"

#include <string>

namespace gosline::telephony {
namespace {

const char* DirectionAttribute(const NegotiatedAudio& a) {
  if (a.we_send && a.we_receive) return "sendrecv";
  if (a.we_send) return "sendonly";
  if (a.we_receive) return "recvonly";
  return "inactive";
}

}  // namespace

std::string RenderSdpAnswer(const SdpAnswerParams& p, const NegotiatedAudio& a) {
  const std::string pt = std::to_string(a.payload_type);
  std::string s;
  s += "v=0\r\n";
  s += "o=gosline " + std::to_string(p.session_id) + " " + std::to_string(p.version) +
       " IN IP4 " + p.address + "\r\n";
  s += "s=gosline\r\n";
  s += "c=IN IP4 " + p.address + "\r\n";
  s += "t=0 0\r\n";
  s += "m=audio " + std::to_string(p.port) + (a.srtp ? " RTP/SAVP " : " RTP/AVP ") + pt;
  if (a.telephone_event_pt) s += " " + std::to_string(*a.telephone_event_pt);
  s += "\r\n";
  s += "a=rtpmap:" + pt + (a.law == G711Law::kAlaw ? " PCMA/8000\r\n" : " PCMU/8000\r\n");
  if (a.telephone_event_pt) {
    const std::string te = std::to_string(*a.telephone_event_pt);
    s += "a=rtpmap:" + te + " telephone-event/8000\r\n";
    s += "a=fmtp:" + te + " 0-15\r\n";
  }
  if (a.srtp) {
    s += "a=crypto:" + RenderSdpCrypto({a.srtp->tag, a.srtp->suite, a.srtp->local}) + "\r\n";
  }
  s += "a=ptime:20\r\n";
  s += std::string("a=") + DirectionAttribute(a) + "\r\n";
  return s;
}

}  // namespace gosline::telephony
