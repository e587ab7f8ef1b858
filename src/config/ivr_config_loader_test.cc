#include "config/ivr_config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.h"

namespace gosline {
namespace {

// A small valid file with an ivr section; tests change one line and look for
// the error on it. Line numbers are written beside the lines they are about.
constexpr const char* kValid =
    "service:\n"                                                                          // 1
    "  name: Test line\n"                                                                 // 2
    "  numbers: [\"115\"]\n"                                                              // 3
    "  languages: [ru, en]\n"                                                             // 4
    "hours:\n"                                                                            // 5
    "  - {id: always, weekly: \"24/7\"}\n"                                                // 6
    "  - id: office\n"                                                                    // 7
    "    weekly: {mon: \"09:00-18:00\", tue: \"09:00-18:00\", wed: \"09:00-18:00\","
    " thu: \"09:00-18:00\", fri: \"09:00-18:00\", sat: closed, sun: closed}\n"            // 8
    "centres:\n"                                                                          // 9
    "  - {id: federal, name: Federal, hours: always, utc_offset: \"+03:00\"}\n"           // 10
    "agencies:\n"                                                                         // 11
    "  - {id: mintsifry, name: Минцифры}\n"                                               // 12
    "topics:\n"                                                                           // 13
    "  - {id: registration, names: {ru: Регистрация, en: Registration}, agency: mintsifry,"
    " service_code: \"1\"}\n"                                                             // 14
    "  - {id: taxes, names: {ru: Налоги, en: Taxes}, agency: mintsifry, service_code: \"5\"}\n"  // 15
    "queues:\n"                                                                           // 16
    "  - {id: q-reg, topic: registration, centre: federal}\n"                             // 17
    "  - {id: q-tax, topic: taxes, centre: federal, hours: office}\n"                     // 18
    "escalation: {hours: office, centre: federal}\n"                                      // 19
    "ivr:\n"                                                                              // 20
    "  start: menu\n"                                                                     // 21
    "  prompts:\n"                                                                        // 22
    "    menu: {ru: Меню, en: Menu}\n"                                                    // 23
    "    code: {ru: Код, en: {text: Code, voice: en}}\n"                                  // 24
    "    bye: {ru: До свидания, en: {wav: prompts/en/bye.wav}}\n"                         // 25
    "  nodes:\n"                                                                          // 26
    "    - id: menu\n"                                                                    // 27
    "      type: menu\n"                                                                  // 28
    "      prompts: menu\n"                                                               // 29
    "      options: {\"1\": q_reg, \"5\": hours_tax, \"*\": code}\n"                      // 30
    "    - id: code\n"                                                                    // 31
    "      type: service_code\n"                                                          // 32
    "      prompts: code\n"                                                               // 33
    "      targets: {registration: q_reg, taxes: hours_tax}\n"                            // 34
    "    - {id: hours_tax, type: hours_check, queue: q-tax, open: q_tax, closed: bye}\n"  // 35
    "    - {id: q_reg, type: queue, queue: q-reg}\n"                                      // 36
    "    - {id: q_tax, type: queue, queue: q-tax}\n"                                      // 37
    "    - {id: bye, type: hangup, prompts: bye}\n";                                      // 38

std::string With(const std::string& from, const std::string& to, std::string text = kValid) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test text lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

ConfigLoadResult Load(const std::string& text) { return LoadConfigText(text, "test.yaml"); }

std::string AllErrors(const ConfigLoadResult& r) {
  std::string out;
  for (const ConfigError& e : r.errors) out += e.ToString() + "\n";
  return out;
}

// True when some error is on `line` and contains every one of `words`.
bool HasError(const ConfigLoadResult& r, int line, const std::vector<std::string>& words) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.line == line && std::all_of(words.begin(), words.end(), [&](const std::string& w) {
             return e.message.find(w) != std::string::npos;
           });
  });
}

