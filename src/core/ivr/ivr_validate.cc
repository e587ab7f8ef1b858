#include "core/ivr/ivr_validate.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <utility>

#include "core/ivr/ivr_prompts.h"

namespace gosline {
namespace {

constexpr int kMaxRetries = 10;
constexpr int kMaxEntryDigits = 32;
constexpr int kCaseNumberDigits = 10;
constexpr Duration kMaxTimeout{120'000};

bool IsDtmfKey(char ch) {
  return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#' || (ch >= 'A' && ch <= 'D');
}

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Where the caller can go from a node: (field path, target id).
std::vector<std::pair<std::string, std::string>> Edges(const IvrNode& node) {
  std::vector<std::pair<std::string, std::string>> e;
  auto on_fail = [&e](const IvrRetryPolicy& r) {
    if (!r.on_fail.empty()) e.emplace_back("on_fail", r.on_fail);
  };
  std::visit(
      [&](const auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, IvrPlayNode> || std::is_same_v<S, IvrTypicalAnswerNode> ||
                      std::is_same_v<S, IvrLanguageSelectNode> ||
                      std::is_same_v<S, IvrCollectDigitsNode>) {
          e.emplace_back("next", s.next);
        }
        if constexpr (std::is_same_v<S, IvrCaseStatusNode>) e.emplace_back("next", s.next);
        if constexpr (std::is_same_v<S, IvrMenuNode>) {
          for (const auto& [key, target] : s.options) {
            e.emplace_back(std::string("options.") + key, target);
          }
        }
        if constexpr (std::is_same_v<S, IvrServiceCodeNode>) {
          for (const auto& [code, target] : s.codes) e.emplace_back("codes." + code, target);
        }
        if constexpr (std::is_same_v<S, IvrListenNode>) {
          for (const IvrListenIntent& i : s.intents) e.emplace_back("intents." + i.id, i.next);
        }
        if constexpr (std::is_same_v<S, IvrHoursCheckNode>) {
          e.emplace_back("open", s.open);
          e.emplace_back("closed", s.closed);
        }
        if constexpr (requires { s.retry; }) on_fail(s.retry);
      },
      node.spec);
  return e;
}

// Nodes where the caller's key can change the route: a loop through one of
// them is the caller's choice, a loop without one traps the call.
bool RoutesByInput(IvrNodeKind k) {
  return k == IvrNodeKind::kMenu || k == IvrNodeKind::kCollectDigits ||
         k == IvrNodeKind::kServiceCode || k == IvrNodeKind::kCaseStatus ||
         k == IvrNodeKind::kListen;
}

class Checker {
 public:
  explicit Checker(const IvrModel& m) : m_(m) {}

  std::vector<IvrModelIssue> Run() {
    CheckModel();
    for (const auto& [id, node] : m_.nodes) CheckNode(id, node);
    CheckReachable();
    CheckLoops();
    return std::move(issues_);
  }

 private:
  void Add(const std::string& node, std::string path, std::string message) {
    issues_.push_back({node, std::move(path), std::move(message)});
  }
  static std::string NodePath(const std::string& id, const std::string& field) {
    return field.empty() ? "nodes." + id : "nodes." + id + "." + field;
  }

  void CheckModel() {
    if (m_.languages.empty()) Add("", "languages", "at least one language is required");
    std::set<std::string> seen;
    for (const std::string& l : m_.languages) {
      if (l.empty()) Add("", "languages", "empty language code");
      if (!seen.insert(l).second) Add("", "languages", "duplicate language '" + l + "'");
    }
    if (!HasLanguage(m_.default_language)) {
      Add("", "default_language",
          "default language '" + m_.default_language + "' is not in languages");
    }
    if (m_.start.empty()) {
      Add("", "start", "a start node is required");
    } else if (m_.FindNode(m_.start) == nullptr) {
      Add("", "start", "unknown node '" + m_.start + "'");
    }
    if (m_.nodes.empty()) Add("", "nodes", "the menu tree has no nodes");
  }

  bool HasLanguage(const std::string& l) const {
    return std::find(m_.languages.begin(), m_.languages.end(), l) != m_.languages.end();
  }

