#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "config/config_values.h"
#include "config/citizen_api_config_loader.h"
#include "config/cluster_config_loader.h"
#include "config/corrective_config_loader.h"
#include "config/ivr_config_loader.h"
#include "config/postgres_password.h"
#include "config/routing_config_loader.h"
#include "config/security_config_loader.h"
#include "config/telephony_config_loader.h"
#include "config/yaml_reader.h"

namespace gosline {
namespace {

using yaml_reader::ErrorList;
using yaml_reader::ForEachItem;
using yaml_reader::IdSet;
using yaml_reader::MapReader;
using yaml_reader::Need;
namespace values = config_values;

constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 7> kWeekdayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
constexpr const char* kHoursFormat = "\"HH:MM-HH:MM\" or \"closed\"";
constexpr const char* kOffsetFormat = "a UTC offset like \"+03:00\"";
constexpr const char* kDateFormat = "a date YYYY-MM-DD";

// Sections are read in dependency order (hours before the centres that use
// them, ...) whatever their order in the file, so every reference is checked
// against a complete list; the errors are sorted by line at the end.
class Loader {
 public:
  explicit Loader(ErrorList& errors) : errors_(errors) {}

  Config Load(const YAML::Node& root) {
    const std::vector<std::string> sections = {"service",  "http",   "storage",   "knowledge", "agencies",
                                               "topics",   "hours",  "centres",   "regions",
                                               "holidays", "queues", "escalation", "ivr",
                                               "routing",  "telephony", "security", "cluster",
                                               "corrective_actions", "citizen_api"};
    if (root.IsNull()) {
      errors_.AddForFile("the file is empty; expected the sections " +
                         yaml_reader::JoinList(sections));
      return std::move(config_);
    }
    MapReader top(errors_, root, "", sections);
    if (!top.is_map()) return std::move(config_);
    if (auto n = top.Get("service", Need::kRequired)) Service(*n);
    if (auto n = top.Get("http")) Http(*n);
    if (auto n = top.Get("storage")) Storage(*n);
    if (auto n = top.Get("knowledge")) Knowledge(*n);
    if (auto n = top.Get("agencies", Need::kRequired)) Agencies(*n);
    if (auto n = top.Get("hours", Need::kRequired)) Hours(*n);
    if (auto n = top.Get("centres", Need::kRequired)) Centres(*n);
    if (auto n = top.Get("topics", Need::kRequired)) Topics(*n);
    if (auto n = top.Get("regions")) Regions(*n);
    if (auto n = top.Get("holidays")) Holidays(*n);
    if (auto n = top.Get("queues", Need::kRequired)) Queues(*n);
    if (auto n = top.Get("escalation", Need::kRequired)) Escalation(*n);
    if (auto n = top.Get("ivr")) ParseIvrSection(*n, config_, errors_);  // after what it refers to
    if (auto n = top.Get("routing")) ParseRoutingSection(*n, config_, errors_);  // likewise
    if (auto n = top.Get("telephony")) ParseTelephonySection(*n, config_, errors_);
    if (auto n = top.Get("security")) ParseSecuritySection(*n, config_, errors_);
    if (auto n = top.Get("cluster")) ParseClusterSection(*n, config_, errors_);
    if (auto n = top.Get("corrective_actions")) ParseCorrectiveSection(*n, config_, errors_);  // R13
    if (auto n = top.Get("citizen_api")) ParseCitizenApiSection(*n, config_, errors_);
    EveryTopicHasAQueue();
    return std::move(config_);
  }

 private:
  // A list that must have at least one element; reports an empty one.
  void NonEmptyList(const YAML::Node& node, const std::string& path, const std::string& what,
                    const std::function<void(const YAML::Node&, const std::string&)>& each) {
    if (node.IsSequence() && node.size() == 0) {
      errors_.Add(node, path + ": expected at least one " + what);
      return;
    }
    ForEachItem(errors_, node, path, each);
  }

