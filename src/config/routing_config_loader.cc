#include "config/routing_config_loader.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "config/config_values.h"

namespace gosline {
namespace {

using routing::OverflowRule;
using routing::OverflowTarget;
using yaml_reader::ErrorList;
using yaml_reader::ForEachItem;
using yaml_reader::IdSet;
using yaml_reader::MapReader;
using yaml_reader::Need;
namespace values = config_values;

constexpr long long kDay = 86'400;
const char* const kConditionKeys = "after_seconds, estimated_wait_above_seconds, length_above";
const char* const kTargetKeys = "to_queue, to_centre, to_region";

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

class RoutingSectionReader {
 public:
  RoutingSectionReader(Config& config, ErrorList& errors) : config_(config), errors_(errors) {
    for (const Centre& c : config.centres) centre_ids_.push_back(c.id);
    for (const Topic& t : config.topics) topic_ids_.push_back(t.id);
    for (const QueueConfig& q : config.queues) queue_ids_.push_back(q.id);
  }

  void Read(const YAML::Node& node) {
    MapReader m(errors_, node, "routing",
                {"wrap_up_seconds", "no_answer_seconds", "open_case_priority_weight_seconds",
                 "aging_promote_after_seconds", "default_handle_seconds", "federal_centre",
                 "numbering", "operators", "overflow", "announce_every_seconds"});
    if (!m.is_map()) return;
    routing::RoutingSettings& s = out_.settings;
    Seconds(m, "wrap_up_seconds", s.wrap_up, 0, 3600);
    Seconds(m, "no_answer_seconds", s.no_answer, 1, 600);
    Seconds(m, "open_case_priority_weight_seconds", s.open_case_weight, 0, kDay);
    Seconds(m, "aging_promote_after_seconds", s.promote_after, 0, kDay);
    Seconds(m, "default_handle_seconds", s.default_handle_time, 1, kDay);
    Seconds(m, "announce_every_seconds", config_.centre.announce_every, 5, 3600);
    if (m.Id("federal_centre", s.federal_centre, Need::kOptional)) {
      Reference(centre_ids_, "centre", s.federal_centre, *m.Get("federal_centre"),
                m.PathOf("federal_centre"));
    } else if (!Contains(centre_ids_, s.federal_centre) && !centre_ids_.empty()) {
      errors_.Add(node, "routing: there is no centre \"" + s.federal_centre +
                            "\"; name the centre of last resort with federal_centre");
    }
    if (auto n = m.Get("numbering")) Numbering(*n);
    if (auto n = m.Get("operators")) Operators(*n);
    if (auto n = m.Get("overflow")) Overflow(*n);
    config_.routing = std::move(out_);
  }

 private:
  static bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  void Seconds(MapReader& m, const std::string& key, Duration& out, long long min, long long max) {
    long long seconds = 0;
    if (m.Integer(key, seconds, min, max, Need::kOptional)) out = std::chrono::seconds(seconds);
  }

  // Reports `path: unknown <what> "id"` (with a did-you-mean) unless defined.
  bool Reference(const std::vector<std::string>& ids, const std::string& what, const std::string& id,
                 const YAML::Node& at, const std::string& path) {
    if (Contains(ids, id)) return true;
    std::string message = path + ": unknown " + what + " " + Quote(id);
    const std::string match = values::ClosestMatch(id, ids);
    if (!match.empty()) message += " (did you mean " + Quote(match) + "?)";
    message += ids.empty() ? "; none are defined" : "; defined: " + yaml_reader::JoinList(ids);
    errors_.Add(at, message);
    return false;
  }

  // The queue for `topic` at `centre`, as the routing core resolves it.
  const QueueConfig* QueueAt(const std::string& topic, const std::string& centre) const {
    for (const QueueConfig& q : config_.queues) {
      if (q.topic == topic && q.centre == centre) return &q;
    }
    return nullptr;
  }

