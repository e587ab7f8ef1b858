// Edits one value of a YAML file in place, as text: the lines of the value at
// a key path are replaced and every other line (comments, blank lines,
// alignment) stays byte for byte, so an edit made from the administration
// screen leaves the rest of a hand-written config/gosline.yaml as it was.
//
// The key path names block mappings by indentation ("security", "abuse",
// "block"). A value written inline (`block: []  # comment`) is replaced on its
// line and keeps its comment; a missing key is appended under its parent. Where
// the path runs into a flow mapping (`sessions: {idle_minutes: 30}`) the
// nearest block-style ancestor is rewritten instead. Every result is parsed
// again and compared with the intended document, so a splice that would change
// anything else is refused rather than written.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace gosline::yaml_splice {

using KeyPath = std::vector<std::string>;

struct Splice {
  std::string text;    // the whole new document
  int first_line = 0;  // 1-based line of `text` where the new value starts
  int line_count = 0;  // how many lines it spans there
  int column = 0;      // 1-based column of its first character on first_line
  // Columns put in front of each line of a value given as text (ReplaceValueText),
  // so a position in `text` maps back to the submitted text.
  int indent = 0;
};

// The value at `path` as written in `text` (comments inside it included),
// without the indentation it has there; nullopt when the key is missing.
// A value inside a flow mapping is emitted from the parsed node instead.
std::optional<std::string> ValueText(const std::string& text, const KeyPath& path);

// `text` with the value at `path` replaced by `value`, emitted in block style
// (flow-style collections of `value` stay flow). A block list of scalars given
// a new list of scalars is edited item by item instead, so the lines (and
// comments) of the items that stay are kept. InvalidArgument when `text` is
// not YAML or `path` runs through a list or a scalar.
Result<Splice> ReplaceValue(const std::string& text, const KeyPath& path, const YAML::Node& value);

// The same with the value given as YAML text, which is kept as written
// (comments included), only indented. InvalidArgument when it is not YAML.
Result<Splice> ReplaceValueText(const std::string& text, const KeyPath& path,
                                const std::string& value_yaml);

// Block-style YAML for `value`, no trailing newline. A string scalar that would
// read as something else without quotes ("115", "09:00-18:00", "true") is
// double-quoted when the node says it is a string (tag "!", as quoted YAML and
// JSON strings have).
std::string Emit(const YAML::Node& value);

// Whether two parsed documents say the same (scalars compared as text).
bool SameYaml(const YAML::Node& a, const YAML::Node& b);

}  // namespace gosline::yaml_splice
