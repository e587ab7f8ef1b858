#include "http/static_files.h"

#include <array>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <system_error>
#include <utility>

namespace gosline::http {
namespace {

namespace fs = std::filesystem;

// Files above this size are not part of a bundle; refusing them bounds memory.
constexpr std::uintmax_t kMaxAssetBytes = 16u << 20;

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".wav", "audio/wav"},
}};

void AddSecurityHeaders(HttpResponse& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self' "
                         "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
}

HttpResponse NotBuilt() {
  return ErrorResponse(503, "web_not_built",
                       "the web application was not built (npm and the web/ build); the API "
                       "under /api/v1 works");
}

// The file's bytes, or an error response (404 when absent or not a regular
// file under root: a symbolic link out of the bundle is not followed).
HttpResponse ServeFile(const fs::path& root, const fs::path& relative, bool no_cache) {
  std::error_code ec;
  fs::path full = root / relative;
  fs::path canonical = fs::weakly_canonical(full, ec);
  fs::path canonical_root = fs::weakly_canonical(root, ec);
  std::string prefix = canonical_root.string() + "/";
  if (ec || canonical.string().compare(0, prefix.size(), prefix) != 0 ||
      !fs::is_regular_file(canonical, ec)) {
    return ErrorResponse(404, "not_found", "no such file");
  }
  std::uintmax_t size = fs::file_size(canonical, ec);
  if (ec || size > kMaxAssetBytes) return ErrorResponse(404, "not_found", "no such file");
  std::ifstream in(canonical, std::ios::binary);
  if (!in) return ErrorResponse(404, "not_found", "no such file");
  std::ostringstream body;
  body << in.rdbuf();
  HttpResponse r;
  r.status = 200;
  r.content_type = std::string(ContentTypeFor(relative.filename().string()));
  r.body = std::move(body).str();
  // Pages always revalidate (they name the current bundle); assets are small
  // and rebuilt in place, so they revalidate too rather than go stale.
  r.headers.emplace_back("Cache-Control", no_cache ? "no-store" : "no-cache");
  AddSecurityHeaders(r);
  return r;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = file_name.substr(dot);
    for (const auto& [known, type] : kTypes) {
      if (ext == known) return type;
    }
  }
  return "application/octet-stream";
}

bool IsSafeAssetName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

std::optional<fs::path> FindWebRoot(const fs::path& explicit_root) {
  std::error_code ec;
  auto has_index = [&ec](const fs::path& dir) { return fs::is_regular_file(dir / "index.html", ec); };
  if (!explicit_root.empty()) {
    if (has_index(explicit_root)) return fs::absolute(explicit_root, ec);
    return std::nullopt;
  }
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && has_index(exe.parent_path() / "web" / "dist")) return exe.parent_path() / "web" / "dist";
  fs::path here = fs::current_path(ec) / "web" / "dist";
  if (!ec && has_index(here)) return here;
  return std::nullopt;
}

Status AddStaticFileRoutes(Router& router, std::optional<fs::path> root) {
  auto shared_root = std::make_shared<const std::optional<fs::path>>(std::move(root));
  Handler page = [shared_root](const HttpRequest&) {
    if (!*shared_root) return NotBuilt();
    HttpResponse r = ServeFile(**shared_root, "index.html", true);
    return r.status == 404 ? NotBuilt() : r;
  };
  Handler asset = [shared_root](const HttpRequest& req) {
    if (!*shared_root) return NotBuilt();
    auto it = req.path_params.find("file");
    if (it == req.path_params.end() || !IsSafeAssetName(it->second)) {
      return ErrorResponse(404, "not_found", "no such file");
    }
    return ServeFile(**shared_root, fs::path("assets") / it->second, false);
  };
  auto doc = [](std::string id, std::string summary) {
    RouteDoc d;
    d.operation_id = std::move(id);
    d.summary = std::move(summary);
    d.tag = "web";
    d.response_schema = "";
    return d;
  };
  // "/" is the application too: someone typing the server's address lands on it.
  const std::array<std::pair<const char*, const char*>, 6> pages{{
      {"/", "webRoot"},
      {"/status", "webStatusPage"},
      {"/app", "webApp"},
      {"/app/{page}", "webAppPage"},
      {"/app/{page}/{id}", "webAppItem"},
      {"/app/{page}/{id}/{part}", "webAppItemPart"},
  }};
  for (const auto& [pattern, id] : pages) {
    Route r;
    r.method = Method::kGet;
    r.pattern = pattern;
    r.role = Role::kPublic;
    r.doc = doc(id, "A page of the web application (text/html)");
    r.handler = page;
    GOSLINE_RETURN_IF_ERROR(router.Add(std::move(r)));
  }
  Route a;
  a.method = Method::kGet;
  a.pattern = "/assets/{file}";
  a.role = Role::kPublic;
  a.doc = doc("webAsset", "A file of the web application's bundle");
  a.handler = asset;
  return router.Add(std::move(a));
}

}  // namespace gosline::http
