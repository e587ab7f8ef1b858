#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace gosline {
namespace {

using std::chrono::minutes;

// A small valid config; tests change one line and look for the error on it.
// Line numbers are written beside the lines they are about.
constexpr const char* kValid =
    "service:\n"                                                                 // 1
    "  name: Test line\n"                                                        // 2
    "  numbers: [\"115\", \"88001007010\"]\n"                                    // 3
    "hours:\n"                                                                   // 4
    "  - id: always\n"                                                           // 5
    "    weekly: \"24/7\"\n"                                                     // 6
    "  - id: office\n"                                                           // 7
    "    weekly:\n"                                                              // 8
    "      mon: \"09:00-18:00\"\n"                                               // 9
    "      tue: \"09:00-18:00\"\n"                                               // 10
    "      wed: \"09:00-18:00\"\n"                                               // 11
    "      thu: \"09:00-18:00\"\n"                                               // 12
    "      fri: \"09:00-17:00\"\n"                                               // 13
    "      sat: closed\n"                                                        // 14
    "      sun: closed\n"                                                        // 15
    "centres:\n"                                                                 // 16
    "  - {id: federal, name: Federal, hours: always, utc_offset: \"+03:00\"}\n"  // 17
    "agencies:\n"                                                                // 18
    "  - {id: mintsifry, name: Минцифры}\n"                                      // 19
    "topics:\n"                                                                  // 20
    "  - id: registration\n"                                                     // 21
    "    names: {ru: Регистрация}\n"                                             // 22
    "    agency: mintsifry\n"                                                    // 23
    "    service_code: \"1\"\n"                                                  // 24
    "queues:\n"                                                                  // 25
    "  - {id: q1, topic: registration, centre: federal}\n"                       // 26
    "escalation: {hours: office, centre: federal}\n";                            // 27

// kValid with `from` replaced by `to` (which must be there: a test that edits
// nothing would pass for the wrong reason).
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
void ExpectOnlyError(const ConfigLoadResult& r, int line, const std::string& text) {
  ASSERT_EQ(r.errors.size(), 1u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].line, line) << AllErrors(r);
  EXPECT_NE(r.errors[0].message.find(text), std::string::npos) << AllErrors(r);
}

// yaml-cpp stops at a NUL byte without a word: the sections after it would
// be left out silently (found by fuzz/yaml_splice_fuzzer).
TEST(ConfigLoaderNulByte, IsAnErrorNamingItsLine) {
  using namespace std::string_literals;
  ConfigLoadResult r = LoadConfigText("service:\n  name: x\n# \0\nsecurity: {}\n"s, "nul.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_NE(r.errors[0].message.find("NUL"), std::string::npos);
}

TEST(ConfigLoader, BundledDemoConfigLoadsWithoutErrors) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const Config& c = r.config;
  EXPECT_EQ(c.source_path, GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  EXPECT_EQ(c.topics.size(), 8u);
  ASSERT_NE(c.FindTopic("taxes"), nullptr);
  EXPECT_EQ(c.FindTopic("taxes")->agency, "fns");
  EXPECT_EQ(c.FindTopic("taxes")->names.at("en"), "Taxes");
  ASSERT_NE(c.FindRegion("54"), nullptr);
  EXPECT_EQ(c.FindRegion("54")->utc_offset, minutes(7 * 60));
  EXPECT_EQ(c.FindRegion("16")->centre, "kazan");
  EXPECT_EQ(c.FindCentre("federal")->hours, "24x7");
  EXPECT_EQ(c.http.listen, "127.0.0.1");
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_EQ(c.storage.driver, "sqlite");
  EXPECT_EQ(c.storage.path, "var/gosline.db");
  EXPECT_EQ(c.service.languages, (std::vector<std::string>{"ru", "en"}));
  // Every topic can be reached: each has a queue at the 24/7 federal centre.
  for (const Topic& t : c.topics) {
    EXPECT_TRUE(std::any_of(c.queues.begin(), c.queues.end(), [&](const QueueConfig& q) {
      return q.topic == t.id && q.centre == "federal";
    })) << t.id;
  }
}

TEST(ConfigLoader, R1_DemoConfigHasTheThreeNumbersOfTheLine) {
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.service.numbers,
            (std::vector<std::string>{"88001007010", "115", "+74957274747"}));
}

