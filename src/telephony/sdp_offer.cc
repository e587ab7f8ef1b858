#include "telephony/sdp_offer.h"

#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>

#include <strings.h>

#include <memory>

namespace gosline::telephony {
namespace {

struct HomeDeleter {
  void operator()(su_home_t* h) const { su_home_unref(h); }
};
struct ParserDeleter {
  void operator()(sdp_parser_t* p) const { sdp_parser_free(p); }
};

MediaDirection FromMode(unsigned mode) {
  switch (mode) {
    case sdp_inactive: return MediaDirection::kInactive;
    case sdp_sendonly: return MediaDirection::kSendOnly;
    case sdp_recvonly: return MediaDirection::kRecvOnly;
    default: return MediaDirection::kSendRecv;
  }
}

// RFC 4566 token-char.
bool IsTokenChar(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d ||
         c == 0x2e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

// Whether every m= line ("m=audio 4000 RTP/AVP 8 0 101") has the RFC 4566
// shape: a token, a port (digits, optionally "/count"), a proto of tokens
// joined by '/', formats that are tokens. Sofia-SIP's parser (1.12.11) asks
// for a 2 GiB block when a format of a non-RTP m= line starts with another
// character ("m=audio 1 TCP :", and "m=audio 1P6 ::1" where the port runs
// into the proto; found by fuzz/sdp_offer_fuzzer), so such SDP is refused
// before it reaches the library: one INVITE must not cost the line 2 GiB.
bool MediaFormatsAreTokens(std::string_view text) {
  while (!text.empty()) {
    // Sofia-SIP ends a line at CR as well as at LF, so both end one here.
    const size_t eol = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.starts_with("m=")) continue;
    line.remove_prefix(2);
    for (int field = 0; !line.empty(); ++field) {
      // Fields are separated by spaces only (RFC 4566); Sofia-SIP takes a tab
      // for part of a field, which is then no token.
      const size_t start = line.find_first_not_of(' ');
      if (start == std::string_view::npos) break;
      line.remove_prefix(start);
      const size_t end = line.find(' ');
      const std::string_view value = line.substr(0, end);
      line = end == std::string_view::npos ? std::string_view() : line.substr(end);
      for (char c : value) {
        const bool ok = field == 1   ? (c >= '0' && c <= '9') || c == '/'
                        : field == 2 ? IsTokenChar(static_cast<unsigned char>(c)) || c == '/'
                                     : IsTokenChar(static_cast<unsigned char>(c));
        if (!ok) return false;
      }
    }
  }
  return true;
}

}  // namespace

Result<SdpAudioOffer> ParseSdpAudioOffer(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty SDP");
  if (text.size() > 64 * 1024) return Status::InvalidArgument("SDP too large");
  if (!MediaFormatsAreTokens(text)) {
    return Status::InvalidArgument("malformed SDP: a media format that is not a token");
  }
  std::unique_ptr<su_home_t, HomeDeleter> home(static_cast<su_home_t*>(su_home_new(sizeof(su_home_t))));
  if (!home) return Status::Internal("out of memory");
  std::unique_ptr<sdp_parser_t, ParserDeleter> parser(
      sdp_parse(home.get(), text.data(), static_cast<issize_t>(text.size()), sdp_f_strict));
  sdp_session_t* session = sdp_session(parser.get());
  if (session == nullptr) {
    const char* err = sdp_parsing_error(parser.get());
    return Status::InvalidArgument(std::string("malformed SDP: ") + (err ? err : "unknown error"));
  }

  for (sdp_media_t* m = session->sdp_media; m != nullptr; m = m->m_next) {
    if (m->m_type != sdp_media_audio || m->m_rejected || m->m_port == 0) continue;
    if (m->m_proto != sdp_proto_rtp && m->m_proto != sdp_proto_srtp) continue;
    if (m->m_port > 65535) return Status::InvalidArgument("malformed SDP: port out of range");

    SdpAudioOffer offer;
    offer.port = static_cast<uint16_t>(m->m_port);
    sdp_connection_t* c = m->m_connections ? m->m_connections : session->sdp_connection;
    if (c == nullptr || c->c_address == nullptr) {
      return Status::InvalidArgument("malformed SDP: no connection address for audio");
    }
    if (c->c_addrtype != sdp_addr_ip4) {
      return Status::NotFound("only IPv4 audio is supported");
    }
    offer.address = c->c_address;
    offer.hold_by_zero_address = offer.address == "0.0.0.0";
    offer.direction = FromMode(m->m_mode);
    for (sdp_rtpmap_t* rm = m->m_rtpmaps; rm != nullptr; rm = rm->rm_next) {
      SdpFormat f;
      f.payload_type = static_cast<int>(rm->rm_pt);
      f.encoding = rm->rm_encoding ? rm->rm_encoding : "";
      f.clock_rate = static_cast<unsigned>(rm->rm_rate);
      offer.formats.push_back(std::move(f));
    }
    offer.secure = m->m_proto == sdp_proto_srtp;
    for (sdp_attribute_t* a = m->m_attributes; offer.secure && a != nullptr; a = a->a_next) {
      if (a->a_name == nullptr || strcasecmp(a->a_name, "crypto") != 0) continue;
      if (offer.crypto.size() >= 16) break;  // enough choice; the rest is ignored
      Result<SdpCrypto> crypto = ParseSdpCrypto(a->a_value ? a->a_value : "");
      if (crypto.ok()) {
        offer.crypto.push_back(*crypto);
      } else {
        offer.crypto_skipped = crypto.status().message();
      }
    }
    return offer;
  }
  return Status::NotFound("no RTP/AVP or RTP/SAVP audio stream in the offer");
}

}  // namespace gosline::telephony