  std::string CentreOfRegion(const std::string& code) const {
    const Region* r = config_.FindRegion(code);
    return r != nullptr && !r->centre.empty() ? r->centre : out_.settings.federal_centre;
  }

  void Numbering(const YAML::Node& node) {
    MapReader m(errors_, node, "routing.numbering", {"ranges_csv", "region_names"});
    m.Text("ranges_csv", out_.numbering_csv, Need::kOptional);
    std::optional<YAML::Node> names = m.Get("region_names");
    if (!names) return;
    const std::string path = m.PathOf("region_names");
    if (!names->IsMap()) {
      errors_.Add(*names, path + ": expected a mapping of register region names to codes, got " +
                              yaml_reader::Describe(*names));
      return;
    }
    std::set<std::string> seen;
    for (const auto& entry : *names) {
      const YAML::Node key = entry.first;
      const YAML::Node value = entry.second;
      if (!key.IsScalar() || key.Scalar().empty()) {
        errors_.Add(key, path + ": expected a region name, got " + yaml_reader::Describe(key));
        continue;
      }
      const std::string& name = key.Scalar();
      auto code = yaml_reader::ReadFormatted<std::string>(
          errors_, value, path + "." + name,
          [](const std::string& s) -> std::optional<std::string> {
            if (!values::IsRegionCode(s)) return std::nullopt;
            return s;
          },
          "a two-digit federal subject code like \"77\"");
      if (!seen.insert(name).second) {
        errors_.Add(key, path + ": " + Quote(name) + " is given twice");
        continue;
      }
      if (code) out_.numbering_region_names.emplace_back(name, *code);
    }
  }

  void Operators(const YAML::Node& node) {
    IdSet ids(errors_, "operator");
    ForEachItem(errors_, node, "routing.operators", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path,
                  {"id", "name", "centre", "languages", "skills", "regions", "contact", "sip_user",
                   "srtp"});
      routing::OperatorProfile op;
      if (m.Id("id", op.id, Need::kRequired)) ids.Define(op.id, *m.Get("id"), m.PathOf("id"));
      m.Text("name", op.name, Need::kOptional);
      bool centre_ok = false;
      if (m.Text("centre", op.centre, Need::kRequired)) {
        centre_ok = Reference(centre_ids_, "centre", op.centre, *m.Get("centre"), m.PathOf("centre"));
      }
      if (auto langs = m.Get("languages", Need::kRequired)) Languages(*langs, m.PathOf("languages"), op);
      if (auto skills = m.Get("skills", Need::kRequired)) {
        Skills(*skills, m.PathOf("skills"), op, centre_ok);
      }
      if (auto regions = m.Get("regions")) {
        IdSet seen(errors_, "region");
        ForEachItem(errors_, *regions, m.PathOf("regions"), [&](const YAML::Node& r, const std::string& p) {
          auto code = yaml_reader::ReadFormatted<std::string>(
              errors_, r, p,
              [](const std::string& s) -> std::optional<std::string> {
                if (!values::IsRegionCode(s)) return std::nullopt;
                return s;
              },
              "a two-digit federal subject code like \"16\"");
          if (code && seen.Define(*code, r, p)) op.regions.push_back(*code);
        });
      }
      Phone(m, op.id);
      if (m.is_map()) out_.operators.push_back(std::move(op));
    });
  }

  // The operator's phone: a static SIP URI and/or a registration user.
  void Phone(MapReader& m, const std::string& id) {
    OperatorPhone phone;
    if (m.Text("contact", phone.contact, Need::kOptional)) {
      const std::string& c = phone.contact;
      if (c.rfind("sip:", 0) != 0 || c.size() < 5 || c.find_first_of(" \t\r\n<>\"") != std::string::npos) {
        errors_.Add(*m.Get("contact"), m.PathOf("contact") + ": expected a SIP URI like " +
                                           Quote("sip:" + id + "@127.0.0.1:5090") + ", got " + Quote(c));
        phone.contact.clear();
      }
    }
    m.Id("sip_user", phone.sip_user, Need::kOptional);
    m.Formatted<std::string>(
        "srtp", phone.srtp, Need::kOptional,
        [](const std::string& s) -> std::optional<std::string> {
          if (s != "off" && s != "offer" && s != "required") return std::nullopt;
          return s;
        },
        "off, offer or required (encrypted audio to this operator's phone, R22)");
    if (!id.empty() && (!phone.contact.empty() || !phone.sip_user.empty() || !phone.srtp.empty())) {
      config_.centre.phones[id] = std::move(phone);
    }
  }

