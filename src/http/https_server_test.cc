// HTTPS (R22, in transit): the real server with http.tls on 127.0.0.1, a
// certificate made by scripts/make-demo-certs.sh, and real TLS clients (a
// Beast/OpenSSL client that verifies the certificate, and curl).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <openssl/ssl.h>

#include "http/http_server.h"

namespace gosline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

std::string RunCommand(const std::string& cmd, int* rc) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *rc = -1;
    return out;
  }
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  *rc = ::pclose(p);
  return out;
}

void SetTimeouts(int fd) {
  timeval tv{20, 0};  // a server that never answers fails the test, not hangs it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gosline_https_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    int rc = 0;
    std::string out = RunCommand(std::string(GOSLINE_SOURCE_DIR) +
                                     "/scripts/make-demo-certs.sh " + (dir_ / "tls").string() +
                                     " 2>&1",
                                 &rc);
    ASSERT_EQ(rc, 0) << out;
    Route echo;
    echo.method = Method::kGet;
    echo.pattern = "/echo";
    echo.handler = [](const HttpRequest& req) {
      return JsonResponse(200, nlohmann::json{{"path", req.path}, {"from", req.remote_address}});
    };
    ASSERT_TRUE(router_.Add(std::move(echo)).ok());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    std::filesystem::remove_all(dir_);
  }

  HttpConfig TlsConfig() const {
    HttpConfig c;
    c.port = 0;
    c.threads = 2;
    c.read_timeout_ms = 5000;
    c.tls.enabled = true;
    c.tls.port = 0;
    c.tls.cert_file = (dir_ / "tls" / "server.crt").string();
    c.tls.key_file = (dir_ / "tls" / "server.key").string();
    return c;
  }

  void Start(const HttpConfig& c) {
    server_ = std::make_unique<HttpServer>(c, router_);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_NE(server_->tls_port(), 0);
    ASSERT_NE(server_->tls_port(), server_->port());
  }

  // One GET over TLS with certificate verification against our own cert.
  // Returns the status (0 when the handshake failed) and fills `body`.
  int TlsGet(const std::string& target, std::string* body, int max_version = 0,
             std::string* hsts = nullptr) {
    net::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.load_verify_file((dir_ / "tls" / "server.crt").string());
    ctx.set_verify_mode(ssl::verify_peer);
    if (max_version != 0) SSL_CTX_set_max_proto_version(ctx.native_handle(), max_version);
    beast::ssl_stream<tcp::socket> stream(ioc, ctx);
    SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
    stream.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::error_code ec;
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->tls_port()), ec);
    if (ec) return -1;
    SetTimeouts(beast::get_lowest_layer(stream).native_handle());
    stream.handshake(ssl::stream_base::client, ec);
    if (ec) return 0;
    bhttp::request<bhttp::empty_body> req(bhttp::verb::get, target, 11);
    req.set(bhttp::field::host, "localhost");
    bhttp::write(stream, req, ec);
    if (ec) return -2;
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res, ec);
    if (ec) return -3;
    if (body) *body = res.body();
    if (hsts) *hsts = std::string(res[bhttp::field::strict_transport_security]);
    return static_cast<int>(res.result_int());
  }

  std::filesystem::path dir_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpsServerTest, ServesTheRoutesOverVerifiedTls) {
  Start(TlsConfig());
  std::string body, hsts;
  EXPECT_EQ(TlsGet("/echo", &body, 0, &hsts), 200);
  auto j = nlohmann::json::parse(body);
  EXPECT_EQ(j["path"], "/echo");
  EXPECT_EQ(j["from"], "127.0.0.1");  // the peer address survives TLS (lockout, audit)
  EXPECT_NE(hsts.find("max-age="), std::string::npos);
  // Errors are JSON over TLS too.
  EXPECT_EQ(TlsGet("/nope", &body), 404);
  EXPECT_NE(body.find("\"error\""), std::string::npos);
}

TEST_F(HttpsServerTest, CurlOverHttpsAndPlainHttpBeside) {
  Start(TlsConfig());
  int rc = 0;
  const std::string cafile = (dir_ / "tls" / "server.crt").string();
  std::string out = RunCommand("curl -sS --max-time 20 --cacert " + cafile +
                                   " -w ' %{http_code} %{ssl_verify_result}' https://localhost:" +
                                   std::to_string(server_->tls_port()) + "/echo 2>&1",
                               &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("\"path\":\"/echo\""), std::string::npos) << out;
  EXPECT_NE(out.find(" 200 0"), std::string::npos) << out;

  // The plain listener still answers on its own port (loopback demo, health checks).
  out = RunCommand("curl -sS --max-time 20 -w ' %{http_code}' http://127.0.0.1:" +
                       std::to_string(server_->port()) + "/echo 2>&1",
                   &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(" 200"), std::string::npos) << out;

  // Plain HTTP sent to the TLS port is not served (the handshake fails).
  out = RunCommand("curl -sS --max-time 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:" +
                       std::to_string(server_->tls_port()) + "/echo 2>&1",
                   &rc);
  EXPECT_NE(rc, 0) << out;
  EXPECT_EQ(out.find("200"), std::string::npos) << out;
}

TEST_F(HttpsServerTest, OldTlsVersionsAreRefusedAndTheServerCarriesOn) {
  Start(TlsConfig());
  std::string body;
  EXPECT_EQ(TlsGet("/echo", &body, TLS1_1_VERSION), 0);  // handshake refused
  // Garbage instead of a ClientHello.
  {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->tls_port()));
    SetTimeouts(s.native_handle());
    beast::error_code ec;
    net::write(s, net::buffer(std::string("\x16\x03\x01\xff\xffgarbage garbage\r\n\r\n")), ec);
    std::array<char, 256> buf{};
    s.read_some(net::buffer(buf), ec);  // an alert or EOF, never a hang
  }
  EXPECT_EQ(TlsGet("/echo", &body), 200);
}

TEST_F(HttpsServerTest, TlsOneThreeOnlyWhenConfigured) {
  HttpConfig c = TlsConfig();
  c.tls.min_version = "1.3";
  Start(c);
  std::string body;
  EXPECT_EQ(TlsGet("/echo", &body, TLS1_2_VERSION), 0);
  EXPECT_EQ(TlsGet("/echo", &body), 200);
}

TEST_F(HttpsServerTest, MissingOrMismatchedCertificateFailsTheStart) {
  HttpConfig c = TlsConfig();
  c.tls.cert_file = (dir_ / "tls" / "absent.crt").string();
  HttpServer missing(c, router_);
  Status st = missing.Start();
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.ToString().find("http.tls.cert_file"), std::string::npos) << st.ToString();

  // A key that is not the certificate's.
  int rc = 0;
  std::string other = (dir_ / "other").string();
  std::string out = RunCommand(std::string(GOSLINE_SOURCE_DIR) + "/scripts/make-demo-certs.sh " +
                                   other + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << out;
  c = TlsConfig();
  c.tls.key_file = other + "/server.key";
  HttpServer mismatched(c, router_);
  st = mismatched.Start();
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.ToString().find("http.tls.key_file"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace gosline::http