  void Service(const YAML::Node& node) {
    MapReader m(errors_, node, "service", {"name", "numbers", "default_language", "languages"});
    ServiceConfig& s = config_.service;
    m.Text("name", s.name, Need::kRequired);
    if (auto numbers = m.Get("numbers", Need::kRequired)) {
      IdSet seen(errors_, "number");
      NonEmptyList(*numbers, "service.numbers", "dialled number (R1)",
                   [&](const YAML::Node& n, const std::string& path) {
                     auto number = yaml_reader::ReadFormatted<std::string>(
                         errors_, n, path,
                         [](const std::string& t) -> std::optional<std::string> {
                           if (!values::IsDialledNumber(t)) return std::nullopt;
                           return t;
                         },
                         "digits or '+' and digits (2-15 digits)");
                     if (number && seen.Define(*number, n, path)) s.numbers.push_back(*number);
                   });
    }
    std::optional<YAML::Node> languages = m.Get("languages");
    if (languages) {
      s.languages.clear();
      IdSet seen(errors_, "language");
      NonEmptyList(*languages, "service.languages", "language",
                   [&](const YAML::Node& n, const std::string& path) {
                     auto code = yaml_reader::ReadFormatted<std::string>(
                         errors_, n, path,
                         [](const std::string& t) -> std::optional<std::string> {
                           if (!values::IsLanguageCode(t)) return std::nullopt;
                           return t;
                         },
                         "a two-letter language code like \"ru\"");
                     if (code && seen.Define(*code, n, path)) s.languages.push_back(*code);
                   });
    }
    std::optional<YAML::Node> default_language = m.Get("default_language");
    if (default_language) m.Text("default_language", s.default_language, Need::kOptional);
    if (std::find(s.languages.begin(), s.languages.end(), s.default_language) ==
        s.languages.end()) {
      const YAML::Node& at = default_language ? *default_language : languages ? *languages : node;
      errors_.Add(at, "service.default_language: \"" + s.default_language +
                          "\" is not in service.languages (" + yaml_reader::JoinList(s.languages) +
                          ")");
    }
  }

  void Http(const YAML::Node& node) {
    MapReader m(errors_, node, "http",
                {"listen", "port", "threads", "max_body_bytes", "read_timeout_ms",
                 "idle_timeout_ms", "max_connections", "max_connections_per_address",
                 "allowed_origins", "tls"});
    HttpConfig& h = config_.http;
    m.Text("listen", h.listen, Need::kOptional);
    m.Integer("port", h.port, 1, 65535, Need::kOptional);
    m.Integer("threads", h.threads, 1, 256, Need::kOptional);
    m.Integer("max_body_bytes", h.max_body_bytes, 1, 1LL << 30, Need::kOptional);
    m.Integer("read_timeout_ms", h.read_timeout_ms, 1, 3'600'000, Need::kOptional);
    m.Integer("idle_timeout_ms", h.idle_timeout_ms, 1, 86'400'000, Need::kOptional);
    m.Integer("max_connections", h.max_connections, 1, 1'000'000, Need::kOptional);
    m.Integer("max_connections_per_address", h.max_connections_per_address, 1, 1'000'000,
              Need::kOptional);
    if (auto origins = m.Get("allowed_origins")) {
      ForEachItem(errors_, *origins, "http.allowed_origins",
                  [&](const YAML::Node& n, const std::string& path) {
                    auto origin = yaml_reader::ReadFormatted<std::string>(
                        errors_, n, path,
                        [](const std::string& v) -> std::optional<std::string> {
                          const bool scheme = v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0;
                          const size_t host = v.find("://") + 3;
                          if (!scheme || v.size() <= host ||
                              v.find_first_of("/?# ", host) != std::string::npos) {
                            return std::nullopt;
                          }
                          return v;
                        },
                        "an origin like https://gosline.example (scheme, host, optional port)");
                    if (origin) h.allowed_origins.push_back(*origin);
                  });
    }
    if (auto tls = m.Get("tls")) HttpTls(*tls);
  }