  void Languages(const YAML::Node& node, const std::string& path, routing::OperatorProfile& op) {
    if (node.IsSequence() && node.size() == 0) {
      errors_.Add(node, path + ": expected at least one language");
      return;
    }
    IdSet seen(errors_, "language");
    ForEachItem(errors_, node, path, [&](const YAML::Node& n, const std::string& p) {
      auto code = yaml_reader::ReadText(errors_, n, p);
      if (!code || !Reference(config_.service.languages, "language", *code, n, p)) return;
      if (seen.Define(*code, n, p)) op.languages.push_back(*code);
    });
  }

  // topic: level, each topic with a queue at the operator's centre (else the
  // skill could never be used: a likely mistake).
  void Skills(const YAML::Node& node, const std::string& path, routing::OperatorProfile& op,
              bool centre_ok) {
    MapReader m(errors_, node, path, topic_ids_);
    if (!m.is_map()) return;
    if (node.size() == 0) errors_.Add(node, path + ": expected at least one topic: level");
    for (const std::string& topic : topic_ids_) {
      int level = 0;
      if (!m.Integer(topic, level, 1, 10, Need::kOptional)) continue;
      op.skills[topic] = level;
      if (centre_ok && QueueAt(topic, op.centre) == nullptr) {
        errors_.Add(*m.Get(topic), m.PathOf(topic) + ": centre " + Quote(op.centre) +
                                       " has no queue for topic " + Quote(topic) +
                                       "; add one under queues or move the operator");
      }
    }
  }

  void Overflow(const YAML::Node& node) {
    IdSet queues(errors_, "overflow queue");
    ForEachItem(errors_, node, "routing.overflow", [&](const YAML::Node& n, const std::string& path) {
      MapReader m(errors_, n, path, {"queue", "rules"});
      routing::QueueOverflow o;
      const QueueConfig* queue = nullptr;
      if (m.Text("queue", o.queue, Need::kRequired) &&
          Reference(queue_ids_, "queue", o.queue, *m.Get("queue"), m.PathOf("queue"))) {
        queues.Define(o.queue, *m.Get("queue"), m.PathOf("queue"));
        queue = config_.FindQueue(o.queue);
      }
      if (auto rules = m.Get("rules", Need::kRequired)) {
        const std::string rules_path = m.PathOf("rules");
        if (rules->IsSequence() && rules->size() == 0) {
          errors_.Add(*rules, rules_path + ": expected at least one rule");
        } else if (rules->IsSequence() && rules->size() > routing::kMaxRulesPerQueue) {
          errors_.Add(*rules, rules_path + ": at most " + std::to_string(routing::kMaxRulesPerQueue) +
                                  " rules per queue");
        } else {
          ForEachItem(errors_, *rules, rules_path, [&](const YAML::Node& r, const std::string& p) {
            if (auto rule = Rule(r, p, queue)) o.rules.push_back(std::move(*rule));
          });
        }
      }
      if (m.is_map()) out_.overflow.push_back(std::move(o));
    });
  }

