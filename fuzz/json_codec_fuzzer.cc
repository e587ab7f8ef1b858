// Request bodies of the HTTP API (R17, R20: staff and integrations post JSON
// to the case routes) through the strict codec: ReadJsonBody with a JSON
// Content-Type, then every request decoder. Oracles: an accepted body is one
// object within kMaxJsonDepth; re-serialised it parses again to the same
// value; the decoders only ever return a value or an error (no exception
// escapes, as it would through a route handler).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "http/http_message.h"
#include "http/json_body.h"
#include "http/json_codec.h"

using namespace gosline::http;

namespace {

int Depth(const nlohmann::json& j) {
  int deepest = 0;
  if (j.is_structured()) {
    for (const auto& item : j) deepest = std::max(deepest, Depth(item));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  HttpRequest req;
  req.headers["content-type"] = "application/json; charset=utf-8";
  req.body.assign(reinterpret_cast<const char*>(data), size);
  nlohmann::json body;
  if (std::optional<HttpResponse> refused = ReadJsonBody(req, body)) {
    FUZZ_CHECK(refused->status == 400);
    FUZZ_CHECK(nlohmann::json::accept(refused->body));
    return 0;
  }
  FUZZ_CHECK(body.is_object());
  FUZZ_CHECK(Depth(body) <= kMaxJsonDepth);

  const std::string again_text = body.dump();
  gosline::Result<nlohmann::json> again = ParseJsonObject(again_text);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == body);

  (void)CaseDraftFromJson(body);
  (void)PatchRequestFromJson(body);
  (void)TransitionRequestFromJson(body);
  (void)NoteTextFromJson(body);
  (void)CaseLinkFromJson(body);
  return 0;
}