TEST(ConfigLoader, R2_DemoConfigHasHolidaysAndRegionalBusinessHours) {
  using namespace std::chrono;
  const ConfigLoadResult r = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  const Config& c = r.config;
  EXPECT_TRUE(c.holidays.holidays.contains(sys_days(year(2026) / January / 1)));
  EXPECT_TRUE(c.holidays.holidays.contains(sys_days(year(2026) / March / 9)));
  EXPECT_TRUE(c.holidays.holidays.contains(sys_days(year(2026) / June / 12)));
  const HoursSpec* business = c.FindHours(c.FindCentre("kazan")->hours);
  ASSERT_NE(business, nullptr);
  EXPECT_EQ(business->weekly.days[0].open_minute, 9 * 60);
  EXPECT_TRUE(business->weekly.days[6].closed());
  EXPECT_FALSE(business->open_on_holidays);
  EXPECT_TRUE(c.FindHours("24x7")->open_on_holidays);
  // A queue without its own hours takes its centre's.
  EXPECT_EQ(c.FindQueue("kazan-pensions-benefits")->hours, "business");
  EXPECT_EQ(c.FindQueue("federal-licences-permits")->hours, "business");
}

TEST(ConfigLoader, SmallValidConfigLoads) {
  const ConfigLoadResult r = Load(kValid);
  ASSERT_TRUE(r.ok()) << AllErrors(r);
  EXPECT_EQ(r.config.service.default_language, "ru");
  EXPECT_EQ(r.config.queues[0].hours, "always");
  EXPECT_EQ(r.config.hours[1].weekly.days[4].close_minute, 17 * 60);
  EXPECT_EQ(r.config.http.port, 8080);  // defaults stay when a section is left out
  EXPECT_EQ(r.config.storage.synchronous, "full");
}

TEST(ConfigLoader, ServiceCodeErrorNamesPathValueLineAndColumn) {
  const ConfigLoadResult r = Load(With("service_code: \"1\"", "service_code: 1a"));
  ASSERT_EQ(r.errors.size(), 1u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].message, "topics[0].service_code: expected 1-4 digits, got \"1a\"");
  EXPECT_EQ(r.errors[0].line, 24);
  EXPECT_EQ(r.errors[0].column, 19);
  EXPECT_EQ(r.errors[0].ToString(),
            "test.yaml:24:19: topics[0].service_code: expected 1-4 digits, got \"1a\"");
}

TEST(ConfigLoader, DuplicateServiceCodesAreReported) {
  const std::string second_topic =
      "  - {id: taxes, names: {ru: Налоги}, agency: mintsifry, service_code: \"1\"}\n"
      "queues:\n"
      "  - {id: q2, topic: taxes, centre: federal}\n";
  const ConfigLoadResult r = Load(With("queues:\n", second_topic));
  ExpectOnlyError(
      r, 25, "topics[1].service_code: duplicate service code \"1\" (first defined at line 24)");
}

TEST(ConfigLoader, R1_BadDialledNumberIsReported) {
  const ConfigLoadResult r = Load(With("\"88001007010\"", "\"8-800-100-70-10\""));
  ExpectOnlyError(r, 3, "service.numbers[1]: expected digits or '+' and digits");
  EXPECT_EQ(r.errors[0].column, 20);
}

TEST(ConfigLoader, R1_DuplicateNumberIsReported) {
  const ConfigLoadResult r = Load(With("\"88001007010\"", "\"115\""));
  ExpectOnlyError(r, 3, "service.numbers[1]: duplicate number \"115\"");
}

TEST(ConfigLoader, R1_AtLeastOneNumberIsRequired) {
  ExpectOnlyError(Load(With("[\"115\", \"88001007010\"]", "[]")), 3,
                  "service.numbers: expected at least one dialled number");
  ExpectOnlyError(Load(With("  numbers: [\"115\", \"88001007010\"]\n", "")), 2,
                  "service: missing key \"numbers\"");
}

TEST(ConfigLoader, R2_MalformedHoursAreReported) {
  ExpectOnlyError(Load(With("mon: \"09:00-18:00\"", "mon: \"9-18\"")), 9,
                  "hours[1].weekly.mon: expected \"HH:MM-HH:MM\" or \"closed\"");
  ExpectOnlyError(
      Load(With("tue: \"09:00-18:00\"", "tue: \"18:00-09:00\"")), 10,
      "hours[1].weekly.tue: expected \"HH:MM-HH:MM\" or \"closed\" (closing after opening), "
      "got \"18:00-09:00\"");
}

