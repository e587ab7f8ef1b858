// The live feed's WebSocket messages (R18): every message a browser receives
// is LiveHub's envelope around data published by the centre, whose strings
// (operator logins, caller-supplied names, IVR input) come from outside. The
// input is "<login>\n<JSON>"; the login names the operator topic, the JSON
// (or the raw bytes as one string, when it is not JSON) is the data.
// Oracles: a subscriber of the topic gets exactly one message, it is valid
// JSON (invalid UTF-8 replaced, never thrown), names the topic and carries
// the data unchanged when the data was valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "http/live_hub.h"

using namespace gosline::http;

namespace {

class Collector : public LiveHub::Subscriber {
 public:
  void Deliver(std::shared_ptr<const std::string> message) override {
    messages.push_back(std::move(message));
  }
  std::vector<std::shared_ptr<const std::string>> messages;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string_view login = input.substr(0, eol);
  const std::string_view rest = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);

  nlohmann::json payload = nlohmann::json::parse(rest, nullptr, /*allow_exceptions=*/false);
  const bool valid_json = !payload.is_discarded();
  if (!valid_json) payload = {{"caller_name", std::string(rest)}};

  LiveHub hub;
  auto collector = std::make_shared<Collector>();
  const std::string topic = OperatorTopic(login);
  gosline::Result<uint64_t> id = hub.Subscribe({topic}, collector);
  FUZZ_CHECK(id.ok());
  FUZZ_CHECK(hub.Publish(topic, payload) == 1);
  FUZZ_CHECK(collector->messages.size() == 1);

  nlohmann::json message =
      nlohmann::json::parse(*collector->messages.front(), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(message.is_object());
  FUZZ_CHECK(message.contains("topic") && message.contains("seq") && message.contains("data"));
  if (valid_json) {
    // Parsed JSON is valid UTF-8 throughout; only the topic may need repair.
    FUZZ_CHECK(message["data"] == payload);
  }
  bool topic_is_utf8 = true;
  try {
    (void)nlohmann::json(topic).dump();
  } catch (const nlohmann::json::type_error&) {
    topic_is_utf8 = false;
  }
  if (topic_is_utf8) FUZZ_CHECK(message["topic"] == topic);
  hub.Unsubscribe(*id);
  FUZZ_CHECK(hub.clients() == 0);
  return 0;
}