  // One rule; `queue` is null when the rule's queue is unknown (reported).
  std::optional<OverflowRule> Rule(const YAML::Node& node, const std::string& path,
                                   const QueueConfig* queue) {
    MapReader m(errors_, node, path,
                {"after_seconds", "estimated_wait_above_seconds", "length_above", "to_queue",
                 "to_centre", "to_region"});
    if (!m.is_map()) return std::nullopt;
    OverflowRule rule;
    long long v = 0;
    if (m.Integer("after_seconds", v, 0, kDay, Need::kOptional)) rule.after = std::chrono::seconds(v);
    if (m.Integer("estimated_wait_above_seconds", v, 0, kDay, Need::kOptional)) {
      rule.wait_above = std::chrono::seconds(v);
    }
    if (m.Integer("length_above", v, 0, 1'000'000, Need::kOptional)) rule.length_above = size_t(v);
    bool ok = true;
    if (!m.Get("after_seconds") && !m.Get("estimated_wait_above_seconds") && !m.Get("length_above")) {
      errors_.Add(node, path + ": expected a condition: one or more of " + std::string(kConditionKeys));
      ok = false;
    }
    const int targets = int(m.Get("to_queue").has_value()) + int(m.Get("to_centre").has_value()) +
                        int(m.Get("to_region").has_value());
    if (targets != 1) {
      errors_.Add(node, path + ": expected exactly one target: " + std::string(kTargetKeys));
      return std::nullopt;
    }
    std::string centre;  // the target centre, for to_centre and to_region
    if (m.Text("to_queue", rule.target.id, Need::kOptional)) {
      rule.target.kind = OverflowTarget::Kind::kQueue;
      const YAML::Node at = *m.Get("to_queue");
      ok &= Reference(queue_ids_, "queue", rule.target.id, at, m.PathOf("to_queue"));
      if (queue != nullptr && rule.target.id == queue->id) {
        errors_.Add(at, m.PathOf("to_queue") + ": a queue cannot overflow to itself");
        ok = false;
      }
    } else if (m.Text("to_centre", rule.target.id, Need::kOptional)) {
      rule.target.kind = OverflowTarget::Kind::kCentre;
      ok &= Reference(centre_ids_, "centre", rule.target.id, *m.Get("to_centre"), m.PathOf("to_centre"));
      centre = rule.target.id;
    } else if (m.Formatted<std::string>(
                   "to_region", rule.target.id, Need::kOptional,
                   [](const std::string& s) -> std::optional<std::string> {
                     if (!values::IsRegionCode(s)) return std::nullopt;
                     return s;
                   },
                   "a two-digit federal subject code like \"54\"")) {
      rule.target.kind = OverflowTarget::Kind::kRegion;
      centre = CentreOfRegion(rule.target.id);
    } else {
      return std::nullopt;  // the target's value was wrong: reported
    }
    if (ok && queue != nullptr && !centre.empty()) {
      const QueueConfig* target = QueueAt(queue->topic, centre);
      const std::string key = rule.target.kind == OverflowTarget::Kind::kCentre ? "to_centre" : "to_region";
      if (target == nullptr) {
        errors_.Add(*m.Get(key), m.PathOf(key) + ": centre " + Quote(centre) + " has no queue for topic " +
                                     Quote(queue->topic) + " (the topic of " + Quote(queue->id) + ")");
        ok = false;
      } else if (target == queue) {
        errors_.Add(*m.Get(key), m.PathOf(key) + ": that is the queue itself (" + Quote(queue->id) + ")");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return rule;
  }

  Config& config_;
  ErrorList& errors_;
  routing::RoutingConfig out_;
  std::vector<std::string> centre_ids_;
  std::vector<std::string> topic_ids_;
  std::vector<std::string> queue_ids_;
};

}  // namespace

void ParseRoutingSection(const YAML::Node& node, Config& config, ErrorList& errors) {
  RoutingSectionReader(config, errors).Read(node);
}

routing::RoutingTopology RoutingTopologyOf(const Config& config) {
  routing::RoutingTopology t;
  t.languages = config.service.languages;
  for (const Topic& topic : config.topics) t.topics.push_back({topic.id, topic.regional});
  for (const QueueConfig& q : config.queues) t.queues.push_back({q.id, q.topic, q.centre});
  for (const Centre& c : config.centres) t.centres.push_back(c.id);
  for (const Region& r : config.regions) t.region_centres[r.code] = r.centre;
  return t;
}

}  // namespace gosline
