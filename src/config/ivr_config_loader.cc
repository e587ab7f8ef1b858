#include "config/ivr_config_loader.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config_values.h"
#include "core/ivr/ivr_prompts.h"
#include "core/ivr/ivr_validate.h"
#include "core/speech/spoken_phrases.h"

namespace gosline {
namespace {

using yaml_reader::Describe;
using yaml_reader::ErrorList;
using yaml_reader::ForEachItem;
using yaml_reader::JoinList;
using yaml_reader::MapReader;
using yaml_reader::Need;
namespace values = config_values;

constexpr long long kMaxTimeoutMs = 120'000;
const char* const kAnswerPrefix = "answer/";

const std::vector<std::string> kNodeTypes = {
    "play",  "menu",        "collect_digits", "service_code",    "case_status",
    "typical_answer", "hours_check", "queue", "language_select", "hangup", "listen"};

// Keys every node may have, then the keys of each type.
const std::vector<std::string> kCommonKeys = {"id", "type", "topic"};
const std::vector<std::string> kRetryKeys = {"retries", "invalid_prompt", "no_input_prompt",
                                             "on_fail"};
const std::vector<std::string> kEntryKeys = {"min_digits", "max_digits", "terminator",
                                             "first_digit_timeout_ms", "inter_digit_timeout_ms"};

std::vector<std::string> KeysFor(const std::string& type) {
  std::vector<std::string> keys = kCommonKeys;
  auto add = [&keys](const std::vector<std::string>& more) {
    keys.insert(keys.end(), more.begin(), more.end());
  };
  if (type == "play") add({"prompts", "barge_in", "next"});
  if (type == "menu") add({"prompts", "options", "timeout_ms"}), add(kRetryKeys);
  if (type == "collect_digits") add({"prompts", "variable", "next"}), add(kEntryKeys), add(kRetryKeys);
  if (type == "service_code") add({"prompts", "targets"}), add(kEntryKeys), add(kRetryKeys);
  if (type == "case_status") {
    add({"prompts", "not_found_prompt", "unavailable_prompt", "status_prompt", "lookup_timeout_ms",
         "phone_prompts", "max_lookups_per_call", "next"});
    add(kEntryKeys);
    add(kRetryKeys);
  }
  if (type == "typical_answer") add({"answer", "barge_in", "next"});
  if (type == "hours_check") add({"queue", "hours", "centre", "open", "closed"});
  if (type == "queue") add({"queue", "prompts", "waiting_prompts"});
  if (type == "language_select") add({"prompts", "languages", "timeout_ms", "next"});
  if (type == "hangup") add({"prompts"});
  if (type == "listen") {
    add({"prompts", "intents", "timeout_ms", "min_confidence", "no_match_prompt", "confirm_prompt",
         "confirm_hint_prompt"});
    add(kRetryKeys);
  }
  return keys;
}

// For a node of unknown type: every key some type allows, so that only the
// type is reported, not each of its keys.
std::vector<std::string> AnyNodeKeys() {
  std::vector<std::string> keys;
  for (const std::string& type : kNodeTypes) {
    for (const std::string& k : KeysFor(type)) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  }
  return keys;
}

bool IsDtmfKey(const std::string& s) {
  if (s.size() != 1) return false;
  const char c = s[0];
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

// "main_menu", or "digit/7" to change a built-in word: ids joined by '/'.
bool IsPromptId(const std::string& s) {
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    if (!values::IsIdentifier(std::string_view(s).substr(start, slash - start))) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string match = values::ClosestMatch(word, candidates);
  return match.empty() ? "" : " (did you mean " + Quote(match) + "?)";
}

class IvrSectionReader {
 public:
  IvrSectionReader(Config& config, ErrorList& errors) : config_(config), errors_(errors) {}

  void Read(const YAML::Node& section) {
    section_ = section;
    MapReader top(errors_, section, "ivr", {"start", "prompts", "answers", "nodes"});
    if (!top.is_map()) return;
    model_.languages = config_.service.languages;
    model_.default_language = config_.service.default_language;
    top.Id("start", model_.start, Need::kRequired);
    if (auto n = top.Get("prompts", Need::kRequired)) Prompts(*n, "ivr.prompts", "");
    if (auto n = top.Get("answers")) Prompts(*n, "ivr.answers", kAnswerPrefix);
    if (auto n = top.Get("nodes", Need::kRequired)) Nodes(*n);
    AddDefaultIvrPrompts(model_);
    // The tree is checked as a whole only when every node could be read:
    // otherwise a node dropped for a typo would be reported again as missing.
    if (!errors_.empty()) return;
    for (const IvrModelIssue& issue : FindIvrModelIssues(model_)) {
      errors_.Add(MarkFor(issue), "ivr." + issue.path + ": " + issue.message);
    }
    if (errors_.empty()) config_.ivr.model = std::make_shared<const IvrModel>(model_);
  }

 private:
  // ---------------------------------------------------------------- prompts

  void Prompts(const YAML::Node& node, const std::string& path, const std::string& id_prefix) {
    if (!node.IsMap()) {
      Error(node, path + ": expected a mapping of prompt ids to texts, got " + Describe(node));
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
      const YAML::Node value = it->second;
      if (!key.IsScalar() || !IsPromptId(key.Scalar())) {
        Error(key, path + ": expected a prompt id (letters, digits, '_', '-' or '/'), got " +
                       Describe(key));
        continue;
      }
      const std::string id = id_prefix + key.Scalar();
      const std::string item_path = path + "." + key.Scalar();
      if (prompt_nodes_.count(id) != 0) {
        Error(key, item_path + ": duplicate prompt (first given at line " +
                       std::to_string(yaml_reader::LineOf(prompt_nodes_[id])) + ")");
        continue;
      }
      prompt_nodes_[id] = value;
      model_.prompts[id] = Texts(value, item_path);
    }
  }

  // {ru: "text", en: {text: "...", voice: en} | {wav: path}}
  IvrPromptTexts Texts(const YAML::Node& node, const std::string& path) {
    IvrPromptTexts texts;
    MapReader m(errors_, node, path, config_.service.languages);
    for (const std::string& language : config_.service.languages) {
      std::optional<YAML::Node> v = m.Get(language);
      if (!v) continue;  // the validator names every missing language
      const std::string lpath = m.PathOf(language);
      if (v->IsScalar()) {
        if (auto text = yaml_reader::ReadText(errors_, *v, lpath)) {
          texts[language] = IvrPromptText{*text, {}, {}};
        }
        continue;
      }
      MapReader t(errors_, *v, lpath, {"text", "wav", "voice"});
      IvrPromptText text;
      const bool has_text = t.Text("text", text.text, Need::kOptional);
      const bool has_wav = t.Text("wav", text.wav_path, Need::kOptional);
      if (has_text == has_wav && t.is_map()) {
        Error(*v, lpath + ": give either text (spoken by speech synthesis) or wav (a recording)");
      }
      if (auto voice = t.Get("voice")) {
        if (!voice->IsScalar() || !values::IsLanguageCode(voice->Scalar())) {
          Error(*voice, t.PathOf("voice") + ": expected a two-letter language code like \"en\", got " +
                            Describe(*voice));
        } else {
          text.voice = voice->Scalar();
        }
      }
      texts[language] = text;
    }
    return texts;
  }

  // "main_menu" or [greeting, for_english].
  std::vector<std::string> PromptList(MapReader& m, const std::string& key, Need need) {
    std::vector<std::string> ids;
    std::optional<YAML::Node> v = m.Get(key, need);
    if (!v) return ids;
    auto one = [&](const YAML::Node& n, const std::string& path) {
      if (auto id = yaml_reader::ReadText(errors_, n, path)) {
        ids.push_back(*id);
      }
    };
    if (v->IsScalar()) {
      one(*v, m.PathOf(key));
    } else {
      ForEachItem(errors_, *v, m.PathOf(key), one);
    }
    return ids;
  }

  // ------------------------------------------------------------------ nodes

  void Nodes(const YAML::Node& node) {
    ForEachItem(errors_, node, "ivr.nodes", [&](const YAML::Node& n, const std::string& path) {
      ReadNode(n, path);
    });
  }

  void ReadNode(const YAML::Node& n, const std::string& path) {
    std::string type;
    if (n.IsMap() && n["type"] && n["type"].IsScalar()) type = n["type"].Scalar();
    const bool known_type = std::find(kNodeTypes.begin(), kNodeTypes.end(), type) != kNodeTypes.end();
    MapReader m(errors_, n, path, known_type ? KeysFor(type) : AnyNodeKeys());
    if (!m.is_map()) return;
    IvrNode node;
    if (!m.Id("id", node.id, Need::kRequired)) return;
    if (auto t = m.Get("type", Need::kRequired); t && !known_type) {
      Error(*t, m.PathOf("type") + ": unknown node type " + Describe(*t) +
                    (t->IsScalar() ? DidYouMean(t->Scalar(), kNodeTypes) : "") +
                    "; types: " + JoinList(kNodeTypes));
    }
    if (!known_type) return;
    if (m.Id("topic", node.topic, Need::kOptional)) CheckTopic(node.topic, *m.Get("topic"), m.PathOf("topic"));

    if (type == "play") {
      IvrPlayNode s;
      s.prompts = PromptList(m, "prompts", Need::kRequired);
      m.Bool("barge_in", s.barge_in, Need::kOptional);
      NodeRef(m, "next", s.next, Need::kRequired);
      node.spec = s;
    } else if (type == "menu") {
      IvrMenuNode s;
      s.prompts = PromptList(m, "prompts", Need::kRequired);
      if (auto o = m.Get("options", Need::kRequired)) s.options = KeyMap(*o, m.PathOf("options"));
      Millis(m, "timeout_ms", s.timeout);
      Retry(m, s.retry);
      node.spec = s;
    } else if (type == "collect_digits") {
      IvrCollectDigitsNode s;
      s.prompts = PromptList(m, "prompts", Need::kRequired);
      Entry(m, s.input);
      Retry(m, s.retry);
      m.Id("variable", s.variable, Need::kRequired);
      NodeRef(m, "next", s.next, Need::kRequired);
      node.spec = s;
    } else if (type == "service_code") {
      node.spec = ServiceCode(m);
    } else if (type == "case_status") {
      IvrCaseStatusNode s;
      s.prompts = PromptList(m, "prompts", Need::kRequired);
      Entry(m, s.input);
      Retry(m, s.retry);
      m.Id("not_found_prompt", s.not_found_prompt, Need::kRequired);
      m.Id("unavailable_prompt", s.unavailable_prompt, Need::kRequired);
      m.Id("status_prompt", s.status_prompt, Need::kOptional);
      if (m.Get("phone_prompts")) s.phone_prompts = PromptList(m, "phone_prompts", Need::kOptional);
      m.Integer("max_lookups_per_call", s.max_lookups_per_call, 1, 10, Need::kOptional);
      Millis(m, "lookup_timeout_ms", s.lookup_timeout);
      NodeRef(m, "next", s.next, Need::kRequired);
      node.spec = s;
    } else if (type == "typical_answer") {
      IvrTypicalAnswerNode s;
      if (m.Id("answer", s.answer, Need::kRequired)) s.answer = kAnswerPrefix + s.answer;
      m.Bool("barge_in", s.barge_in, Need::kOptional);
      NodeRef(m, "next", s.next, Need::kRequired);
      node.spec = s;
    } else if (type == "hours_check") {
      node.spec = HoursCheck(m);
    } else if (type == "queue") {
      IvrQueueNode s;
      if (m.Id("queue", s.queue, Need::kRequired)) {
        if (const QueueConfig* q = CheckQueue(s.queue, *m.Get("queue"), m.PathOf("queue"))) {
          if (node.topic.empty()) node.topic = q->topic;  // what the caller is queued for
        }
      }
      s.prompts = PromptList(m, "prompts", Need::kOptional);
      s.waiting_prompts = PromptList(m, "waiting_prompts", Need::kOptional);
      node.spec = s;
    } else if (type == "language_select") {
      IvrLanguageSelectNode s;
      s.prompts = PromptList(m, "prompts", Need::kRequired);
      if (auto l = m.Get("languages", Need::kRequired)) s.languages = KeyMap(*l, m.PathOf("languages"));
      Millis(m, "timeout_ms", s.timeout);
      NodeRef(m, "next", s.next, Need::kRequired);
      node.spec = s;
    } else if (type == "hangup") {
      IvrHangupNode s;
      s.prompts = PromptList(m, "prompts", Need::kOptional);
      node.spec = s;
    } else if (type == "listen") {
      node.spec = Listen(m);
    }
    if (model_.nodes.count(node.id) != 0) {
      Error(*m.Get("id"), m.PathOf("id") + ": duplicate node id " + Quote(node.id) +
                              " (first defined at line " +
                              std::to_string(yaml_reader::LineOf(node_yaml_[node.id])) + ")");
      return;
    }
    node_yaml_[node.id] = n;
    model_.nodes[node.id] = std::move(node);
  }

  IvrServiceCodeNode ServiceCode(MapReader& m) {
    IvrServiceCodeNode s;
    s.prompts = PromptList(m, "prompts", Need::kRequired);
    // Codes are the topics' service_code; the longest decides when an entry is complete.
    size_t longest = 1;
    for (const Topic& t : config_.topics) longest = std::max(longest, t.service_code.size());
    s.input = IvrDigitInput{1, static_cast<int>(longest), '#', Duration{5000}, Duration{3000}};
    Entry(m, s.input);
    Retry(m, s.retry);
    std::optional<YAML::Node> targets = m.Get("targets", Need::kRequired);
    if (!targets) return s;
    const std::string tpath = m.PathOf("targets");
    MapReader t(errors_, *targets, tpath, TopicIds());
    if (!t.is_map()) return s;
    for (const Topic& topic : config_.topics) {
      std::optional<YAML::Node> target = t.Get(topic.id);
      if (topic.service_code.empty()) {
        if (target) {
          Error(*target, t.PathOf(topic.id) + ": topic " + Quote(topic.id) +
                             " has no service_code in topics");
        }
        continue;
      }
      if (!target) {
        Error(*targets, tpath + ": topic " + Quote(topic.id) + " has service code " +
                            Quote(topic.service_code) + " but no target node here");
        continue;
      }
      if (auto id = yaml_reader::ReadText(errors_, *target, t.PathOf(topic.id))) {
        s.codes[topic.service_code] = *id;
      }
    }
    return s;
  }

  // R7: intents: {certificates: {key: "1", next: node, prompt: id,
  // phrases: {en: [certificate, certificates], ru: [справка]}}}.
  IvrListenNode Listen(MapReader& m) {
    IvrListenNode s;
    s.prompts = PromptList(m, "prompts", Need::kRequired);
    Millis(m, "timeout_ms", s.timeout);
    m.Formatted<double>(
        "min_confidence", s.min_confidence, Need::kOptional,
        [](const std::string& text) -> std::optional<double> {
          try {
            size_t used = 0;
            const double v = std::stod(text, &used);
            if (used != text.size() || !(v >= 0.0 && v <= 1.0)) return std::nullopt;
            return v;
          } catch (const std::exception&) {
            return std::nullopt;
          }
        },
        "a number from 0 to 1");
    m.Id("no_match_prompt", s.no_match_prompt, Need::kOptional);
    m.Id("confirm_prompt", s.confirm_prompt, Need::kRequired);
    m.Id("confirm_hint_prompt", s.confirm_hint_prompt, Need::kRequired);
    Retry(m, s.retry);
    std::optional<YAML::Node> intents = m.Get("intents", Need::kRequired);
    if (!intents) return s;
    const std::string ipath = m.PathOf("intents");
    if (!intents->IsMap()) {
      Error(*intents, ipath + ": expected a mapping of intent ids to their phrases, got " +
                          Describe(*intents));
      return s;
    }
    for (auto it = intents->begin(); it != intents->end(); ++it) {
      const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
      const YAML::Node value = it->second;
      if (!key.IsScalar() || !values::IsIdentifier(key.Scalar())) {
        Error(key, ipath + ": expected an intent id, got " + Describe(key));
        continue;
      }
      IvrListenIntent intent;
      intent.id = key.Scalar();
      MapReader r(errors_, value, ipath + "." + intent.id, {"key", "next", "prompt", "phrases"});
      if (!r.is_map()) continue;
      std::string k;
      if (r.Text("key", k, Need::kRequired)) {
        if (IsDtmfKey(k)) {
          intent.key = k[0];
        } else {
          Error(*r.Get("key"), r.PathOf("key") + ": expected a telephone key 0-9, *, # or A-D, got " +
                                   Describe(*r.Get("key")));
        }
      }
      NodeRef(r, "next", intent.next, Need::kRequired);
      r.Id("prompt", intent.prompt, Need::kOptional);
      if (std::optional<YAML::Node> p = r.Get("phrases", Need::kRequired)) {
        MapReader langs(errors_, *p, r.PathOf("phrases"), config_.service.languages);
        for (const std::string& language : config_.service.languages) {
          if (!langs.Get(language)) continue;
          std::vector<std::string> list = PromptList(langs, language, Need::kOptional);
          for (std::string& phrase : list) phrase = NormalisePhrase(phrase);
          intent.phrases[language] = std::move(list);
        }
      }
      s.intents.push_back(std::move(intent));
    }
    return s;
  }

  IvrHoursCheckNode HoursCheck(MapReader& m) {
    IvrHoursCheckNode s;
    NodeRef(m, "open", s.open, Need::kRequired);
    NodeRef(m, "closed", s.closed, Need::kRequired);
    std::optional<YAML::Node> queue = m.Get("queue");
    std::optional<YAML::Node> hours = m.Get("hours");
    if (queue.has_value() == hours.has_value()) {
      Error(m.node(), m.PathOf("queue") + ": give either queue (its hours) or hours and centre");
      return s;
    }
    if (queue) {
      std::string id;
      if (!m.Id("queue", id, Need::kRequired)) return s;
      if (const QueueConfig* q = CheckQueue(id, *queue, m.PathOf("queue"))) {
        s.hours_ref = "queue " + id;
        s.calendar = config_.QueueCalendar(*q);
      }
      return s;
    }
    std::string hours_id;
    std::string centre_id;
    if (!m.Id("hours", hours_id, Need::kRequired)) return s;
    if (config_.FindHours(hours_id) == nullptr) {
      Error(*hours, m.PathOf("hours") + ": unknown hours " + Quote(hours_id) +
                        DidYouMean(hours_id, HoursIds()) + "; defined: " + JoinList(HoursIds()));
    }
    const Centre* centre = nullptr;
    if (m.Id("centre", centre_id, Need::kRequired)) {
      centre = config_.FindCentre(centre_id);
      if (centre == nullptr) {
        Error(*m.Get("centre"), m.PathOf("centre") + ": unknown centre " + Quote(centre_id));
      }
    }
    if (centre != nullptr) {
      s.hours_ref = "hours " + hours_id + " at " + centre_id;
      s.calendar = config_.CalendarFor(hours_id, centre->utc_offset);
    }
    return s;
  }

  // {"1": node} or {"9": en}: telephone keys to text.
  std::map<char, std::string> KeyMap(const YAML::Node& node, const std::string& path) {
    std::map<char, std::string> out;
    if (!node.IsMap()) {
      Error(node, path + ": expected a mapping of telephone keys to ids, got " + Describe(node));
      return out;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
      const YAML::Node value = it->second;
      if (!key.IsScalar() || !IsDtmfKey(key.Scalar())) {
        Error(key, path + ": expected a telephone key 0-9, *, # or A-D, got " + Describe(key));
        continue;
      }
      const char k = key.Scalar()[0];
      if (out.count(k) != 0) {
        Error(key, path + "." + key.Scalar() + ": key given twice");
        continue;
      }
      if (auto v = yaml_reader::ReadText(errors_, value, path + "." + key.Scalar())) {
        out[k] = *v;
      }
    }
    return out;
  }

  void Entry(MapReader& m, IvrDigitInput& in) {
    m.Integer("min_digits", in.min_digits, 1, 32, Need::kOptional);
    m.Integer("max_digits", in.max_digits, 1, 32, Need::kOptional);
    m.Formatted<char>(
        "terminator", in.terminator, Need::kOptional,
        [](const std::string& s) -> std::optional<char> {
          if (s == "none") return '\0';
          if (s == "#" || s == "*") return s[0];
          return std::nullopt;
        },
        "\"#\", \"*\" or none");
    Millis(m, "first_digit_timeout_ms", in.first_digit_timeout);
    Millis(m, "inter_digit_timeout_ms", in.inter_digit_timeout);
  }

  void Retry(MapReader& m, IvrRetryPolicy& r) {
    m.Integer("retries", r.retries, 0, 10, Need::kOptional);
    m.Id("invalid_prompt", r.invalid_prompt, Need::kOptional);
    m.Id("no_input_prompt", r.no_input_prompt, Need::kOptional);
    NodeRef(m, "on_fail", r.on_fail, Need::kOptional);
  }

  void Millis(MapReader& m, const std::string& key, Duration& out) {
    long long ms = out.count();
    if (m.Integer(key, ms, 1, kMaxTimeoutMs, Need::kOptional)) out = Duration{ms};
  }

  // References between nodes are checked by the validator once all are read.
  void NodeRef(MapReader& m, const std::string& key, std::string& out, Need need) {
    m.Id(key, out, need);
  }

  void CheckTopic(const std::string& id, const YAML::Node& at, const std::string& path) {
    if (config_.FindTopic(id) != nullptr) return;
    Error(at, path + ": unknown topic " + Quote(id) + DidYouMean(id, TopicIds()) +
                  "; defined: " + JoinList(TopicIds()));
  }

  const QueueConfig* CheckQueue(const std::string& id, const YAML::Node& at,
                                const std::string& path) {
    if (const QueueConfig* q = config_.FindQueue(id)) return q;
    std::vector<std::string> ids;
    for (const QueueConfig& q : config_.queues) ids.push_back(q.id);
    Error(at, path + ": unknown queue " + Quote(id) + DidYouMean(id, ids) + "; defined: " +
                  JoinList(ids));
    return nullptr;
  }

  std::vector<std::string> TopicIds() const {
    std::vector<std::string> ids;
    for (const Topic& t : config_.topics) ids.push_back(t.id);
    return ids;
  }
  std::vector<std::string> HoursIds() const {
    std::vector<std::string> ids;
    for (const HoursSpec& h : config_.hours) ids.push_back(h.id);
    return ids;
  }

  // -------------------------------------------------------- error positions

  // The YAML node a validation issue is about: the field when it can be
  // found ("nodes.main_menu.options.7"), else the node, else the section.
  YAML::Mark MarkFor(const IvrModelIssue& issue) const {
    const std::string& p = issue.path;
    if (p.rfind("prompts.", 0) == 0) {
      const std::string rest = p.substr(8);
      const size_t dot = rest.rfind('.');
      const auto it = prompt_nodes_.find(rest.substr(0, dot));
      if (it != prompt_nodes_.end()) return Mark(it->second);
      return Mark(section_["prompts"] ? section_["prompts"] : section_);
    }
    if (p.rfind("nodes.", 0) == 0 && !issue.node.empty()) {
      const auto it = node_yaml_.find(issue.node);
      if (it == node_yaml_.end()) return Mark(section_);
      std::string rest = p.substr(6 + issue.node.size());
      if (rest.empty() || rest[0] != '.') return Mark(it->second);
      rest = rest.substr(1);
      const size_t end = rest.find_first_of(".[");
      const std::string field = rest.substr(0, end);
      const YAML::Node value = it->second[field];
      if (!value) return Mark(it->second);
      if (end != std::string::npos && rest[end] == '.' && value.IsMap()) {
        const YAML::Node sub = value[rest.substr(end + 1)];
        if (sub) return Mark(sub);
      }
      if (end != std::string::npos && rest[end] == '[' && value.IsSequence()) {
        const size_t index = static_cast<size_t>(std::atoi(rest.c_str() + end + 1));
        if (index < value.size()) return Mark(value[index]);
      }
      return Mark(value);
    }
    if (p == "start" && section_["start"]) return Mark(section_["start"]);
    return Mark(section_);
  }
  static YAML::Mark Mark(const YAML::Node& n) {
    return n.IsDefined() ? n.Mark() : YAML::Mark::null_mark();
  }

  void Error(const YAML::Node& at, std::string message) { errors_.Add(at, std::move(message)); }

  Config& config_;
  ErrorList& errors_;
  YAML::Node section_;
  IvrModel model_;
  std::map<std::string, YAML::Node> prompt_nodes_;  // prompt id -> its texts
  std::map<std::string, YAML::Node> node_yaml_;     // node id -> its mapping
};

}  // namespace

void ParseIvrSection(const YAML::Node& node, Config& config, ErrorList& errors) {
  // A list of its own tells whether this section had errors (the tree is
  // validated only when it was read without any); then they join the file's.
  ErrorList own("");
  IvrSectionReader(config, own).Read(node);
  for (const ConfigError& e : own.Take()) {
    YAML::Mark mark;  // back to yaml-cpp's 0-based positions; -1 = unknown
    mark.line = e.line - 1;
    mark.column = e.column - 1;
    errors.Add(mark, e.message);
  }
}

}  // namespace gosline