TEST(ConfigLoader, R2_EveryWeekdayMustBeGiven) {
  ExpectOnlyError(Load(With("      sun: closed\n", "")), 9, "hours[1].weekly: missing key \"sun\"");
}

TEST(ConfigLoader, R2_WeeklyIsEither247OrAMapping) {
  ExpectOnlyError(Load(With("weekly: \"24/7\"", "weekly: always")), 6,
                  "hours[0].weekly: expected \"24/7\" or a mapping of mon..sun");
}

TEST(ConfigLoader, R2_HoursClosedEveryDayAreReported) {
  std::string text = kValid;
  for (const char* day : {"mon", "tue", "wed", "thu"}) {
    text = With(std::string(day) + ": \"09:00-18:00\"", std::string(day) + ": closed", text);
  }
  text = With("fri: \"09:00-17:00\"", "fri: closed", text);
  ExpectOnlyError(Load(text), 9, "hours[1].weekly: every day is closed");
}

TEST(ConfigLoader, R2_UtcOffsetMustBeSignedHoursAndMinutes) {
  ExpectOnlyError(Load(With("utc_offset: \"+03:00\"", "utc_offset: \"+3\"")), 17,
                  "centres[0].utc_offset: expected a UTC offset like \"+03:00\", got \"+3\"");
}

TEST(ConfigLoader, R2_HolidayDatesAreCheckedAndParsed) {
  const std::string holidays =
      "holidays:\n"
      "  dates: [\"2026-01-01\", \"2026-02-30\", \"2026-01-01\"]\n"
      "  working_days: [\"2026-02-23\", \"2026-11-02\", \"2026-11-07\"]\n";
  const ConfigLoadResult r = Load(std::string(kValid) + holidays);
  ASSERT_EQ(r.errors.size(), 4u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].line, 29);
  EXPECT_NE(
      r.errors[0].message.find("holidays.dates[1]: expected a date YYYY-MM-DD, got \"2026-02-30\""),
      std::string::npos);
  EXPECT_NE(r.errors[1].message.find("holidays.dates[2]: 2026-01-01 is listed twice"),
            std::string::npos);
  EXPECT_EQ(r.errors[2].line, 30);
  EXPECT_NE(r.errors[2].message.find("2026-02-23 is a Monday, a working day already"),
            std::string::npos);
  EXPECT_NE(r.errors[3].message.find("2026-11-02 is a Monday"), std::string::npos);
  using namespace std::chrono;
  EXPECT_TRUE(r.config.holidays.working_days.contains(sys_days(year(2026) / November / 7)));
  EXPECT_TRUE(r.config.holidays.holidays.contains(sys_days(year(2026) / January / 1)));
}

TEST(ConfigLoader, HttpPortMustBeInRange) {
  const std::string http = "http: {port: 70000, threads: two}\n";
  const ConfigLoadResult r = Load(std::string(kValid) + http);
  ASSERT_EQ(r.errors.size(), 2u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].message, "http.port: expected a whole number 1..65535, got \"70000\"");
  EXPECT_EQ(r.errors[0].line, 28);
  EXPECT_EQ(r.errors[1].message, "http.threads: expected a whole number 1..256, got \"two\"");
}

TEST(ConfigLoader, HttpHardeningSettings) {
  const ConfigLoadResult ok = Load(std::string(kValid) +
                                   "http: {max_connections_per_address: 8, allowed_origins: "
                                   "[\"https://wallboard.example\", \"http://10.0.0.5:8080\"]}\n");
  ASSERT_TRUE(ok.ok()) << AllErrors(ok);
  EXPECT_EQ(ok.config.http.max_connections_per_address, 8u);
  EXPECT_EQ(ok.config.http.allowed_origins,
            (std::vector<std::string>{"https://wallboard.example", "http://10.0.0.5:8080"}));
  ExpectOnlyError(Load(std::string(kValid) + "http: {allowed_origins: [\"https://x.example/page\"]}\n"),
                  28, "http.allowed_origins[0]: expected an origin like https://gosline.example");
}

