#include "telephony/rtp_source_filter.h"

namespace gosline::telephony {

bool SameEndpoint(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}

RtpSourceFilter::RtpSourceFilter(const sockaddr_in& signalled) : signalled_(signalled) {}

void RtpSourceFilter::Resignal(const sockaddr_in& signalled) {
  if (SameEndpoint(signalled, signalled_)) return;
  signalled_ = signalled;
  source_.reset();
}

bool RtpSourceFilter::Admit(const sockaddr_in& from) {
  if (SameEndpoint(from, signalled_) || !source_) {
    source_ = from;
    return true;
  }
  if (SameEndpoint(from, *source_)) return true;
  ++dropped_;
  return false;
}

}  // namespace gosline::telephony
