// The web application (web/) served by `gosline serve` itself: the
// built bundle's files under /assets/, and index.html for the pages the
// single-page application routes on the client (/app/..., /status).
// Files are read from disk per request, so a rebuilt bundle needs no restart.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// "text/html; charset=utf-8" for "index.html", ...; "application/octet-stream"
// for an unknown extension.
std::string_view ContentTypeFor(std::string_view file_name);

// True for a single plain file name: no separators, no leading dot (so no
// "..", no hidden files), no NUL or control characters.
bool IsSafeAssetName(std::string_view name);

// Where the built bundle is: `explicit_root` when given; else
// <directory of the running binary>/web/dist (the CMake build's copy); else
// ./web/dist. nullopt when none holds an index.html.
std::optional<std::filesystem::path> FindWebRoot(const std::filesystem::path& explicit_root = {});

// Adds GET /status, /app, /app/{a}, /app/{a}/{b}, /app/{a}/{b}/{c} (the
// page, index.html) and /assets/{file} (public: the pages hold no data; the
// API they call checks the role). Without a root every page answers 503 with
// a JSON error that says the web application was not built.
Status AddStaticFileRoutes(Router& router, std::optional<std::filesystem::path> root);

}  // namespace gosline::http