  void HttpTls(const YAML::Node& node) {
    MapReader m(errors_, node, "http.tls",
                {"enabled", "listen", "port", "cert_file", "key_file", "min_version"});
    HttpTlsConfig& t = config_.http.tls;
    m.Bool("enabled", t.enabled, Need::kOptional);
    m.Text("listen", t.listen, Need::kOptional);
    m.Integer("port", t.port, 0, 65535, Need::kOptional);
    m.Text("cert_file", t.cert_file, Need::kOptional);
    m.Text("key_file", t.key_file, Need::kOptional);
    m.Formatted<std::string>(
        "min_version", t.min_version, Need::kOptional,
        [](const std::string& v) -> std::optional<std::string> {
          if (v != "1.2" && v != "1.3") return std::nullopt;
          return v;
        },
        "1.2 or 1.3");
  }

  void Storage(const YAML::Node& node) {
    MapReader m(errors_, node, "storage", {"driver", "path", "synchronous", "postgres"});
    StorageConfig& s = config_.storage;
    m.Formatted<std::string>(
        "driver", s.driver, Need::kOptional,
        [](const std::string& t) -> std::optional<std::string> {
          if (t != "sqlite" && t != "postgres") return std::nullopt;
          return t;
        },
        "sqlite or postgres");
    m.Text("path", s.path, Need::kOptional);
    m.Formatted<std::string>(
        "synchronous", s.synchronous, Need::kOptional,
        [](const std::string& t) -> std::optional<std::string> {
          if (t != "normal" && t != "full") return std::nullopt;
          return t;
        },
        "normal or full");
    const std::optional<YAML::Node> postgres = m.Get("postgres");
    if (postgres) StoragePostgres(*postgres);
    if (s.driver == "postgres" && s.postgres.conninfo.empty()) {
      errors_.Add(postgres ? *postgres : node,
                  "storage.postgres.conninfo: required when storage.driver is postgres");
    }
  }

  void StoragePostgres(const YAML::Node& node) {
    MapReader m(errors_, node, "storage.postgres",
                {"conninfo", "password_file", "max_connections"});
    PostgresStorageConfig& p = config_.storage.postgres;
    if (m.Text("conninfo", p.conninfo, Need::kOptional) && ConnInfoHasPassword(p.conninfo)) {
      errors_.Add(*m.Get("conninfo"),
                  "storage.postgres.conninfo: must not hold a password (it is logged); "
                  "put it in storage.postgres.password_file");
    }
    if (m.Text("password_file", p.password_file, Need::kOptional) && !p.password_file.empty()) {
      Result<std::string> password = ReadPostgresPassword(p.password_file);
      if (!password.ok()) {
        errors_.Add(*m.Get("password_file"),
                    "storage.postgres.password_file: " + password.status().message());
      }
    }
    m.Integer("max_connections", p.max_connections, 1, 1000, Need::kOptional);
  }

  void Knowledge(const YAML::Node& node) {
    MapReader m(errors_, node, "knowledge", {"dir"});
    m.Text("dir", config_.knowledge.dir, Need::kOptional);
  }

