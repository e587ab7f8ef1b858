#include "config/routing_config_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"
#include "core/numbering/numbering_csv.h"
#include "core/numbering/numbering_plan.h"
#include "core/routing/router.h"

namespace gosline {
namespace {

using namespace std::chrono_literals;

// A small valid config with a routing section; tests change one line and
// look for the error on it. Line numbers are written beside the lines.
constexpr const char* kValid =
    "service: {name: Test, numbers: [\"115\"], languages: [ru, en]}\n"                 // 1
    "hours: [{id: always, weekly: \"24/7\"}]\n"                                         // 2
    "centres:\n"                                                                         // 3
    "  - {id: federal, name: Federal, hours: always, utc_offset: \"+03:00\"}\n"          // 4
    "  - {id: kazan, name: Kazan, hours: always, utc_offset: \"+03:00\"}\n"              // 5
    "agencies: [{id: sfr, name: SFR}]\n"                                                 // 6
    "topics:\n"                                                                          // 7
    "  - {id: pensions, names: {ru: Пенсии}, agency: sfr, regional: true}\n"             // 8
    "  - {id: taxes, names: {ru: Налоги}, agency: sfr}\n"                                // 9
    "regions: [{code: \"16\", name: Татарстан, utc_offset: \"+03:00\", centre: kazan}]\n"  // 10
    "queues:\n"                                                                          // 11
    "  - {id: fed-pensions, topic: pensions, centre: federal}\n"                         // 12
    "  - {id: fed-taxes, topic: taxes, centre: federal}\n"                               // 13
    "  - {id: kzn-pensions, topic: pensions, centre: kazan}\n"                           // 14
    "escalation: {hours: always, centre: federal}\n"                                     // 15
    "routing:\n"                                                                         // 16
    "  wrap_up_seconds: 45\n"                                                            // 17
    "  no_answer_seconds: 15\n"                                                          // 18
    "  open_case_priority_weight_seconds: 90\n"                                          // 19
    "  aging_promote_after_seconds: 600\n"                                               // 20
    "  default_handle_seconds: 240\n"                                                    // 21
    "  numbering:\n"                                                                     // 22
    "    ranges_csv: data/numbering/sample.csv\n"                                        // 23
    "    region_names: {\"Республика Татарстан\": \"16\"}\n"                             // 24
    "  operators:\n"                                                                     // 25
    "    - {id: ivanova, name: Иванова, centre: federal, languages: [ru, en],\n"         // 26
    "       skills: {pensions: 7, taxes: 3}}\n"                                          // 27
    "    - {id: gilmutdinov, centre: kazan, languages: [ru], skills: {pensions: 9},\n"   // 28
    "       regions: [\"16\"]}\n"                                                        // 29
    "  overflow:\n"                                                                      // 30
    "    - queue: kzn-pensions\n"                                                        // 31
    "      rules:\n"                                                                     // 32
    "        - {after_seconds: 60, to_centre: federal}\n"                                // 33
    "        - {estimated_wait_above_seconds: 300, length_above: 20, to_queue: fed-pensions}\n"  // 34
    "    - queue: fed-pensions\n"                                                        // 35
    "      rules: [{length_above: 50, to_region: \"16\"}]\n";                            // 36

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

// The one error of `r`, which must be on `line` and contain `text`.
void ExpectError(const ConfigLoadResult& r, int line, const std::string& text) {
  ASSERT_EQ(r.errors.size(), 1u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].line, line) << AllErrors(r);
  EXPECT_NE(r.errors[0].message.find(text), std::string::npos) << AllErrors(r);
}

TEST(RoutingConfigLoader, ReadsTheSection) {
  const ConfigLoadResult r = Load(kValid);
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const routing::RoutingConfig& rc = r.config.routing;
  EXPECT_EQ(rc.settings.wrap_up, Duration(45s));
  EXPECT_EQ(rc.settings.no_answer, Duration(15s));
  EXPECT_EQ(rc.settings.open_case_weight, Duration(90s));
  EXPECT_EQ(rc.settings.promote_after, Duration(600s));
  EXPECT_EQ(rc.settings.default_handle_time, Duration(240s));
  EXPECT_EQ(rc.settings.federal_centre, "federal");
  EXPECT_EQ(rc.numbering_csv, "data/numbering/sample.csv");
  ASSERT_EQ(rc.numbering_region_names.size(), 1u);
  EXPECT_EQ(rc.numbering_region_names[0].first, "Республика Татарстан");
  EXPECT_EQ(rc.numbering_region_names[0].second, "16");
  ASSERT_EQ(rc.operators.size(), 2u);
  EXPECT_EQ(rc.operators[0].id, "ivanova");
  EXPECT_EQ(rc.operators[0].name, "Иванова");
  EXPECT_EQ(rc.operators[0].languages, (std::vector<std::string>{"ru", "en"}));
  EXPECT_EQ(rc.operators[0].skills, (std::map<std::string, int>{{"pensions", 7}, {"taxes", 3}}));
  EXPECT_EQ(rc.operators[1].centre, "kazan");
  EXPECT_EQ(rc.operators[1].regions, std::vector<std::string>{"16"});
  ASSERT_EQ(rc.overflow.size(), 2u);
  ASSERT_EQ(rc.overflow[0].rules.size(), 2u);
  EXPECT_EQ(rc.overflow[0].rules[0].after, Duration(60s));
  EXPECT_EQ(rc.overflow[0].rules[0].target.kind, routing::OverflowTarget::Kind::kCentre);
  EXPECT_EQ(rc.overflow[0].rules[1].wait_above, Duration(300s));
  EXPECT_EQ(rc.overflow[0].rules[1].length_above, 20u);
  EXPECT_EQ(rc.overflow[0].rules[1].target.id, "fed-pensions");
  EXPECT_EQ(rc.overflow[1].rules[0].target.kind, routing::OverflowTarget::Kind::kRegion);
  // And the routing core accepts what the loader accepted.
  EXPECT_TRUE(routing::Router::Create(RoutingTopologyOf(r.config), rc).ok());
}

TEST(RoutingConfigLoader, SectionIsOptional) {
  const ConfigLoadResult r = Load(std::string(kValid).substr(0, std::string(kValid).find("routing:")));
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_TRUE(r.config.routing.operators.empty());
}

TEST(RoutingConfigLoader, R12_OperatorMistakesAreReportedWithTheirLine) {
  ExpectError(Load(With("id: ivanova,", "id: \"ivanova!\",")), 26, "routing.operators[0].id: expected an id");
  ExpectError(Load(With("id: gilmutdinov,", "id: ivanova,")), 28, "duplicate operator \"ivanova\"");
  ExpectError(Load(With("centre: federal, languages: [ru, en]", "centre: federall, languages: [ru, en]")), 26,
              "unknown centre \"federall\" (did you mean \"federal\"?)");
  ExpectError(Load(With("federal, languages: [ru, en]", "federal, languages: [ru, de]")), 26,
              "routing.operators[0].languages[1]: unknown language \"de\"");
  ExpectError(Load(With("federal, languages: [ru, en]", "federal, languages: []")), 26,
              "expected at least one language");
  ExpectError(Load(With("skills: {pensions: 7, taxes: 3}", "skills: {pensions: 7, taxe: 3}")), 27,
              "unknown key \"taxe\" (did you mean \"taxes\"?)");
  ExpectError(Load(With("skills: {pensions: 7, taxes: 3}", "skills: {pensions: 11}")), 27,
              "routing.operators[0].skills.pensions: expected a whole number 1..10");
  ExpectError(Load(With("skills: {pensions: 9}", "skills: {pensions: 9, taxes: 5}")), 28,
              "skills.taxes: centre \"kazan\" has no queue for topic \"taxes\"");
  ExpectError(Load(With("regions: [\"16\"]", "regions: [\"Tatarstan\"]")), 29,
              "routing.operators[1].regions[0]: expected a two-digit federal subject code");
  ExpectError(Load(With("    - {id: gilmutdinov, centre: kazan, languages: [ru], skills: {pensions: 9},\n",
                        "    - {id: gilmutdinov, centre: kazan, languages: [ru],\n")),
              28, "routing.operators[1]: missing key \"skills\"");
}

TEST(RoutingConfigLoader, R11_OverflowMistakesAreReportedWithTheirLine) {
  ExpectError(Load(With("- queue: kzn-pensions", "- queue: kzn-pension")), 31,
              "unknown queue \"kzn-pension\" (did you mean \"kzn-pensions\"?)");
  ExpectError(Load(With("- queue: fed-pensions\n      rules: [{length_above: 50, to_region: \"16\"}]",
                        "- queue: kzn-pensions\n      rules: [{length_above: 50, to_centre: federal}]")),
              35, "duplicate overflow queue \"kzn-pensions\" (first defined at line 31)");
  ExpectError(Load(With("{after_seconds: 60, to_centre: federal}", "{to_centre: federal}")), 33,
              "routing.overflow[0].rules[0]: expected a condition");
  ExpectError(Load(With("{after_seconds: 60, to_centre: federal}", "{after_seconds: 60}")), 33,
              "expected exactly one target: to_queue, to_centre, to_region");
  ExpectError(Load(With("{after_seconds: 60, to_centre: federal}",
                        "{after_seconds: 60, to_centre: federal, to_queue: fed-taxes}")),
              33, "expected exactly one target");
  ExpectError(Load(With("{after_seconds: 60, to_centre: federal}", "{after_seconds: -5, to_centre: federal}")),
              33, "after_seconds: expected a whole number 0..86400");
  ExpectError(Load(With("to_queue: fed-pensions}", "to_queue: kzn-pensions}")), 34,
              "to_queue: a queue cannot overflow to itself");
  ExpectError(Load(With("to_queue: fed-pensions}", "to_queue: fed-pensoins}")), 34,
              "unknown queue \"fed-pensoins\" (did you mean \"fed-pensions\"?)");
  ExpectError(Load(With("{after_seconds: 60, to_centre: federal}", "{after_seconds: 60, to_centre: kazan}")),
              33, "to_centre: that is the queue itself");
  ExpectError(Load(With("- queue: kzn-pensions", "- queue: fed-taxes")), 33,
              "to_centre: that is the queue itself");
  ExpectError(Load(With("{length_above: 50, to_region: \"16\"}", "{length_above: 50, to_region: \"77\"}")), 36,
              "to_region: that is the queue itself");  // 77 has no centre: federal
  ExpectError(Load(With("rules: [{length_above: 50, to_region: \"16\"}]", "rules: []")), 36,
              "expected at least one rule");
}

TEST(RoutingConfigLoader, R11_TargetCentreNeedsAQueueForTheTopic) {
  const std::string text = With("    - queue: fed-pensions\n      rules: [{length_above: 50, to_region: \"16\"}]\n",
                                "    - queue: fed-taxes\n      rules: [{length_above: 50, to_centre: kazan}]\n");
  ExpectError(Load(text), 36, "centre \"kazan\" has no queue for topic \"taxes\" (the topic of \"fed-taxes\")");
}

TEST(RoutingConfigLoader, R9_SettingsAreChecked) {
  ExpectError(Load(With("no_answer_seconds: 15", "no_answer_seconds: 0")), 18,
              "routing.no_answer_seconds: expected a whole number 1..600");
  ExpectError(Load(With("wrap_up_seconds: 45", "wrap_up_secs: 45")), 17,
              "unknown key \"wrap_up_secs\" (did you mean \"wrap_up_seconds\"?)");
  ExpectError(Load(With("  wrap_up_seconds: 45\n", "  federal_centre: moscow\n")), 17,
              "routing.federal_centre: unknown centre \"moscow\"");
  ExpectError(Load(With("{\"Республика Татарстан\": \"16\"}", "{\"Республика Татарстан\": \"Татарстан\"}")), 24,
              "region_names.Республика Татарстан: expected a two-digit federal subject code");
}

// The demo configuration: loads, the routing core accepts it, and its
// numbering mapping covers every region name in the sample register.
TEST(RoutingConfigLoader, R10_DemoConfigurationRoutesAndMapsTheSampleNumbering) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const routing::RoutingConfig& rc = r.config.routing;
  EXPECT_GE(rc.operators.size(), 10u);
  EXPECT_FALSE(rc.overflow.empty());
  Result<routing::Router> router = routing::Router::Create(RoutingTopologyOf(r.config), rc);
  ASSERT_TRUE(router.ok()) << router.status().ToString();