TEST(IvrConfigLoaderTest, R5_ValidSectionGivesASharedValidatedModel) {
  const ConfigLoadResult r = Load(kValid);
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  ASSERT_NE(r.config.ivr.model, nullptr);
  const IvrModel& m = *r.config.ivr.model;
  EXPECT_EQ(m.start, "menu");
  EXPECT_EQ(m.default_language, "ru");
  EXPECT_EQ(m.languages, (std::vector<std::string>{"ru", "en"}));
  EXPECT_EQ(m.nodes.size(), 6u);
  // Service codes come from the topics.
  const auto& code = std::get<IvrServiceCodeNode>(m.FindNode("code")->spec);
  EXPECT_EQ(code.codes, (std::map<std::string, std::string>{{"1", "q_reg"}, {"5", "hours_tax"}}));
  EXPECT_EQ(code.input.max_digits, 1);
  // A queue node takes its queue's topic.
  EXPECT_EQ(m.FindNode("q_reg")->topic, "registration");
  // Prompt forms: text, text with a voice, a recording; system words added.
  EXPECT_EQ(m.prompts.at("code").at("en").voice, "en");
  EXPECT_EQ(m.prompts.at("bye").at("en").wav_path, "prompts/en/bye.wav");
  EXPECT_EQ(m.prompts.at("digit/7").at("ru").text, "семь");
}

TEST(IvrConfigLoaderTest, R16_BuiltInWordsCanBeGivenOtherTexts) {
  const ConfigLoadResult r = Load(With("  nodes:\n", "    digit/7: {ru: Семёрка, en: Seven}\n  nodes:\n"));
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.ivr.model->prompts.at("digit/7").at("ru").text, "Семёрка");
  EXPECT_EQ(r.config.ivr.model->prompts.at("digit/8").at("ru").text, "восемь");
  const ConfigLoadResult bad = Load(With("  nodes:\n", "    digit//7: {ru: Семь, en: Seven}\n  nodes:\n"));
  EXPECT_TRUE(HasError(bad, 26, {"expected a prompt id"})) << AllErrors(bad);
}

TEST(IvrConfigLoaderTest, R2_HoursCheckUsesTheQueuesHoursAndHolidays) {
  const ConfigLoadResult r = Load(With("escalation:", "holidays: {dates: [\"2026-03-10\"]}\nescalation:"));
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const auto& hours = std::get<IvrHoursCheckNode>(r.config.ivr.model->FindNode("hours_tax")->spec);
  EXPECT_TRUE(hours.calendar.IsOpen(*ParseIso8601("2026-03-11T12:00:00+03:00")));   // Wednesday
  EXPECT_FALSE(hours.calendar.IsOpen(*ParseIso8601("2026-03-10T12:00:00+03:00")));  // holiday
  EXPECT_FALSE(hours.calendar.IsOpen(*ParseIso8601("2026-03-14T12:00:00+03:00")));  // Saturday
  EXPECT_FALSE(hours.calendar.IsOpen(*ParseIso8601("2026-03-11T19:00:00+03:00")));  // evening
}

TEST(IvrConfigLoaderTest, R5_NoIvrSectionIsValidAndGivesNoModel) {
  const std::string text(kValid);
  const ConfigLoadResult r = Load(text.substr(0, text.find("ivr:\n")));
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.ivr.model, nullptr);
}

TEST(IvrConfigLoaderTest, R5_UnknownNodeReferenceIsReportedOnItsLine) {
  const ConfigLoadResult r = Load(With("{\"1\": q_reg,", "{\"1\": q_rge,"));
  EXPECT_TRUE(HasError(r, 30, {"ivr.nodes.menu.options.1", "unknown node 'q_rge'"})) << AllErrors(r);
  EXPECT_EQ(r.config.ivr.model, nullptr);
}

TEST(IvrConfigLoaderTest, R5_UnknownNodeTypeSuggestsTheRightOne) {
  const ConfigLoadResult r = Load(With("      type: menu\n", "      type: menuu\n"));
  EXPECT_TRUE(HasError(r, 28, {"unknown node type \"menuu\"", "did you mean \"menu\""})) << AllErrors(r);
  EXPECT_EQ(r.errors.size(), 1u) << AllErrors(r);  // not one more per key of the node
}