  void Ref(const std::string& node, const std::string& field, const std::string& target) {
    if (target.empty()) {
      Add(node, NodePath(node, field), "a node id is required");
    } else if (m_.FindNode(target) == nullptr) {
      Add(node, NodePath(node, field), "unknown node '" + target + "'");
    }
  }

  // An empty id means "no prompt" and is fine where the prompt is optional.
  void Prompt(const std::string& node, const std::string& field, const std::string& id,
              bool required = false) {
    if (id.empty()) {
      if (required) Add(node, NodePath(node, field), "a prompt is required");
      return;
    }
    const auto it = m_.prompts.find(id);
    if (it == m_.prompts.end()) {
      Add(node, NodePath(node, field), "unknown prompt '" + id + "'");
      return;
    }
    for (const std::string& l : m_.languages) {
      const auto t = it->second.find(l);
      if (t == it->second.end() || (t->second.text.empty() && t->second.wav_path.empty())) {
        Add(node, "prompts." + id + "." + l, "prompt '" + id + "' has no text in '" + l + "'");
      }
    }
  }
  void Prompts(const std::string& node, const std::string& field,
               const std::vector<std::string>& ids, bool required) {
    if (required && ids.empty()) Add(node, NodePath(node, field), "at least one prompt is required");
    for (size_t i = 0; i < ids.size(); ++i) {
      Prompt(node, field + "[" + std::to_string(i) + "]", ids[i], true);
    }
  }

  void Retry(const std::string& node, const IvrRetryPolicy& r) {
    if (r.retries < 0 || r.retries > kMaxRetries) {
      Add(node, NodePath(node, "retries"), "retries must be 0.." + std::to_string(kMaxRetries));
    }
    Prompt(node, "invalid_prompt", r.invalid_prompt);
    Prompt(node, "no_input_prompt", r.no_input_prompt);
    if (!r.on_fail.empty()) Ref(node, "on_fail", r.on_fail);
  }

  void Timeout(const std::string& node, const std::string& field, Duration d) {
    if (d <= Duration::zero() || d > kMaxTimeout) {
      Add(node, NodePath(node, field), "timeout must be between 1 ms and 120 s");
    }
  }

  void Input(const std::string& node, const IvrDigitInput& in) {
    if (in.min_digits < 1 || in.max_digits < in.min_digits || in.max_digits > kMaxEntryDigits) {
      Add(node, NodePath(node, "min_digits"),
          "need 1 <= min_digits <= max_digits <= " + std::to_string(kMaxEntryDigits));
    }
    if (in.terminator != 0 && (!IsDtmfKey(in.terminator) ||
                               (in.terminator >= '0' && in.terminator <= '9'))) {
      Add(node, NodePath(node, "terminator"), "terminator must be '#', '*' or A-D");
    }
    Timeout(node, "first_digit_timeout", in.first_digit_timeout);
    Timeout(node, "inter_digit_timeout", in.inter_digit_timeout);
  }

  void CheckNode(const std::string& id, const IvrNode& node) {
    if (node.id != id) Add(id, NodePath(id, "id"), "node id '" + node.id + "' differs from its key");
    std::visit([&](const auto& s) { Check(id, s); }, node.spec);
  }