  std::ifstream in(std::string(GOSLINE_SOURCE_DIR) + "/" + rc.numbering_csv);
  ASSERT_TRUE(in.is_open()) << rc.numbering_csv;
  std::stringstream text;
  text << in.rdbuf();
  auto ranges = numbering::ParseNumberingCsv(text.str());
  ASSERT_TRUE(ranges.ok()) << ranges.status().ToString();
  numbering::RegionNameMap names;
  for (const Region& region : r.config.regions) ASSERT_TRUE(names.Add(region.name, region.code).ok());
  for (const auto& [name, code] : rc.numbering_region_names) ASSERT_TRUE(names.Add(name, code).ok()) << name;
  auto plan = numbering::NumberingPlan::Build(std::move(*ranges), names);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->unmapped_region_names().empty())
      << "first unmapped: " << plan->unmapped_region_names().front();

  // A caller from Kazan asking about pensions reaches the Kazan centre.
  routing::Router& rt = *router;
  const Time t = FromUnixMillis(1'767'258'000'000);
  ASSERT_TRUE(rt.OnCallEnqueued({1, "pensions_benefits", "ru",
                                 std::string(plan->Lookup("+78432345678")->region_code), false, {}, {}, {}, {}},
                                t)
                  .ok());
  EXPECT_EQ(rt.StatusOf(1)->queue, "kazan-pensions-benefits");
}

}  // namespace
}  // namespace gosline

