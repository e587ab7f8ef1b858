#include "config/corrective_config_loader.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>

namespace gosline {
namespace {

using corrective::ActionKind;
using corrective::CorrectiveAction;
using corrective::CorrectiveRule;
using corrective::Figure;
using yaml_reader::MapReader;
using yaml_reader::Need;

constexpr long long kDay = 86'400;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::optional<double> ParseNumber(const std::string& s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  return v;
}

bool IsFraction(Figure f) {
  return f == Figure::kServiceLevel15m || f == Figure::kAbandonRate15m;
}

class CorrectiveSectionReader {
 public:
  CorrectiveSectionReader(Config& config, yaml_reader::ErrorList& errors)
      : config_(config), errors_(errors) {}

  void Read(const YAML::Node& node) {
    yaml_reader::IdSet names(errors_, "corrective action");
    yaml_reader::ForEachItem(errors_, node, "corrective_actions",
                             [&](const YAML::Node& n, const std::string& path) {
                               bool enabled = true;
                               std::optional<CorrectiveRule> rule = Rule(n, path, names, enabled);
                               if (rule && enabled) config_.corrective_actions.push_back(*rule);
                             });
  }

 private:
  std::optional<CorrectiveRule> Rule(const YAML::Node& node, const std::string& path,
                                     yaml_reader::IdSet& names, bool& enabled) {
    MapReader m(errors_, node, path, {"name", "enabled", "when", "recover", "actions"});
    if (!m.is_map()) return std::nullopt;
    CorrectiveRule rule;
    bool ok = m.Id("name", rule.name, Need::kRequired);
    if (ok) ok = names.Define(rule.name, *m.Get("name"), m.PathOf("name"));
    m.Bool("enabled", enabled, Need::kOptional);
    std::optional<YAML::Node> when = m.Get("when", Need::kRequired);
    ok &= when && When(*when, m.PathOf("when"), rule);
    // Without a recover section the action ends once the trigger no longer
    // holds, after the same hold.
    rule.recover = corrective::Recovery{rule.when.threshold, rule.when.hold};
    if (std::optional<YAML::Node> recover = m.Get("recover"); recover && ok) {
      ok &= Recover(*recover, m.PathOf("recover"), rule);
    }
    std::optional<YAML::Node> actions = m.Get("actions", Need::kRequired);
    if (actions && actions->IsSequence() && actions->size() == 0) {
      errors_.Add(*actions, m.PathOf("actions") + ": expected at least one action");
      ok = false;
    } else if (actions) {
      yaml_reader::ForEachItem(errors_, *actions, m.PathOf("actions"),
                               [&](const YAML::Node& a, const std::string& p) {
                                 std::optional<CorrectiveAction> act = Action(a, p);
                                 if (act) {
                                   rule.actions.push_back(*act);
                                 } else {
                                   ok = false;
                                 }
                               });
    }
    if (!ok) return std::nullopt;
    if (Status st = corrective::ValidateRule(rule); !st.ok()) {
      errors_.Add(node, path + ": " + st.message());
      return std::nullopt;
    }
    return rule;
  }

  bool Threshold(MapReader& m, const std::string& key, double& out, Figure figure) {
    if (!m.Formatted<double>(key, out, Need::kOptional, ParseNumber, "a number of 0 or more")) {
      return false;
    }
    if (IsFraction(figure) && out > 1) {
      errors_.Add(*m.Get(key), m.PathOf(key) + ": " + std::string(corrective::ToString(figure)) +
                                   " is a share from 0 to 1 (0.8 = 80 %), got " + m.Get(key)->Scalar());
      return false;
    }
    return true;
  }

  bool When(const YAML::Node& node, const std::string& path, CorrectiveRule& rule) {
    MapReader m(errors_, node, path, {"figure", "queue", "above", "below", "for_seconds"});
    if (!m.is_map()) return false;
    bool ok = m.Formatted<Figure>(
        "figure", rule.when.figure, Need::kRequired,
        [](const std::string& s) { return corrective::FigureFromString(s); },
        "one of " + yaml_reader::JoinList(corrective::FigureNames()));
    if (m.Text("queue", rule.when.queue, Need::kOptional) &&
        config_.FindQueue(rule.when.queue) == nullptr) {
      errors_.Add(*m.Get("queue"), m.PathOf("queue") + ": unknown queue " + Quote(rule.when.queue));
      ok = false;
    }
    const bool above = m.Get("above").has_value(), below = m.Get("below").has_value();
    if (above == below) {
      errors_.Add(node, path + ": expected exactly one of above and below (the threshold)");
      return false;
    }
    rule.when.above = above;
    ok &= ok && Threshold(m, above ? "above" : "below", rule.when.threshold, rule.when.figure);
    long long s = 0;
    if (m.Integer("for_seconds", s, 0, kDay, Need::kOptional)) rule.when.hold = std::chrono::seconds(s);
    return ok;
  }