  void Check(const std::string& id, const IvrPlayNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    Ref(id, "next", s.next);
  }
  void Check(const std::string& id, const IvrMenuNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    if (s.options.empty()) Add(id, NodePath(id, "options"), "a menu needs at least one option");
    for (const auto& [key, target] : s.options) {
      const std::string field = std::string("options.") + key;
      if (!IsDtmfKey(key)) Add(id, NodePath(id, field), "not a telephone key");
      Ref(id, field, target);
    }
    Timeout(id, "timeout", s.timeout);
    Retry(id, s.retry);
  }
  void Check(const std::string& id, const IvrCollectDigitsNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    Input(id, s.input);
    Retry(id, s.retry);
    if (s.variable.empty()) Add(id, NodePath(id, "variable"), "a variable name is required");
    Ref(id, "next", s.next);
  }
  void Check(const std::string& id, const IvrServiceCodeNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    Input(id, s.input);
    Retry(id, s.retry);
    if (s.codes.empty()) Add(id, NodePath(id, "codes"), "no service codes to jump to");
    for (const auto& [code, target] : s.codes) {
      const std::string field = "codes." + code;
      const auto len = static_cast<int>(code.size());
      if (!IsDigits(code)) {
        Add(id, NodePath(id, field), "a service code is digits only");
      } else if (len < s.input.min_digits || len > s.input.max_digits) {
        Add(id, NodePath(id, field), "code length outside min_digits..max_digits");
      }
      Ref(id, field, target);
    }
  }
  void Check(const std::string& id, const IvrCaseStatusNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    Input(id, s.input);
    if (s.input.min_digits > kCaseNumberDigits || s.input.max_digits < kCaseNumberDigits) {
      Add(id, NodePath(id, "max_digits"), "a case number has 10 digits");
    }
    Retry(id, s.retry);
    Prompt(id, "not_found_prompt", s.not_found_prompt, true);
    Prompt(id, "unavailable_prompt", s.unavailable_prompt, true);
    Prompt(id, "status_prompt", s.status_prompt);
    Prompts(id, "phone_prompts", s.phone_prompts, true);
    if (s.max_lookups_per_call < 1 || s.max_lookups_per_call > 10) {
      Add(id, NodePath(id, "max_lookups_per_call"), "must be 1 to 10");
    }
    Timeout(id, "lookup_timeout", s.lookup_timeout);
    Ref(id, "next", s.next);
    // The words the status is assembled from.
    for (char d = '0'; d <= '9'; ++d) Prompt(id, "digits", DigitPromptId(d), true);
    for (CaseStatus st : {CaseStatus::kNew, CaseStatus::kInProgress, CaseStatus::kEscalated,
                          CaseStatus::kWaitingCitizen, CaseStatus::kResolved, CaseStatus::kClosed}) {
      Prompt(id, "status_words", CaseStatusPromptId(st), true);
    }
  }
  void Check(const std::string& id, const IvrTypicalAnswerNode& s) {
    Prompt(id, "answer", s.answer, true);
    Ref(id, "next", s.next);
  }
  void Check(const std::string& id, const IvrHoursCheckNode& s) {
    Ref(id, "open", s.open);
    Ref(id, "closed", s.closed);
  }
  void Check(const std::string& id, const IvrQueueNode& s) {
    if (s.queue.empty()) Add(id, NodePath(id, "queue"), "a queue id is required");
    Prompts(id, "prompts", s.prompts, false);
    Prompts(id, "waiting_prompts", s.waiting_prompts, false);
  }
  void Check(const std::string& id, const IvrLanguageSelectNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    if (s.languages.empty()) Add(id, NodePath(id, "languages"), "no language to choose");
    for (const auto& [key, language] : s.languages) {
      const std::string field = std::string("languages.") + key;
      if (!IsDtmfKey(key)) Add(id, NodePath(id, field), "not a telephone key");
      if (!HasLanguage(language)) {
        Add(id, NodePath(id, field), "language '" + language + "' is not in languages");
      }
    }
    Timeout(id, "timeout", s.timeout);
    Ref(id, "next", s.next);
  }
  void Check(const std::string& id, const IvrHangupNode& s) {
    Prompts(id, "prompts", s.prompts, false);
  }
  // R7: every intent can also be chosen by a key, so a caller the
  // recogniser does not understand (or a language without a model) gets on.
  void Check(const std::string& id, const IvrListenNode& s) {
    Prompts(id, "prompts", s.prompts, true);
    if (s.intents.empty()) Add(id, NodePath(id, "intents"), "a listen node needs at least one intent");
    std::set<char> keys;
    std::set<std::string> ids;
    for (const IvrListenIntent& i : s.intents) {
      const std::string field = "intents." + i.id;
      if (!ids.insert(i.id).second) Add(id, NodePath(id, field), "intent given twice");
      if (!IsDtmfKey(i.key)) {
        Add(id, NodePath(id, field + ".key"), "every intent needs a telephone key as well");
      } else if (!keys.insert(i.key).second) {
        Add(id, NodePath(id, field + ".key"), std::string("key ") + i.key + " used twice");
      }
      bool any = false;
      for (const auto& [language, phrases] : i.phrases) {
        if (!HasLanguage(language)) {
          Add(id, NodePath(id, field + ".phrases." + language),
              "language '" + language + "' is not in languages");
        }
        any = any || !phrases.empty();
        for (const std::string& p : phrases) {
          if (p.empty()) Add(id, NodePath(id, field + ".phrases." + language), "empty phrase");
        }
      }
      if (!any) Add(id, NodePath(id, field + ".phrases"), "an intent needs phrases in a language");
      Prompt(id, field + ".prompt", i.prompt);
      Ref(id, field + ".next", i.next);
    }
    if (s.min_confidence < 0.0 || s.min_confidence > 1.0) {
      Add(id, NodePath(id, "min_confidence"), "min_confidence is between 0 and 1");
    }
    Timeout(id, "timeout", s.timeout);
    Retry(id, s.retry);
    Prompt(id, "no_match_prompt", s.no_match_prompt);
    Prompt(id, "confirm_prompt", s.confirm_prompt, true);
    Prompt(id, "confirm_hint_prompt", s.confirm_hint_prompt, true);
  }