  void Agencies(const YAML::Node& node) {
    NonEmptyList(node, "agencies", "agency", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"id", "name"});
      Agency a;
      if (m.Id("id", a.id, Need::kRequired)) agency_ids_.Define(a.id, *m.Get("id"), m.PathOf("id"));
      m.Text("name", a.name, Need::kRequired);
      if (m.is_map()) config_.agencies.push_back(std::move(a));
    });
  }

  void Hours(const YAML::Node& node) {
    NonEmptyList(node, "hours", "hours entry", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"id", "weekly", "open_on_holidays"});
      HoursSpec h;
      if (m.Id("id", h.id, Need::kRequired)) hours_ids_.Define(h.id, *m.Get("id"), m.PathOf("id"));
      if (auto weekly = m.Get("weekly", Need::kRequired)) {
        const bool all_day = weekly->IsScalar() && weekly->Scalar() == "24/7";
        h.open_on_holidays = all_day;  // a 24/7 line stays open on holidays unless told otherwise
        if (all_day) {
          h.weekly = WeeklyHours::AllDay();
        } else {
          h.weekly = Weekly(*weekly, m.PathOf("weekly"));
        }
      }
      m.Bool("open_on_holidays", h.open_on_holidays, Need::kOptional);
      if (m.is_map()) config_.hours.push_back(std::move(h));
    });
  }

  WeeklyHours Weekly(const YAML::Node& node, const std::string& path) {
    WeeklyHours weekly;
    if (!node.IsMap()) {
      errors_.Add(node, path + ": expected \"24/7\" or a mapping of mon..sun to " +
                            std::string(kHoursFormat) + ", got " + yaml_reader::Describe(node));
      return weekly;
    }
    MapReader m(errors_, node, path, {kWeekdays.begin(), kWeekdays.end()});
    bool all_read = true;
    for (size_t d = 0; d < kWeekdays.size(); ++d) {
      all_read &= m.Formatted<DailyHours>(kWeekdays[d], weekly.days[d], Need::kRequired,
                                          values::ParseDailyHours,
                                          std::string(kHoursFormat) + " (closing after opening)");
    }
    const bool all_closed = std::all_of(weekly.days.begin(), weekly.days.end(),
                                        [](const DailyHours& h) { return h.closed(); });
    if (all_read && all_closed) errors_.Add(node, path + ": every day is closed");
    return weekly;
  }

  void Centres(const YAML::Node& node) {
    NonEmptyList(node, "centres", "centre", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"id", "name", "hours", "utc_offset"});
      Centre c;
      if (m.Id("id", c.id, Need::kRequired)) centre_ids_.Define(c.id, *m.Get("id"), m.PathOf("id"));
      m.Text("name", c.name, Need::kRequired);
      if (m.Text("hours", c.hours, Need::kRequired)) {
        hours_ids_.CheckReference(c.hours, *m.Get("hours"), m.PathOf("hours"));
      }
      m.Formatted<std::chrono::minutes>("utc_offset", c.utc_offset, Need::kRequired,
                                        values::ParseUtcOffset, kOffsetFormat);
      if (m.is_map()) config_.centres.push_back(std::move(c));
    });
  }

  void Topics(const YAML::Node& node) {
    IdSet service_codes(errors_, "service code");
    NonEmptyList(node, "topics", "topic", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path,
                  {"id", "names", "agency", "service_code", "regional", "phone_solvable"});
      Topic t;
      if (m.Id("id", t.id, Need::kRequired)) topic_ids_.Define(t.id, *m.Get("id"), m.PathOf("id"));
      if (auto names = m.Get("names", Need::kRequired)) t.names = Names(*names, m.PathOf("names"));
      if (m.Text("agency", t.agency, Need::kRequired)) {
        agency_ids_.CheckReference(t.agency, *m.Get("agency"), m.PathOf("agency"));
      }
      const bool has_code = m.Formatted<std::string>(
          "service_code", t.service_code, Need::kOptional,
          [](const std::string& s) -> std::optional<std::string> {
            if (!values::IsServiceCode(s)) return std::nullopt;
            return s;
          },
          "1-4 digits");
      if (has_code)
        service_codes.Define(t.service_code, *m.Get("service_code"), m.PathOf("service_code"));
      m.Bool("regional", t.regional, Need::kOptional);
      m.Bool("phone_solvable", t.phone_solvable, Need::kOptional);
      if (m.is_map()) {
        topic_nodes_.push_back({t.id, n});
        config_.topics.push_back(std::move(t));
      }
    });
  }

  // Names by language: every key a configured language, the default one required.
  std::map<std::string, std::string> Names(const YAML::Node& node, const std::string& path) {
    std::map<std::string, std::string> names;
    // The default language is allowed even when service.languages forgot it
    // (reported there once, not again for every topic).
    std::vector<std::string> allowed = config_.service.languages;
    if (std::find(allowed.begin(), allowed.end(), config_.service.default_language) ==
        allowed.end()) {
      allowed.push_back(config_.service.default_language);
    }
    MapReader m(errors_, node, path, allowed);
    for (const std::string& language : allowed) {
      const Need need =
          language == config_.service.default_language ? Need::kRequired : Need::kOptional;
      std::string name;
      if (m.Text(language, name, need)) names[language] = name;
    }
    return names;
  }

  void Regions(const YAML::Node& node) {
    IdSet codes(errors_, "region code");
    ForEachItem(errors_, node, "regions", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"code", "name", "utc_offset", "centre"});
      Region r;
      const bool has_code = m.Formatted<std::string>(
          "code", r.code, Need::kRequired,
          [](const std::string& s) -> std::optional<std::string> {
            if (!values::IsRegionCode(s)) return std::nullopt;
            return s;
          },
          "a two-digit federal subject code like \"77\"");
      if (has_code) codes.Define(r.code, *m.Get("code"), m.PathOf("code"));
      m.Text("name", r.name, Need::kRequired);
      m.Formatted<std::chrono::minutes>("utc_offset", r.utc_offset, Need::kRequired,
                                        values::ParseUtcOffset, kOffsetFormat);
      if (m.Text("centre", r.centre, Need::kOptional)) {
        centre_ids_.CheckReference(r.centre, *m.Get("centre"), m.PathOf("centre"));
      }
      if (m.is_map()) config_.regions.push_back(std::move(r));
    });
  }

  void Holidays(const YAML::Node& node) {
    MapReader m(errors_, node, "holidays", {"dates", "working_days"});
    HolidayCalendar& cal = config_.holidays;
    if (auto dates = m.Get("dates")) {
      ForEachItem(errors_, *dates, "holidays.dates",
                  [&](const YAML::Node& n, const std::string& path) {
                    auto date = yaml_reader::ReadFormatted<std::chrono::sys_days>(
                        errors_, n, path, values::ParseDate, kDateFormat);
                    if (date && !cal.holidays.insert(*date).second) {
                      errors_.Add(n, path + ": " + n.Scalar() + " is listed twice");
                    }
                  });
    }
    if (auto days = m.Get("working_days")) {
      ForEachItem(
          errors_, *days, "holidays.working_days",
          [&](const YAML::Node& n, const std::string& path) {
            auto date = yaml_reader::ReadFormatted<std::chrono::sys_days>(
                errors_, n, path, values::ParseDate, kDateFormat);
            if (!date) return;
            const unsigned weekday = std::chrono::weekday(*date).iso_encoding();  // 1 = Monday
            if (cal.holidays.contains(*date)) {
              errors_.Add(n, path + ": " + n.Scalar() + " is also listed in holidays.dates");
            } else if (weekday <= 5) {
              errors_.Add(n,
                          path + ": " + n.Scalar() + " is a " + kWeekdayNames[weekday - 1] +
                              ", a working day already; working_days lists weekend days that work");
            } else if (!cal.working_days.insert(*date).second) {
              errors_.Add(n, path + ": " + n.Scalar() + " is listed twice");
            }
          });
    }
  }

  void Queues(const YAML::Node& node) {
    IdSet queue_ids(errors_, "queue id");
    NonEmptyList(node, "queues", "queue", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"id", "topic", "centre", "hours"});
      QueueConfig q;
      if (m.Id("id", q.id, Need::kRequired)) queue_ids.Define(q.id, *m.Get("id"), m.PathOf("id"));
      if (m.Text("topic", q.topic, Need::kRequired)) {
        if (topic_ids_.CheckReference(q.topic, *m.Get("topic"), m.PathOf("topic"))) {
          topics_with_queue_.insert(q.topic);
        } else {
          unresolved_queue_topic_ = true;
        }
      }
      if (m.Text("centre", q.centre, Need::kRequired)) {
        centre_ids_.CheckReference(q.centre, *m.Get("centre"), m.PathOf("centre"));
      }
      if (m.Text("hours", q.hours, Need::kOptional)) {
        hours_ids_.CheckReference(q.hours, *m.Get("hours"), m.PathOf("hours"));
      } else if (const Centre* c = config_.FindCentre(q.centre)) {
        q.hours = c->hours;  // consumers always see the effective hours
      }
      if (m.is_map()) config_.queues.push_back(std::move(q));
    });
  }

  void Escalation(const YAML::Node& node) {
    MapReader m(errors_, node, "escalation", {"business_days", "hours", "centre"});
    EscalationConfig& e = config_.escalation;
    m.Integer("business_days", e.business_days, 1, 30, Need::kOptional);
    if (m.Text("hours", e.hours, Need::kRequired)) {
      hours_ids_.CheckReference(e.hours, *m.Get("hours"), m.PathOf("hours"));
    }
    if (m.Text("centre", e.centre, Need::kRequired)) {
      centre_ids_.CheckReference(e.centre, *m.Get("centre"), m.PathOf("centre"));
    }
  }

  // R11: no call may be left without a route, so every topic needs a queue.
  void EveryTopicHasAQueue() {
    // An empty list or a misspelt queue topic is reported already; the fix may
    // well give the "missing" topic its queue, so don't report it twice.
    if (config_.queues.empty() || unresolved_queue_topic_) return;
    for (const auto& [id, node] : topic_nodes_) {
      if (!id.empty() && !topics_with_queue_.contains(id)) {
        errors_.Add(node, "topic \"" + id + "\" has no queue; add one under queues");
      }
    }
  }

  ErrorList& errors_;
  Config config_;
  IdSet agency_ids_{errors_, "agency"};
  IdSet hours_ids_{errors_, "hours"};
  IdSet centre_ids_{errors_, "centre"};
  IdSet topic_ids_{errors_, "topic"};
  std::vector<std::pair<std::string, YAML::Node>> topic_nodes_;
  std::set<std::string> topics_with_queue_;
  bool unresolved_queue_topic_ = false;
};

}  // namespace