// The operator's phone (static SIP contact, registration user) and
// how often waiting callers hear their position.
namespace gosline {
namespace {

TEST(RoutingConfigLoader, OperatorPhonesAndAnnouncementInterval) {
  ConfigLoadResult r = Load(With("  wrap_up_seconds: 45\n", "  wrap_up_seconds: 45\n  announce_every_seconds: 30\n",
                                 With("skills: {pensions: 7, taxes: 3}}",
                                      "skills: {pensions: 7, taxes: 3}, contact: \"sip:ivanova@127.0.0.1:5090\", "
                                      "sip_user: ivanova1}")));
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  EXPECT_EQ(r.config.centre.announce_every, 30s);
  ASSERT_EQ(r.config.centre.phones.count("ivanova"), 1u);
  EXPECT_EQ(r.config.centre.phones.at("ivanova").contact, "sip:ivanova@127.0.0.1:5090");
  EXPECT_EQ(r.config.centre.phones.at("ivanova").sip_user, "ivanova1");
  EXPECT_EQ(r.config.centre.phones.count("gilmutdinov"), 0u);

  ConfigLoadResult defaults = Load(kValid);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.config.centre.announce_every, 45s);

  ExpectError(Load(With("skills: {pensions: 7, taxes: 3}}", "skills: {pensions: 7, taxes: 3}, contact: ivanova}")),
              27, "routing.operators[0].contact: expected a SIP URI");
}

}  // namespace
}  // namespace gosline

// R22: encrypted audio to one operator's phone, whatever the line's setting.
namespace gosline {
namespace {

TEST(RoutingConfigLoader, OperatorSrtpSetting) {
  ConfigLoadResult r = Load(With("skills: {pensions: 7, taxes: 3}}",
                                 "skills: {pensions: 7, taxes: 3}, srtp: required}"));
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  ASSERT_EQ(r.config.centre.phones.count("ivanova"), 1u);
  EXPECT_EQ(r.config.centre.phones.at("ivanova").srtp, "required");
  ExpectError(Load(With("skills: {pensions: 7, taxes: 3}}", "skills: {pensions: 7, taxes: 3}, srtp: always}")),
              27, "routing.operators[0].srtp: expected off, offer or required");
}

}  // namespace
}  // namespace gosline