TEST(IvrConfigLoaderTest, R5_UnknownKeyInANodeSuggestsTheRightOne) {
  const ConfigLoadResult r = Load(With("      prompts: menu\n", "      prompt: menu\n"));
  EXPECT_TRUE(HasError(r, 29, {"unknown key \"prompt\"", "did you mean \"prompts\""})) << AllErrors(r);
  EXPECT_TRUE(HasError(r, 27, {"missing key \"prompts\""})) << AllErrors(r);
}

TEST(IvrConfigLoaderTest, R5_PromptWithoutATextInALanguageIsReportedOnThePrompt) {
  const ConfigLoadResult r = Load(With("menu: {ru: Меню, en: Menu}", "menu: {ru: Меню}"));
  EXPECT_TRUE(HasError(r, 23, {"ivr.prompts.menu.en", "no text in 'en'"})) << AllErrors(r);
}

TEST(IvrConfigLoaderTest, R5_PromptMustBeTextOrRecordingNotBoth) {
  const ConfigLoadResult r =
      Load(With("{wav: prompts/en/bye.wav}", "{wav: prompts/en/bye.wav, text: Goodbye}"));
  EXPECT_TRUE(HasError(r, 25, {"either text", "or wav"})) << AllErrors(r);
  const ConfigLoadResult voice = Load(With("voice: en", "voice: english"));
  EXPECT_TRUE(HasError(voice, 24, {"voice", "two-letter language code"})) << AllErrors(voice);
}

TEST(IvrConfigLoaderTest, R5_UnreachableNodeIsReportedOnTheNode) {
  const ConfigLoadResult r = Load(With(", \"*\": code}", "}"));
  EXPECT_TRUE(HasError(r, 31, {"ivr.nodes.code", "unreachable from 'menu'"})) << AllErrors(r);
}

TEST(IvrConfigLoaderTest, R5_UnknownQueueAndTopicAreReportedWithSuggestions) {
  const ConfigLoadResult queue = Load(With("{id: q_reg, type: queue, queue: q-reg}",
                                           "{id: q_reg, type: queue, queue: q-rge}"));
  EXPECT_TRUE(HasError(queue, 36, {"unknown queue \"q-rge\"", "did you mean \"q-reg\""}))
      << AllErrors(queue);
  const ConfigLoadResult topic = Load(With("      type: menu\n", "      type: menu\n      topic: taxs\n"));
  EXPECT_TRUE(HasError(topic, 29, {"unknown topic \"taxs\"", "did you mean \"taxes\""}))
      << AllErrors(topic);
}

TEST(IvrConfigLoaderTest, R5_EveryServiceCodeNeedsATarget) {
  const ConfigLoadResult r = Load(With("{registration: q_reg, taxes: hours_tax}", "{registration: q_reg}"));
  EXPECT_TRUE(HasError(r, 34, {"topic \"taxes\" has service code \"5\" but no target"})) << AllErrors(r);
  const ConfigLoadResult unknown =
      Load(With("{registration: q_reg, taxes: hours_tax}", "{registration: q_reg, taxes: hours_tax, tax: q_tax}"));
  EXPECT_TRUE(HasError(unknown, 34, {"unknown key \"tax\""})) << AllErrors(unknown);
}

TEST(IvrConfigLoaderTest, R2_HoursCheckNeedsAQueueOrHours) {
  const ConfigLoadResult r = Load(With("type: hours_check, queue: q-tax,", "type: hours_check,"));
  EXPECT_TRUE(HasError(r, 35, {"either queue", "or hours and centre"})) << AllErrors(r);
  const ConfigLoadResult by_hours =
      Load(With("type: hours_check, queue: q-tax,", "type: hours_check, hours: office, centre: federal,"));
  EXPECT_TRUE(by_hours.ok()) << AllErrors(by_hours);
}

