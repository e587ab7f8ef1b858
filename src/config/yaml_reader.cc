#include "config/yaml_reader.h"

#include <algorithm>
#include <tuple>

#include "config/config_values.h"

namespace gosline::yaml_reader {
namespace {

// yaml-cpp marks are 0-based and -1 when unknown; ConfigError is 1-based, 0 = unknown.
int OneBased(int zero_based) { return zero_based >= 0 ? zero_based + 1 : 0; }

YAML::Mark MarkOf(const YAML::Node& node) {
  return node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string match = config_values::ClosestMatch(word, candidates);
  return match.empty() ? "" : " (did you mean " + Quote(match) + "?)";
}

}  // namespace

void ErrorList::Add(const YAML::Mark& mark, std::string message) {
  errors_.push_back(
      ConfigError{file_, OneBased(mark.line), OneBased(mark.column), std::move(message)});
}

void ErrorList::Add(const YAML::Node& at, std::string message) {
  Add(MarkOf(at), std::move(message));
}

void ErrorList::AddForFile(std::string message) {
  errors_.push_back(ConfigError{file_, 0, 0, std::move(message)});
}

std::vector<ConfigError> ErrorList::Take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return std::move(errors_);
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      std::string s = node.Scalar();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return Quote(s);
    }
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

int LineOf(const YAML::Node& node) { return OneBased(MarkOf(node).line); }

std::optional<std::string> ReadText(ErrorList& errors, const YAML::Node& node,
                                    const std::string& path) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    errors.Add(node, path + ": expected text, got " + Describe(node));
    return std::nullopt;
  }
  return node.Scalar();
}

void ForEachItem(ErrorList& errors, const YAML::Node& node, const std::string& path,
                 const std::function<void(const YAML::Node&, const std::string&)>& each) {
  if (!node.IsSequence()) {
    errors.Add(node, path + ": expected a list, got " + Describe(node));
    return;
  }
  size_t i = 0;
  for (const YAML::Node& item : node) each(item, path + "[" + std::to_string(i++) + "]");
}

MapReader::MapReader(ErrorList& errors, const YAML::Node& node, std::string path,
                     std::vector<std::string> allowed)
    : errors_(errors), node_(node), path_(std::move(path)), allowed_(std::move(allowed)) {
  is_map_ = node.IsMap();
  if (!is_map_) {
    const std::string where = path_.empty() ? "the file" : path_;
    errors_.Add(node, where + ": expected a mapping with keys " + JoinList(allowed_) + ", got " +
                          Describe(node));
    return;
  }
  const std::string what = path_.empty() ? "section" : "key";
  // By value: yaml-cpp's iterator_value is a temporary; references into `it->` dangle.
  for (const auto& entry : node) {
    const YAML::Node key = entry.first;
    if (!key.IsScalar()) {
      errors_.Add(key, PathOf("?") + ": expected a " + what + " name, got " + Describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(allowed_.begin(), allowed_.end(), name) == allowed_.end()) {
      errors_.Add(key, (path_.empty() ? "" : path_ + ": ") + "unknown " + what + " " + Quote(name) +
                           DidYouMean(name, allowed_) + "; allowed " + what +
                           "s: " + JoinList(allowed_));
      continue;
    }
    if (values_.contains(name)) {
      errors_.Add(key, PathOf(name) + ": duplicate key (first given at line " +
                           std::to_string(LineOf(values_[name])) + ")");
      continue;
    }
    values_.emplace(name, entry.second);
  }
}

std::string MapReader::PathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::optional<YAML::Node> MapReader::Get(const std::string& key, Need need) {
  auto it = values_.find(key);
  if (it != values_.end()) return it->second;
  if (need == Need::kRequired && is_map_) {
    errors_.Add(node_, path_.empty() ? "missing section " + Quote(key)
                                     : path_ + ": missing key " + Quote(key));
  }
  return std::nullopt;
}

bool MapReader::Text(const std::string& key, std::string& out, Need need) {
  std::optional<YAML::Node> v = Get(key, need);
  if (!v) return false;
  std::optional<std::string> text = ReadText(errors_, *v, PathOf(key));
  if (text) out = *text;
  return text.has_value();
}

bool MapReader::Id(const std::string& key, std::string& out, Need need) {
  return Formatted<std::string>(
      key, out, need,
      [](const std::string& s) -> std::optional<std::string> {
        if (!config_values::IsIdentifier(s)) return std::nullopt;
        return s;
      },
      "an id (letters, digits, '_' or '-')");
}

bool MapReader::Bool(const std::string& key, bool& out, Need need) {
  return Formatted<bool>(
      key, out, need,
      [](const std::string& s) -> std::optional<bool> {
        if (s == "true" || s == "yes") return true;
        if (s == "false" || s == "no") return false;
        return std::nullopt;
      },
      "true or false");
}

bool MapReader::ReadInteger(const std::string& key, long long& out, long long min, long long max,
                            Need need) {
  return Formatted<long long>(
      key, out, need,
      [min, max](const std::string& s) -> std::optional<long long> {
        std::optional<long long> v = config_values::ParseInteger(s);
        if (!v || *v < min || *v > max) return std::nullopt;
        return v;
      },
      "a whole number " + std::to_string(min) + ".." + std::to_string(max));
}

bool IdSet::Define(const std::string& id, const YAML::Node& node, const std::string& path) {
  auto [it, inserted] = lines_.emplace(id, LineOf(node));
  if (!inserted) {
    errors_.Add(node, path + ": duplicate " + what_ + " " + Quote(id) + " (first defined at line " +
                          std::to_string(it->second) + ")");
    return false;
  }
  order_.push_back(id);
  return true;
}

bool IdSet::CheckReference(const std::string& id, const YAML::Node& node, const std::string& path) {
  if (Contains(id)) return true;
  std::string message = path + ": unknown " + what_ + " " + Quote(id) + DidYouMean(id, order_);
  message += order_.empty() ? "; none are defined" : "; defined: " + JoinList(order_);
  errors_.Add(node, std::move(message));
  return false;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace gosline::yaml_reader
