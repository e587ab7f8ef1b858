// Reading YAML for the config loader without stopping at the first problem:
// every accessor reports what is wrong (with the node's line and column) into an
// ErrorList and carries on, so one run of `check-config` lists every mistake.
// Paths in messages look like "topics[3].service_code" (list indexes from 0).
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"

namespace gosline::yaml_reader {

class ErrorList {
 public:
  explicit ErrorList(std::string file) : file_(std::move(file)) {}
  void Add(const YAML::Mark& mark, std::string message);
  void Add(const YAML::Node& at, std::string message);
  void AddForFile(std::string message);  // no position: about the file as a whole
  // Sorted by position, so the list reads top to bottom like the file.
  std::vector<ConfigError> Take();
  bool empty() const { return errors_.empty(); }

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// How a value is described in "expected X, got Y": "\"1a\"", "a list", "nothing".
std::string Describe(const YAML::Node& node);
// 1-based line of a node, for "first defined at line N"; 0 if unknown.
int LineOf(const YAML::Node& node);

enum class Need { kOptional, kRequired };

// A text value: a non-empty scalar. Reports and returns nullopt otherwise.
std::optional<std::string> ReadText(ErrorList& errors, const YAML::Node& node,
                                    const std::string& path);
// A text value checked by `parse` (returns nullopt when the format is wrong);
// `expected` completes "expected ..." in the message.
template <typename T, typename Parse>
std::optional<T> ReadFormatted(ErrorList& errors, const YAML::Node& node, const std::string& path,
                               Parse parse, const std::string& expected) {
  if (!node.IsScalar()) {
    errors.Add(node, path + ": expected " + expected + ", got " + Describe(node));
    return std::nullopt;
  }
  std::optional<T> value = parse(node.Scalar());
  if (!value) errors.Add(node, path + ": expected " + expected + ", got " + Describe(node));
  return value;
}
// Calls `each(item, "path[i]")` for every element; reports a non-list.
void ForEachItem(ErrorList& errors, const YAML::Node& node, const std::string& path,
                 const std::function<void(const YAML::Node&, const std::string&)>& each);

// One YAML mapping with a fixed set of allowed keys. Construction reports a
// non-mapping, unknown keys (with a "did you mean" and the allowed list),
// duplicate keys and keys that are not text.
class MapReader {
 public:
  MapReader(ErrorList& errors, const YAML::Node& node, std::string path,
            std::vector<std::string> allowed);

  bool is_map() const { return is_map_; }
  const YAML::Node& node() const { return node_; }
  std::string PathOf(const std::string& key) const;

  // The value under `key`, if present; with kRequired a missing key is reported.
  std::optional<YAML::Node> Get(const std::string& key, Need need = Need::kOptional);

  // Typed reads into `out`, which keeps its default when the key is absent or
  // wrong. Return true when a valid value was read.
  bool Text(const std::string& key, std::string& out, Need need);
  bool Id(const std::string& key, std::string& out, Need need);  // config_values::IsIdentifier
  bool Bool(const std::string& key, bool& out, Need need);
  template <typename Int>
  bool Integer(const std::string& key, Int& out, long long min, long long max, Need need) {
    long long v = 0;
    if (!ReadInteger(key, v, min, max, need)) return false;
    out = static_cast<Int>(v);
    return true;
  }
  template <typename T, typename Parse>
  bool Formatted(const std::string& key, T& out, Need need, Parse parse,
                 const std::string& expected) {
    std::optional<YAML::Node> v = Get(key, need);
    if (!v) return false;
    std::optional<T> parsed = ReadFormatted<T>(errors_, *v, PathOf(key), parse, expected);
    if (parsed) out = std::move(*parsed);
    return parsed.has_value();
  }

 private:
  bool ReadInteger(const std::string& key, long long& out, long long min, long long max, Need need);

  ErrorList& errors_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> allowed_;
  bool is_map_ = false;
  std::map<std::string, YAML::Node> values_;
};

// Ids defined by one list: reports duplicates ("first defined at line N") and
// references to ids that do not exist (with a "did you mean").
class IdSet {
 public:
  IdSet(ErrorList& errors, std::string what) : errors_(errors), what_(std::move(what)) {}
  // Registers `id` found at `node`; reports a duplicate and returns false.
  bool Define(const std::string& id, const YAML::Node& node, const std::string& path);
  bool Contains(const std::string& id) const { return lines_.contains(id); }
  // Reports `path: unknown <what> "id"` unless defined; returns whether it is.
  bool CheckReference(const std::string& id, const YAML::Node& node, const std::string& path);
  std::vector<std::string> ids() const { return order_; }

 private:
  ErrorList& errors_;
  std::string what_;
  std::map<std::string, int> lines_;
  std::vector<std::string> order_;
};

// "a, b, c"
std::string JoinList(const std::vector<std::string>& items);

}  // namespace gosline::yaml_reader