TEST(IvrConfigLoaderTest, R5_BadKeysAndTimesAreReported) {
  const ConfigLoadResult key = Load(With("{\"1\": q_reg,", "{\"11\": q_reg,"));
  EXPECT_TRUE(HasError(key, 30, {"telephone key"})) << AllErrors(key);
  const ConfigLoadResult time = Load(With("      prompts: menu\n", "      prompts: menu\n      timeout_ms: 0\n"));
  EXPECT_TRUE(HasError(time, 30, {"timeout_ms", "1..120000"})) << AllErrors(time);
  const ConfigLoadResult start = Load(With("  start: menu\n", "  start: menus\n"));
  EXPECT_TRUE(HasError(start, 21, {"ivr.start", "unknown node 'menus'"})) << AllErrors(start);
}

TEST(IvrConfigLoaderTest, R5_DuplicateNodeIdIsReported) {
  const ConfigLoadResult r = Load(With("{id: q_tax, type: queue", "{id: q_reg, type: queue"));
  EXPECT_TRUE(HasError(r, 37, {"duplicate node id \"q_reg\"", "line 36"})) << AllErrors(r);
}

}  // namespace
}  // namespace gosline

namespace gosline {
namespace {

// R7: a listen node in front of the menu: "taxes" said or key 5.
std::string WithListen(const std::string& intents) {
  std::string text = With("  start: menu\n", "  start: speak\n");
  text = With("    bye: {ru: До свидания, en: {wav: prompts/en/bye.wav}}\n",
              "    bye: {ru: До свидания, en: {wav: prompts/en/bye.wav}}\n"
              "    speak: {ru: Скажите тему, en: Say the topic}\n"
              "    did_you_say: {ru: Вы сказали, en: Did you say}\n"
              "    hint: {ru: Да или нет, en: Yes or no}\n",
              text);
  return text + "    - id: speak\n"
                "      type: listen\n"
                "      prompts: speak\n"
                "      confirm_prompt: did_you_say\n"
                "      confirm_hint_prompt: hint\n"
                "      min_confidence: 0.6\n"
                "      on_fail: menu\n"
                "      intents:\n" +
         intents;
}

TEST(IvrConfigLoaderTest, R7_ListenNodeReadsIntentsWithPhrasesAndKeys) {
  const ConfigLoadResult r = Load(WithListen(
      "        taxes: {key: \"5\", next: hours_tax, phrases: {en: [Tax, taxes], ru: [налоги]}}\n"
      "        registration: {key: \"1\", next: q_reg, phrases: {en: [registration]}}\n"));
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const auto& s = std::get<IvrListenNode>(r.config.ivr.model->FindNode("speak")->spec);
  ASSERT_EQ(s.intents.size(), 2u);
  EXPECT_EQ(s.intents[0].id, "taxes");
  EXPECT_EQ(s.intents[0].key, '5');
  EXPECT_EQ(s.intents[0].phrases.at("en"), (std::vector<std::string>{"tax", "taxes"}));
  EXPECT_DOUBLE_EQ(s.min_confidence, 0.6);
  EXPECT_EQ(s.retry.on_fail, "menu");
}

TEST(IvrConfigLoaderTest, R7_ListenNodeWithoutAKeyOrWithABadConfidenceIsRefused) {
  const ConfigLoadResult no_key =
      Load(WithListen("        taxes: {next: hours_tax, phrases: {en: [tax]}}\n"));
  EXPECT_FALSE(no_key.ok());
  EXPECT_NE(AllErrors(no_key).find("key"), std::string::npos) << AllErrors(no_key);
  const ConfigLoadResult twice = Load(WithListen(
      "        taxes: {key: \"5\", next: hours_tax, phrases: {en: [tax]}}\n"
      "        registration: {key: \"5\", next: q_reg, phrases: {en: [registration]}}\n"));
  EXPECT_FALSE(twice.ok());
  const ConfigLoadResult confidence = Load(With(
      "      min_confidence: 0.6\n", "      min_confidence: 1.5\n",
      WithListen("        taxes: {key: \"5\", next: hours_tax, phrases: {en: [tax]}}\n")));
  EXPECT_FALSE(confidence.ok());
  EXPECT_NE(AllErrors(confidence).find("0 to 1"), std::string::npos) << AllErrors(confidence);
}

}  // namespace
}  // namespace gosline