TEST(ConfigLoader, StorageDriverAndSynchronousAreChecked) {
  ExpectOnlyError(Load(std::string(kValid) + "storage: {driver: postgres}\n"), 28,
                  "storage.postgres.conninfo: required when storage.driver is postgres");
  ExpectOnlyError(Load(std::string(kValid) + "storage: {driver: mysql}\n"), 28,
                  "storage.driver: expected sqlite or postgres, got \"mysql\"");
  ExpectOnlyError(Load(std::string(kValid) + "storage: {synchronous: off}\n"), 28,
                  "storage.synchronous: expected normal or full, got \"off\"");
  const ConfigLoadResult ok =
      Load(std::string(kValid) + "storage: {synchronous: normal, path: /tmp/x.db}\n");
  ASSERT_TRUE(ok.ok()) << AllErrors(ok);
  EXPECT_EQ(ok.config.storage.synchronous, "normal");
  EXPECT_EQ(ok.config.storage.path, "/tmp/x.db");
}

// R4/R11: several nodes on one PostgreSQL; the password never in the config.
TEST(ConfigLoader, StoragePostgresNeedsAConnInfoWithoutPassword) {
  const ConfigLoadResult ok = Load(std::string(kValid) +
                                   "storage:\n  driver: postgres\n  postgres:\n"
                                   "    conninfo: host=db.internal dbname=gosline user=gosline\n"
                                   "    max_connections: 16\n");
  ASSERT_TRUE(ok.ok()) << AllErrors(ok);
  EXPECT_EQ(ok.config.storage.driver, "postgres");
  EXPECT_EQ(ok.config.storage.postgres.conninfo, "host=db.internal dbname=gosline user=gosline");
  EXPECT_EQ(ok.config.storage.postgres.max_connections, 16);
  EXPECT_EQ(ok.config.storage.postgres.password_file, "");

  ExpectOnlyError(Load(std::string(kValid) +
                       "storage: {driver: postgres, postgres: {conninfo: 'host=db password=x'}}\n"),
                  28,
                  "storage.postgres.conninfo: must not hold a password (it is logged); put it "
                  "in storage.postgres.password_file");
  ExpectOnlyError(
      Load(std::string(kValid) +
           "storage: {driver: postgres, postgres: {conninfo: 'postgresql://u:secret@db/g'}}\n"),
      28,
      "storage.postgres.conninfo: must not hold a password (it is logged); put it in "
      "storage.postgres.password_file");
  ExpectOnlyError(Load(std::string(kValid) +
                       "storage: {driver: postgres, postgres: {conninfo: host=db, "
                       "password_file: /nonexistent/gosline-pg.pass}}\n"),
                  28,
                  "storage.postgres.password_file: /nonexistent/gosline-pg.pass: No such file "
                  "or directory");
}

TEST(ConfigLoader, KnowledgeDirIsTextAndDefaultsToDataKnowledge) {
  const ConfigLoadResult plain = Load(kValid);
  ASSERT_TRUE(plain.ok()) << AllErrors(plain);
  EXPECT_EQ(plain.config.knowledge.dir, "data/knowledge");
  const ConfigLoadResult set = Load(std::string(kValid) + "knowledge: {dir: /srv/kb}\n");
  ASSERT_TRUE(set.ok()) << AllErrors(set);
  EXPECT_EQ(set.config.knowledge.dir, "/srv/kb");
  ExpectOnlyError(Load(std::string(kValid) + "knowledge: {dir: [a, b]}\n"), 28,
                  "knowledge.dir: expected text, got a list");
  ExpectOnlyError(Load(std::string(kValid) + "knowledge: {folder: kb}\n"), 28,
                  "knowledge: unknown key \"folder\"; allowed keys: dir");
}

TEST(ConfigLoader, LanguagesMustIncludeTheDefaultAndEveryNameIsInOne) {
  ExpectOnlyError(Load(With("  name: Test line\n", "  name: Test line\n  languages: [en]\n")), 3,
                  "service.default_language: \"ru\" is not in service.languages (en)");
  // A topic name in a language the line does not offer is an unknown key.
  const ConfigLoadResult german =
      Load(With("names: {ru: Регистрация}", "names: {ru: Регистрация, de: Anmeldung}"));
  ExpectOnlyError(german, 22, "topics[0].names: unknown key \"de\"; allowed keys: ru");
  EXPECT_EQ(german.errors[0].column, 30);  // characters, as an editor counts them, not bytes
  // The default language's name is required.
  const std::string english =
      With("  name: Test line\n", "  name: Test line\n  languages: [ru, en]\n");
  ExpectOnlyError(Load(With("names: {ru: Регистрация}", "names: {en: Registration}", english)), 23,
                  "topics[0].names: missing key \"ru\"");
}

