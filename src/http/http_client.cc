#include "http/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <cctype>
#include <optional>

namespace gosline::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

bool PlainHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']';
}

// Runs the io_context until `done` or the deadline; the stream's own expiry
// closes the socket at the deadline, which ends every pending operation.
template <typename Stream>
Result<ClientResponse> Exchange(asio::io_context& io, Stream& stream, const ParsedUrl& url,
                                const ClientRequest& request) {
  bhttp::request<bhttp::string_body> req;
  req.method(bhttp::string_to_verb(request.method));
  req.target(url.target);
  req.version(11);
  req.set(bhttp::field::host, url.host);
  req.set(bhttp::field::user_agent, "gosline");
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.prepare_payload();

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_body);
  beast::error_code result = asio::error::would_block;
  bhttp::async_write(stream, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code rec, size_t) { result = rec; });
  });
  io.run();
  if (result) return Status::Unavailable("HTTP exchange failed: " + result.message());
  ClientResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.body = std::move(parser.get().body());
  return out;
}

}  // namespace

Result<ParsedUrl> ParseHttpUrl(const std::string& url) {
  ParsedUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Status::InvalidArgument("the URL must start with http:// or https://");
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string::npos) {
    return Status::InvalidArgument("the URL needs a host (and no user info)");
  }
  for (char c : authority) {
    if (!PlainHostChar(c)) return Status::InvalidArgument("the URL's host has odd characters");
  }
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument("the URL's path has spaces or control characters");
    }
  }
  out.port = out.tls ? "443" : "80";
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    out.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
    if (out.port.empty() || out.port.size() > 5 ||
        out.port.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument("the URL's port is not a number");
    }
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) return Status::InvalidArgument("the URL needs a host");
  out.host = authority;
  return out;
}

Result<ClientResponse> SendHttpRequest(const ClientRequest& request) {
  GOSLINE_ASSIGN_OR_RETURN(ParsedUrl url, ParseHttpUrl(request.url));
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::error_code ec;
    // Resolution runs before the stream's clock; names are resolved by the
    // system (often from /etc/hosts or a local cache), literal addresses at once.
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return Status::Unavailable("cannot resolve " + url.host + ": " + ec.message());
    if (!url.tls) {
      beast::tcp_stream stream(io);
      stream.expires_after(request.timeout);
      beast::error_code connected = asio::error::would_block;
      stream.async_connect(endpoints, [&](beast::error_code cec, const tcp::endpoint&) { connected = cec; });
      io.run();
      if (connected) return Status::Unavailable("cannot connect to " + url.host + ": " + connected.message());
      io.restart();
      return Exchange(io, stream, url, request);
    }
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                    asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    if (request.ca_file.empty()) {
      tls.set_default_verify_paths();
    } else {
      tls.load_verify_file(request.ca_file);
    }
    tls.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
      return Status::Unavailable("cannot set the TLS server name");
    }
    SSL_set1_host(stream.native_handle(), url.host.c_str());  // the certificate must name the host
    beast::get_lowest_layer(stream).expires_after(request.timeout);
    beast::error_code step = asio::error::would_block;
    beast::get_lowest_layer(stream).async_connect(endpoints, [&](beast::error_code cec, const tcp::endpoint&) {
      if (cec) {
        step = cec;
        return;
      }
      stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code hec) { step = hec; });
    });
    io.run();
    if (step) return Status::Unavailable("cannot reach " + url.host + " over TLS: " + step.message());
    io.restart();
    return Exchange(io, stream, url, request);
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("HTTP request failed: ") + e.what());
  }
}

}  // namespace gosline::http
