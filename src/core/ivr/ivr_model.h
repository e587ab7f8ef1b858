// The IVR menu tree as data (R5): nodes that refer to each other by id, and
// keyed prompt texts per language. Built by the configuration loader
// (config/ivr_config_loader.h), checked once by ValidateIvrModel
// (ivr_validate.h), then shared read-only by every call's IvrSession.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/calendar/business_calendar.h"
#include "core/common/time.h"

namespace gosline {

// One prompt in one language: text for speech synthesis, or a recorded WAV.
struct IvrPromptText {
  std::string text;      // synthesised at start-up (espeak-ng)
  std::string wav_path;  // used instead of text when set
  std::string voice;     // synthesis language when not the prompt's own ("For English, press 9"
                         // inside the Russian greeting is spoken with the "en" voice); "" = own
};

// A prompt id ("main_menu", "digit/7") -> its text in each language.
using IvrPromptTexts = std::map<std::string, IvrPromptText>;  // language -> text

// How a node that waits for keys behaves when the caller is silent or wrong.
struct IvrRetryPolicy {
  int retries = 2;              // re-prompts after the first attempt
  std::string invalid_prompt;   // played before re-prompting after wrong input ("" = none)
  std::string no_input_prompt;  // played before re-prompting after silence ("" = none)
  std::string on_fail;          // node after the last attempt ("" = hang up)
};

// Keys collected one by one until the terminator, max_digits, or a pause.
struct IvrDigitInput {
  int min_digits = 1;
  int max_digits = 1;
  char terminator = '#';                 // 0 = none
  Duration first_digit_timeout = Duration{5000}; // after the prompt ends
  Duration inter_digit_timeout = Duration{3000};
};

// Play prompts, then go on.
struct IvrPlayNode {
  std::vector<std::string> prompts;
  bool barge_in = false;  // a key skips the rest (the key itself is dropped)
  std::string next;
};

// One key chooses the next node.
struct IvrMenuNode {
  std::vector<std::string> prompts;
  std::map<char, std::string> options;  // '1' -> node id; '*', '#' allowed
  Duration timeout = Duration{5000};            // silence after the prompt ends
  IvrRetryPolicy retry;
};

// Several keys stored in a variable (data passed to the queue).
struct IvrCollectDigitsNode {
  std::vector<std::string> prompts;
  IvrDigitInput input;
  IvrRetryPolicy retry;
  std::string variable;  // data key
  std::string next;
};

// The caller keys a topic's service code and jumps straight there (R5).
struct IvrServiceCodeNode {
  std::vector<std::string> prompts;
  IvrDigitInput input;
  IvrRetryPolicy retry;
  std::map<std::string, std::string> codes;  // code -> node id (from topics' service_code)
};

// Status of a case by its number (R16): collect 10 digits, check the Damm
// digit, then the last 4 digits of the phone the case was opened with, look
// both up, say the status. A wrong phone is answered as an unknown case, so
// the line tells no one which case numbers exist; each call has a bounded
// number of lookups, so it cannot try the 10 000 endings (R22).
struct IvrCaseStatusNode {
  std::vector<std::string> prompts;
  IvrDigitInput input{10, 10, '#', Duration{8000}, Duration{4000}};
  std::vector<std::string> phone_prompts{"case_status/phone_last4"};
  IvrDigitInput phone_input{4, 4, '#', Duration{8000}, Duration{4000}};
  int max_lookups_per_call = 3;           // then retry.on_fail (an operator checks identity)
  IvrRetryPolicy retry;                   // invalid_prompt: "the number is not correct"
  std::string not_found_prompt;           // then re-prompt (counts as an attempt)
  std::string unavailable_prompt;         // lookup error or timeout; then retry.on_fail
  std::string status_prompt;              // "the status of case number"; then digits and status word
  Duration lookup_timeout = Duration{5000};
  std::string next;                       // after the status was said
};

// A typical question answered without an operator (R6): text by key.
struct IvrTypicalAnswerNode {
  std::string answer;     // prompt id of the answer text
  bool barge_in = true;
  std::string next;
};

// Open or closed now (R2), by a queue's calendar with holidays.
struct IvrHoursCheckNode {
  std::string hours_ref;  // what the calendar came from ("queue q_tax", "hours business"); for messages
  BusinessCalendar calendar;
  std::string open;
  std::string closed;
};

// Terminal: hand the call to a queue.
struct IvrQueueNode {
  std::string queue;
  std::vector<std::string> prompts;          // played before entering ("" = none)
  std::vector<std::string> waiting_prompts;  // looped by the adapter while waiting
};

// The caller chooses the language of everything that follows.
struct IvrLanguageSelectNode {
  std::vector<std::string> prompts;           // barge-in allowed
  std::map<char, std::string> languages;      // '9' -> "en"
  Duration timeout = Duration{3000};                  // silence keeps the current language
  std::string next;                           // after a choice, silence or another key
};

// Terminal: say goodbye and end the call.
struct IvrHangupNode {
  std::vector<std::string> prompts;
};

// One thing a caller may say at a listen node (R7): its phrases and synonyms
// per language, the key that chooses the same without speech, where it leads.
struct IvrListenIntent {
  std::string id;       // "certificates": recorded as the call's intent
  std::map<std::string, std::vector<std::string>> phrases;  // language -> lower case phrases
  char key = 0;         // the key alternative: every intent has one
  std::string prompt;   // its name in "did you say <certificates>?" ("" = none)
  std::string next;     // node
};

// Ask what the call is about and listen (R7): the caller says it or presses
// its key. Speech or a key stops the prompt (barge-in). A match below
// min_confidence is confirmed first ("did you say certificates? press 1 or
// say yes"); no match re-prompts ("sorry, I didn't catch that").
struct IvrListenNode {
  std::vector<std::string> prompts;
  std::vector<IvrListenIntent> intents;
  Duration timeout = Duration{5000};  // silence after the prompt ends
  double min_confidence = 0.5;
  std::string no_match_prompt;        // played before re-prompting after speech not understood
  std::string confirm_prompt;         // "did you say"; then the intent's prompt
  std::string confirm_hint_prompt;    // "press 1 or say yes, press 2 or say no"
  IvrRetryPolicy retry;               // invalid_prompt, no_input_prompt, on_fail

