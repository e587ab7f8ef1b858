// What a caller did in the IVR: kept for logs and shown on the operator's
// screen, so the operator does not ask again what the IVR already learned.
// Bounded, because a caller can press keys for as long as they like.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/common/time.h"

namespace gosline {

struct IvrTraceStep {
  Time at{};
  std::string node;   // node id
  std::string event;  // "enter", "digit 7", "invalid 5", "no_input", "lookup found", ...
};

struct IvrTrace {
  static constexpr size_t kMaxSteps = 256;
  static constexpr size_t kMaxDigits = 256;

  std::string call_id;
  std::string dialled_number;
  std::string caller_number;
  std::string caller_region;
  std::optional<Time> started_at;
  std::optional<Time> ended_at;

  std::vector<IvrTraceStep> steps;  // nodes visited and what happened there, in order
  std::string digits;               // every key pressed, in order
  bool truncated = false;           // steps or digits hit their bound

  std::string language;             // final language
  std::string topic;                // last topic chosen ("" = none)
  std::string service_code;         // code keyed, if any
  std::string case_number;          // case asked about, if any
  std::string queue;                // queue entered, if any
  std::string end_reason;           // ToString(IvrEndReason), "" while running

  // Speech (R7): the last thing heard and the intent chosen (by voice or key).
  std::string speech_text;          // recogniser's text, "" when nothing was heard
  std::optional<double> speech_confidence;
  std::string intent;               // intent id chosen at a listen node ("" = none)
  std::string intent_by;            // "speech", "confirmed", "key"
  int speech_turns = 0;             // utterances recognised (any result)
  int speech_reprompts = 0;         // "didn't catch that" or silence at a listen node
  int key_fallbacks = 0;            // a key chosen at a listen node instead of speech

  void AddStep(Time at, const std::string& node, std::string event);
  void AddDigit(char digit);
};

}  // namespace gosline