  bool Recover(const YAML::Node& node, const std::string& path, CorrectiveRule& rule) {
    MapReader m(errors_, node, path, {"threshold", "for_seconds"});
    if (!m.is_map()) return false;
    bool ok = true;
    if (m.Get("threshold")) {
      ok = Threshold(m, "threshold", rule.recover.threshold, rule.when.figure);
      const double v = rule.recover.threshold, t = rule.when.threshold;
      if (ok && (rule.when.above ? v > t : v < t)) {
        errors_.Add(*m.Get("threshold"),
                    m.PathOf("threshold") + ": must be " + (rule.when.above ? "at or below" : "at or above") +
                        " the trigger's " + (rule.when.above ? "above" : "below") + " (" +
                        m.Get("threshold")->Scalar() +
                        " is on the alarming side, so the action would never end)");
        ok = false;
      }
    }
    long long s = 0;
    if (m.Integer("for_seconds", s, 0, kDay, Need::kOptional)) rule.recover.hold = std::chrono::seconds(s);
    return ok;
  }

  // A bare name ("offer_callback", "page_supervisors") or a one-key map
  // ({open_overflow: {...}}, {high_load_announcement: {prompt: ...}}).
  std::optional<CorrectiveAction> Action(const YAML::Node& node, const std::string& path) {
    const std::string kinds =
        "offer_callback, open_overflow, high_load_announcement, page_supervisors";
    CorrectiveAction a;
    YAML::Node args;
    std::string name;
    if (node.IsScalar()) {
      name = node.Scalar();
    } else if (node.IsMap() && node.size() == 1) {
      name = node.begin()->first.as<std::string>("");
      args = node.begin()->second;
    } else {
      errors_.Add(node, path + ": expected an action: " + kinds);
      return std::nullopt;
    }
    const std::string at = path + "." + name;
    if (name == "offer_callback" || name == "page_supervisors") {
      a.kind = name == "offer_callback" ? ActionKind::kOfferCallback : ActionKind::kPageSupervisors;
      if (args.IsDefined() && !args.IsNull() && !(args.IsMap() && args.size() == 0)) {
        errors_.Add(args, at + ": takes no settings");
        return std::nullopt;
      }
      return a;
    }
    if (name == "high_load_announcement") {
      a.kind = ActionKind::kHighLoadAnnouncement;
      MapReader m(errors_, args, at, {"prompt"});
      if (!m.is_map() || !m.Id("prompt", a.prompt, Need::kRequired)) return std::nullopt;
      const auto& model = config_.ivr.model;
      if (model == nullptr || model->prompts.count(a.prompt) == 0) {
        errors_.Add(*m.Get("prompt"), m.PathOf("prompt") + ": unknown prompt " + Quote(a.prompt) +
                                          " (define it under ivr.prompts)");
        return std::nullopt;
      }
      return a;
    }
    if (name == "open_overflow") {
      a.kind = ActionKind::kOpenOverflow;
      MapReader m(errors_, args, at, {"from_queue", "to_queue", "to_centre"});
      if (!m.is_map()) return std::nullopt;
      bool ok = m.Text("from_queue", a.from_queue, Need::kRequired);
      const QueueConfig* from = ok ? config_.FindQueue(a.from_queue) : nullptr;
      if (ok && from == nullptr) {
        errors_.Add(*m.Get("from_queue"), m.PathOf("from_queue") + ": unknown queue " + Quote(a.from_queue));
        ok = false;
      }
      if (m.Get("to_queue").has_value() == m.Get("to_centre").has_value()) {
        errors_.Add(args, at + ": expected exactly one target: to_queue, to_centre");
        return std::nullopt;
      }
      if (m.Text("to_queue", a.to_queue, Need::kOptional)) {
        if (config_.FindQueue(a.to_queue) == nullptr) {
          errors_.Add(*m.Get("to_queue"), m.PathOf("to_queue") + ": unknown queue " + Quote(a.to_queue));
          ok = false;
        } else if (a.to_queue == a.from_queue) {
          errors_.Add(*m.Get("to_queue"), m.PathOf("to_queue") + ": a queue cannot overflow to itself");
          ok = false;
        }
      } else if (m.Text("to_centre", a.to_centre, Need::kOptional)) {
        if (config_.FindCentre(a.to_centre) == nullptr) {
          errors_.Add(*m.Get("to_centre"), m.PathOf("to_centre") + ": unknown centre " + Quote(a.to_centre));
          ok = false;
        } else if (from != nullptr && !HasQueue(from->topic, a.to_centre, from->id)) {
          errors_.Add(*m.Get("to_centre"), m.PathOf("to_centre") + ": centre " + Quote(a.to_centre) +
                                               " has no other queue for topic " + Quote(from->topic));
          ok = false;
        }
      } else {
        ok = false;
      }
      if (!ok) return std::nullopt;
      return a;
    }
    errors_.Add(node, path + ": unknown action " + Quote(name) + "; expected one of " + kinds);
    return std::nullopt;
  }

  bool HasQueue(const std::string& topic, const std::string& centre, const std::string& not_id) const {
    for (const QueueConfig& q : config_.queues) {
      if (q.topic == topic && q.centre == centre && q.id != not_id) return true;
    }
    return false;
  }

  Config& config_;
  yaml_reader::ErrorList& errors_;
};

}  // namespace

void ParseCorrectiveSection(const YAML::Node& node, Config& config, yaml_reader::ErrorList& errors) {
  CorrectiveSectionReader(config, errors).Read(node);
}

}  // namespace gosline