  const IvrListenIntent* FindIntent(std::string_view id) const;
  const IvrListenIntent* FindKey(char key) const;
  // Intent id -> its phrases in `language`.
  std::map<std::string, std::vector<std::string>> PhrasesIn(const std::string& language) const;
};

enum class IvrNodeKind {
  kPlay,
  kMenu,
  kCollectDigits,
  kServiceCode,
  kCaseStatus,
  kTypicalAnswer,
  kHoursCheck,
  kQueue,
  kLanguageSelect,
  kHangup,
  kListen,
};
std::string_view ToString(IvrNodeKind k);  // the YAML `type`: "play", "menu", ...

struct IvrNode {
  std::string id;
  std::string topic;  // entering this node chooses the topic ("" = no change)
  std::variant<IvrPlayNode, IvrMenuNode, IvrCollectDigitsNode, IvrServiceCodeNode,
               IvrCaseStatusNode, IvrTypicalAnswerNode, IvrHoursCheckNode, IvrQueueNode,
               IvrLanguageSelectNode, IvrHangupNode, IvrListenNode>
      spec;

  // Variant order matches IvrNodeKind.
  IvrNodeKind kind() const { return static_cast<IvrNodeKind>(spec.index()); }
};

struct IvrModel {
  std::string start;                         // first node
  std::string default_language = "ru";
  std::vector<std::string> languages{"ru"};  // every prompt needs a text in each
  std::map<std::string, IvrNode> nodes;      // id -> node
  std::map<std::string, IvrPromptTexts> prompts;  // prompt id -> texts

  const IvrNode* FindNode(std::string_view id) const;
};

}  // namespace gosline