TEST(ConfigLoader, UnknownKeyIsReportedWithSuggestionAndAllowedKeys) {
  const ConfigLoadResult r = Load(With("    service_code:", "    servce_code:"));
  ExpectOnlyError(
      r, 24,
      "topics[0]: unknown key \"servce_code\" (did you mean \"service_code\"?); allowed keys: "
      "id, names, agency, service_code, regional, phone_solvable");
  EXPECT_EQ(r.errors[0].column, 5);
}

TEST(ConfigLoader, UnknownSectionIsReported) {
  ExpectOnlyError(
      Load(std::string(kValid) + "holiday: {dates: []}\n"), 28,
      "unknown section \"holiday\" (did you mean \"holidays\"?); allowed sections: service,");
}

TEST(ConfigLoader, DuplicateKeyIsReported) {
  ExpectOnlyError(
      Load(With("    agency: mintsifry\n", "    agency: mintsifry\n    agency: other\n")), 24,
      "topics[0].agency: duplicate key (first given at line 23)");
}

TEST(ConfigLoader, MissingSectionAndWrongShapeAreReported) {
  ExpectOnlyError(Load(With("escalation: {hours: office, centre: federal}\n", "")), 1,
                  "missing section \"escalation\"");
  const ConfigLoadResult r =
      Load(With("agencies:\n  - {id: mintsifry, name: Минцифры}\n", "agencies: {id: mintsifry}\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].line, 18) << AllErrors(r);
  EXPECT_EQ(r.errors[0].message, "agencies: expected a list, got a mapping");
}

TEST(ConfigLoader, DuplicateIdsAreReported) {
  ExpectOnlyError(
      Load(With("  - {id: mintsifry, name: Минцифры}\n",
                "  - {id: mintsifry, name: Минцифры}\n  - {id: mintsifry, name: Again}\n")),
      20, "agencies[1].id: duplicate agency \"mintsifry\" (first defined at line 19)");
}

TEST(ConfigLoader, BrokenCrossReferencesAreReported) {
  ExpectOnlyError(
      Load(With("topic: registration, centre", "topic: registraton, centre")), 26,
      "queues[0].topic: unknown topic \"registraton\" (did you mean \"registration\"?); "
      "defined: registration");
  ExpectOnlyError(Load(With("centre: federal}\n", "centre: federl}\n")), 26,
                  "queues[0].centre: unknown centre \"federl\"");
  const ConfigLoadResult hours =
      Load(With("centre: federal}\n", "centre: federal, hours: nights}\n"));
  ExpectOnlyError(hours, 26, "queues[0].hours: unknown hours \"nights\"; defined: always, office");
  ExpectOnlyError(Load(With("    agency: mintsifry", "    agency: fns")), 23,
                  "topics[0].agency: unknown agency \"fns\"");
  ExpectOnlyError(Load(With("hours: always, utc", "hours: allways, utc")), 17,
                  "centres[0].hours: unknown hours \"allways\" (did you mean \"always\"?)");
  ExpectOnlyError(
      Load(
          std::string(kValid) +
          "regions:\n  - {code: \"16\", name: Татарстан, utc_offset: \"+03:00\", centre: kazan}\n"),
      29, "regions[0].centre: unknown centre \"kazan\"");
  ExpectOnlyError(Load(With("escalation: {hours: office", "escalation: {hours: busines")), 27,
                  "escalation.hours: unknown hours \"busines\"");
}

TEST(ConfigLoader, EveryTopicNeedsAQueue) {
  const ConfigLoadResult r =
      Load(With("queues:\n", "  - {id: taxes, names: {ru: Налоги}, agency: mintsifry}\nqueues:\n"));
  ExpectOnlyError(r, 25, "topic \"taxes\" has no queue");
}

TEST(ConfigLoader, RegionCodeAndOffsetAreChecked) {
  const std::string regions =
      "regions:\n"
      "  - {code: \"77\", name: Москва, utc_offset: \"+03:00\"}\n"
      "  - {code: \"7\", name: Bad, utc_offset: \"+03:00\"}\n"
      "  - {code: \"77\", name: Twice, utc_offset: \"+3:00\"}\n";
  const ConfigLoadResult r = Load(std::string(kValid) + regions);
  ASSERT_EQ(r.errors.size(), 3u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].line, 30);
  EXPECT_NE(r.errors[0].message.find("regions[1].code: expected a two-digit federal subject code"),
            std::string::npos);
  EXPECT_EQ(r.errors[1].line, 31);
  EXPECT_NE(r.errors[1].message.find("regions[2].code: duplicate region code \"77\""),
            std::string::npos);
  EXPECT_NE(r.errors[2].message.find("regions[2].utc_offset: expected a UTC offset"),
            std::string::npos);
}

TEST(ConfigLoader, SeveralErrorsAreAllReportedInFileOrder) {
  std::string text = With("\"88001007010\"", "\"8800x\"");
  text = With("wed: \"09:00-18:00\"", "wed: \"09:00\"", text);
  text = With("utc_offset: \"+03:00\"", "utc_offset: moscow", text);
  text = With("service_code: \"1\"", "service_code: \"12345\"", text);
  text = With("topic: registration, centre", "topic: nothing, centre", text);
  const ConfigLoadResult r = Load(text);
  ASSERT_EQ(r.errors.size(), 5u) << AllErrors(r);
  const std::vector<int> lines = {3, 11, 17, 24, 26};
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(r.errors[i].line, lines[i]) << AllErrors(r);
}

TEST(ConfigLoader, YamlSyntaxErrorGivesItsLine) {
  const ConfigLoadResult r = Load(With("    agency: mintsifry\n", "    agency: mintsifry: x\n"));
  ASSERT_EQ(r.errors.size(), 1u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].line, 23);
  EXPECT_GT(r.errors[0].column, 0);
  EXPECT_NE(r.errors[0].message.find("YAML syntax error"), std::string::npos) << AllErrors(r);

  const ConfigLoadResult unclosed = Load(With("{ru: Регистрация}", "{ru: Регистрация"));
  ASSERT_EQ(unclosed.errors.size(), 1u) << AllErrors(unclosed);
  EXPECT_GE(unclosed.errors[0].line, 22);
  EXPECT_NE(unclosed.errors[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(ConfigLoader, EmptyTextIsReported) {
  const ConfigLoadResult r = Load("# only a comment\n");
  ASSERT_EQ(r.errors.size(), 1u) << AllErrors(r);
  EXPECT_EQ(r.errors[0].ToString(),
            "test.yaml: the file is empty; expected the sections service, http, storage, knowledge, agencies, "
            "topics, hours, centres, regions, holidays, queues, escalation, ivr, routing, telephony, "
            "security, cluster, corrective_actions, citizen_api");
  const ConfigLoadResult list = Load("- service\n");
  ASSERT_EQ(list.errors.size(), 1u) << AllErrors(list);
  EXPECT_EQ(list.errors[0].line, 1);
  EXPECT_NE(list.errors[0].message.find("the file: expected a mapping with keys service,"),
            std::string::npos);
}

TEST(ConfigLoader, MissingFileIsAnErrorWithoutLine) {
  const ConfigLoadResult r = LoadConfigFile("/nonexistent/gosline.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 0);
  EXPECT_EQ(r.errors[0].ToString(), "/nonexistent/gosline.yaml: cannot open: no such file");
}

TEST(ConfigLoader, FileOnDiskIsReadAndNamedInErrors) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("gosline_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bad.yaml").string();
  {
    std::ofstream out(path);
    out << With("service_code: \"1\"", "service_code: x");
  }
  const ConfigLoadResult r = LoadConfigFile(path);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            path + ":24:19: topics[0].service_code: expected 1-4 digits, got \"x\"");
  EXPECT_EQ(LoadConfigFile(dir.string()).errors.at(0).ToString(),
            dir.string() + ": not a regular file");
  std::filesystem::remove_all(dir);
}

TEST(ConfigError, ToStringLeavesOutUnknownPositions) {
  EXPECT_EQ((ConfigError{"a.yaml", 3, 7, "m"}).ToString(), "a.yaml:3:7: m");
  EXPECT_EQ((ConfigError{"a.yaml", 3, 0, "m"}).ToString(), "a.yaml:3: m");
  EXPECT_EQ((ConfigError{"a.yaml", 0, 0, "m"}).ToString(), "a.yaml: m");
}

}  // namespace
}  // namespace gosline
