// R13: corrective-action rules are read and checked like the rest of the
// configuration, every mistake reported on its line.
#include "config/corrective_config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/config_loader.h"

namespace gosline {
namespace {

using corrective::ActionKind;
using corrective::Figure;

// Two queues of one topic at two centres and an IVR prompt; the
// corrective_actions section follows on line 16.
constexpr const char* kBase =
    "service: {name: Test, numbers: [\"115\"]}\n"                                  // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                     // 2
    "centres: [{id: federal, name: F, hours: always, utc_offset: \"+03:00\"},\n"    // 3
    "          {id: kazan, name: K, hours: always, utc_offset: \"+03:00\"}]\n"      // 4
    "agencies: [{id: a, name: A}]\n"                                                // 5
    "topics: [{id: t, names: {ru: Т}, agency: a}]\n"                                // 6
    "queues: [{id: q, topic: t, centre: federal}, {id: kq, topic: t, centre: kazan}]\n"  // 7
    "escalation: {hours: always, centre: federal}\n"                                // 8
    "ivr:\n"                                                                        // 9
    "  start: main\n"                                                               // 10
    "  prompts:\n"                                                                  // 11
    "    high_load: {ru: Линия перегружена}\n"                                      // 12
    "    enter: {ru: Ждите}\n"                                                      // 13
    "  nodes:\n"                                                                    // 14
    "    - {id: main, type: queue, queue: q, prompts: enter}\n";                    // 15

ConfigLoadResult Load(const std::string& section) {
  return LoadConfigText(std::string(kBase) + section, "test.yaml");
}

bool HasError(const ConfigLoadResult& r, int line, const std::string& word) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const ConfigError& e) {
    return e.line == line && e.message.find(word) != std::string::npos;
  });
}

std::string Errors(const ConfigLoadResult& r) {
  std::string out;
  for (const ConfigError& e : r.errors) out += std::to_string(e.line) + ": " + e.message + "\n";
  return out;
}

TEST(CorrectiveConfigLoaderTest, NoSectionNoRules) {
  const ConfigLoadResult r = Load("");
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_TRUE(r.config.corrective_actions.empty());
}

TEST(CorrectiveConfigLoaderTest, EveryPartOfARuleIsRead) {
  const ConfigLoadResult r = Load(
      "corrective_actions:\n"                                                        // 16
      "  - name: long-queue\n"                                                       // 17
      "    when: {figure: queue_length, queue: q, above: 5, for_seconds: 60}\n"      // 18
      "    recover: {threshold: 2, for_seconds: 120}\n"                              // 19
      "    actions:\n"                                                               // 20
      "      - open_overflow: {from_queue: q, to_centre: kazan}\n"                   // 21
      "      - offer_callback\n"                                                     // 22
      "      - high_load_announcement: {prompt: high_load}\n"                        // 23
      "      - page_supervisors\n"                                                   // 24
      "  - name: sl-low\n"                                                           // 25
      "    when: {figure: service_level_15m, below: 0.8}\n"                          // 26
      "    actions: [page_supervisors]\n"                                            // 27
      "  - name: switched-off\n"                                                     // 28
      "    enabled: false\n"                                                         // 29
      "    when: {figure: ewt_seconds, above: 600}\n"                                // 30
      "    actions: [offer_callback]\n");                                            // 31
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.config.corrective_actions.size(), 2u);  // the disabled one is checked, not run
  const corrective::CorrectiveRule& a = r.config.corrective_actions[0];
  EXPECT_EQ(a.name, "long-queue");
  EXPECT_EQ(a.when.figure, Figure::kQueueLength);
  EXPECT_EQ(a.when.queue, "q");
  EXPECT_TRUE(a.when.above);
  EXPECT_EQ(a.when.threshold, 5);
  EXPECT_EQ(a.when.hold, std::chrono::seconds(60));
  EXPECT_EQ(a.recover.threshold, 2);
  EXPECT_EQ(a.recover.hold, std::chrono::seconds(120));
  ASSERT_EQ(a.actions.size(), 4u);
  EXPECT_EQ(a.actions[0].kind, ActionKind::kOpenOverflow);
  EXPECT_EQ(a.actions[0].from_queue, "q");
  EXPECT_EQ(a.actions[0].to_centre, "kazan");
  EXPECT_EQ(a.actions[1].kind, ActionKind::kOfferCallback);
  EXPECT_EQ(a.actions[2].kind, ActionKind::kHighLoadAnnouncement);
  EXPECT_EQ(a.actions[2].prompt, "high_load");
  EXPECT_EQ(a.actions[3].kind, ActionKind::kPageSupervisors);
  const corrective::CorrectiveRule& b = r.config.corrective_actions[1];
  EXPECT_FALSE(b.when.above);
  EXPECT_DOUBLE_EQ(b.when.threshold, 0.8);
  EXPECT_DOUBLE_EQ(b.recover.threshold, 0.8);  // no recover section: the trigger's own
}

TEST(CorrectiveConfigLoaderTest, MistakesAreReportedOnTheirLine) {
  auto rule = [](const std::string& when, const std::string& rest) {
    return Load("corrective_actions:\n  - name: r\n    when: " + when + "\n" + rest);  // when: line 18
  };
  const std::string page = "    actions: [page_supervisors]\n";  // line 19
  EXPECT_TRUE(HasError(rule("{figure: queue_lenght, above: 5}", page), 18, "queue_lenght"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, queue: nope, above: 5}", page), 18, "unknown queue"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length}", page), 18, "above and below"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5, below: 2}", page), 18, "above and below"));
  EXPECT_TRUE(HasError(rule("{figure: service_level_15m, below: 80}", page), 18, "share from 0 to 1"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: many}", page), 18, "above"));
  // The recovery threshold on the alarming side: the action would never end.
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    recover: {threshold: 7}\n" + page),
                       19, "never end"));
  EXPECT_TRUE(HasError(rule("{figure: service_level_15m, below: 0.8}",
                            "    recover: {threshold: 0.7}\n" + page),
                       19, "at or above"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}", "    actions: []\n"), 19, "at least one"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}", "    actions: [reboot]\n"), 19,
                       "unknown action"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    actions: [{high_load_announcement: {prompt: nope}}]\n"),
                       19, "unknown prompt"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    actions: [{open_overflow: {from_queue: q, to_queue: zz}}]\n"),
                       19, "unknown queue"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    actions: [{open_overflow: {from_queue: q, to_queue: q}}]\n"),
                       19, "itself"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    actions: [{open_overflow: {from_queue: q, to_centre: federal}}]\n"),
                       19, "no other queue"));
  EXPECT_TRUE(HasError(rule("{figure: queue_length, above: 5}",
                            "    actions: [{open_overflow: {from_queue: q}}]\n"),
                       19, "exactly one target"));
  // A name used twice.
  const ConfigLoadResult twice = Load(
      "corrective_actions:\n"
      "  - {name: r, when: {figure: queue_length, above: 5}, actions: [page_supervisors]}\n"
      "  - {name: r, when: {figure: queue_length, above: 6}, actions: [page_supervisors]}\n");
  EXPECT_TRUE(HasError(twice, 18, "r")) << Errors(twice);
}

}  // namespace
}  // namespace gosline