std::string ConfigError::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ':'; out += std::to_string(line);
    if (column > 0) { out += ':'; out += std::to_string(column); }
  }
  return out + ": " + message;
}

ConfigLoadResult LoadConfigText(const std::string& text, const std::string& name_for_errors) {
  ErrorList errors(name_for_errors);
  ConfigLoadResult result;
  // yaml-cpp stops reading at a NUL byte and reports nothing: every section
  // after it (security, say) would be silently left out. Found by
  // fuzz/yaml_splice_fuzzer.
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const auto line = std::count(text.begin(), text.begin() + static_cast<long>(nul), '\n') + 1;
    result.config.source_path = name_for_errors;
    result.errors.push_back(ConfigError{name_for_errors, static_cast<int>(line), 0,
                                        "a NUL byte: the file is not text, and YAML readers stop there"});
    return result;
  }
  try {
    const YAML::Node root = YAML::Load(text);
    result.config = Loader(errors).Load(root);
  } catch (const YAML::Exception& e) {
    // Syntax errors (ParserException) and anything else yaml-cpp throws.
    errors.Add(e.mark, "YAML syntax error: " + e.msg);
  }
  result.config.source_path = name_for_errors;
  result.errors = errors.Take();
  for (ConfigError& e : result.errors) e.column = values::CharacterColumn(text, e.line, e.column);
  return result;
}

ConfigLoadResult LoadConfigFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    ConfigLoadResult result;
    const bool exists = std::filesystem::exists(path, ec);
    result.errors.push_back(
        ConfigError{path, 0, 0, exists ? "not a regular file" : "cannot open: no such file"});
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    ConfigLoadResult result;
    result.errors.push_back(
        ConfigError{path, 0, 0, std::string("cannot open: ") + std::strerror(errno)});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();  // an empty file leaves `text` empty, which the loader reports
  return LoadConfigText(text.str(), path);
}

}  // namespace gosline