  void CheckReachable() {
    if (m_.FindNode(m_.start) == nullptr) return;  // reported already
    std::set<std::string> seen{m_.start};
    std::deque<std::string> todo{m_.start};
    while (!todo.empty()) {
      const IvrNode* n = m_.FindNode(todo.front());
      todo.pop_front();
      if (n == nullptr) continue;
      for (const auto& [field, target] : Edges(*n)) {
        if (m_.FindNode(target) != nullptr && seen.insert(target).second) todo.push_back(target);
      }
    }
    for (const auto& [id, node] : m_.nodes) {
      if (seen.count(id) == 0) Add(id, NodePath(id, ""), "unreachable from '" + m_.start + "'");
    }
  }

  // A cycle through nodes where no key changes the route: the caller could
  // never leave it (and a cycle of instant nodes would spin).
  void CheckLoops() {
    enum Colour { kWhite, kGrey, kBlack };
    std::map<std::string, Colour> colour;
    std::vector<std::string> stack;
    std::set<std::string> reported;
    auto dfs = [&](auto&& self, const std::string& id) -> void {
      colour[id] = kGrey;
      stack.push_back(id);
      const IvrNode& n = *m_.FindNode(id);
      for (const auto& [field, target] : Edges(n)) {
        const IvrNode* t = m_.FindNode(target);
        if (t == nullptr || RoutesByInput(t->kind())) continue;
        if (colour[target] == kGrey) {
          auto from = std::find(stack.begin(), stack.end(), target);
          std::string path;
          for (auto it = from; it != stack.end(); ++it) path += *it + " -> ";
          path += target;
          if (reported.insert(target).second) {
            Add(target, NodePath(target, ""), "loop without input: " + path);
          }
        } else if (colour[target] == kWhite) {
          self(self, target);
        }
      }
      stack.pop_back();
      colour[id] = kBlack;
    };
    for (const auto& [id, node] : m_.nodes) {
      if (!RoutesByInput(node.kind()) && colour[id] == kWhite) dfs(dfs, id);
    }
  }

  const IvrModel& m_;
  std::vector<IvrModelIssue> issues_;
};

}  // namespace

std::vector<IvrModelIssue> FindIvrModelIssues(const IvrModel& model) {
  return Checker(model).Run();
}

Status ValidateIvrModel(const IvrModel& model) {
  const std::vector<IvrModelIssue> issues = FindIvrModelIssues(model);
  if (issues.empty()) return Status::Ok();
  const IvrModelIssue& first = issues.front();
  std::string msg = "ivr." + first.path + ": " + first.message;
  if (issues.size() > 1) msg += " (and " + std::to_string(issues.size() - 1) + " more)";
  return Status::InvalidArgument(std::move(msg), "ivr." + first.path);
}

}  // namespace gosline
