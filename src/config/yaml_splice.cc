#include "config/yaml_splice.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace gosline::yaml_splice {
namespace {

// The document as lines without their '\n'.
struct Lines {
  std::vector<std::string> lines;
  bool trailing_newline = true;
};

Lines Split(const std::string& text) {
  Lines out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.lines.push_back(text.substr(start));
      out.trailing_newline = false;
      break;
    }
    out.lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines, bool trailing_newline) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || trailing_newline) out += '\n';
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int IndentOf(std::string_view line) {
  int n = 0;
  while (static_cast<size_t>(n) < line.size() && line[static_cast<size_t>(n)] == ' ') ++n;
  return n;
}

bool IsBlankOrComment(std::string_view line) {
  const size_t i = line.find_first_not_of(" \t\r");
  return i == std::string_view::npos || line[i] == '#';
}

// "- x" or a lone "-" at column `indent`: a block sequence item.
bool IsDashAt(std::string_view line, int indent) {
  const auto i = static_cast<size_t>(indent);
  return i < line.size() && line[i] == '-' && (i + 1 == line.size() || IsSpace(line[i + 1]));
}

std::string TrimSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// The key a line starts with at `indent` and where its ':' is.
struct KeyMatch {
  std::string key;
  size_t colon = 0;
};

std::optional<KeyMatch> KeyOn(std::string_view line, int indent) {
  if (static_cast<size_t>(indent) >= line.size()) return std::nullopt;
  const std::string_view s = line.substr(static_cast<size_t>(indent));
  const char c = s[0];
  size_t i = 0;
  std::string key;
  if (c == '"' || c == '\'') {
    for (i = 1; i < s.size(); ++i) {
      if (c == '"' && s[i] == '\\' && i + 1 < s.size()) {
        key += s[++i];
      } else if (s[i] == c) {
        if (c == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
          key += '\'';
          ++i;
        } else {
          break;
        }
      } else {
        key += s[i];
      }
    }
    if (i >= s.size()) return std::nullopt;
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != ':') return std::nullopt;
  } else {
    if (std::string_view("#[{?&*!|>%@`'\"").find(c) != std::string_view::npos) return std::nullopt;
    if (IsDashAt(s, 0)) return std::nullopt;
    for (i = 0; i < s.size(); ++i) {
      if (s[i] == '#' && i > 0 && IsSpace(s[i - 1])) return std::nullopt;
      if (s[i] == ':' && (i + 1 == s.size() || IsSpace(s[i + 1]))) break;
    }
    if (i >= s.size()) return std::nullopt;
    key = TrimSpace(s.substr(0, i));
  }
  if (i + 1 < s.size() && !IsSpace(s[i + 1])) return std::nullopt;
  return KeyMatch{key, static_cast<size_t>(indent) + i};
}

// What follows a key's ':' on its line: the value written there, the blanks
// before a comment and the comment.
struct Rest {
  std::string value;
  std::string gap;
  std::string comment;
};

Rest SplitRest(std::string_view line, size_t colon) {
  const std::string_view r = line.substr(colon + 1);
  char quote = 0;
  char last = ':';  // the last character outside blanks: a quote opens a token only after these
  size_t comment_at = std::string_view::npos;
  for (size_t i = 0; i < r.size(); ++i) {
    const char ch = r[i];
    if (quote != 0) {
      if (quote == '"' && ch == '\\') {
        ++i;
      } else if (ch == quote) {
        if (quote == '\'' && i + 1 < r.size() && r[i + 1] == '\'') {
          ++i;
        } else {
          quote = 0;
          last = ch;
        }
      }
      continue;
    }
    if ((ch == '"' || ch == '\'') && std::string_view(":[{,").find(last) != std::string_view::npos) {
      quote = ch;
      continue;
    }
    if (ch == '#' && (i == 0 || IsSpace(r[i - 1]))) {
      comment_at = i;
      break;
    }
    if (!IsSpace(ch)) last = ch;
  }
  Rest rest;
  const std::string_view before = r.substr(0, comment_at);
  rest.value = TrimSpace(before);
  if (comment_at != std::string_view::npos) {
    size_t e = before.size();
    while (e > 0 && IsSpace(before[e - 1])) --e;
    rest.gap = std::string(before.substr(e));
    if (rest.gap.empty()) rest.gap = " ";  // at least one blank before a kept comment
    rest.comment = TrimSpace(r.substr(comment_at));
  }
  return rest;
}

// A key found in the text, with the lines its value takes.
struct Found {
  size_t line = 0;       // the key's line
  int indent = 0;        // the key's column - 1
  size_t colon = 0;
  Rest rest;
  size_t last = 0;       // last line with content of the value (== line: none below)
  int child_indent = -1; // indentation of the first line below that belongs to the value
};

// Indentation of the first line with content in [begin, end), -1 if none.
int FirstIndent(const Lines& doc, size_t begin, size_t end, size_t* at = nullptr) {
  for (size_t i = begin; i < end; ++i) {
    if (IsBlankOrComment(doc.lines[i])) continue;
    if (at != nullptr) *at = i;
    return IndentOf(doc.lines[i]);
  }
  return -1;
}

Found ExtentOf(const Lines& doc, size_t line, int indent, size_t colon, size_t end) {
  Found f;
  f.line = line;
  f.indent = indent;
  f.colon = colon;
  f.rest = SplitRest(doc.lines[line], colon);
  f.last = line;
  for (size_t j = line + 1; j < end; ++j) {
    const std::string& l = doc.lines[j];
    if (IsBlankOrComment(l)) continue;
    const int ji = IndentOf(l);
    // A sequence may sit at its key's own indentation ("key:\n- a").
    if (ji > indent || (ji == indent && f.rest.value.empty() && IsDashAt(l, ji))) {
      f.last = j;
      if (f.child_indent < 0) f.child_indent = ji;
      continue;
    }
    break;
  }
  return f;
}

// The key `key` among the block mapping in lines [begin, end).
std::optional<Found> FindKey(const Lines& doc, size_t begin, size_t end, const std::string& key) {
  size_t first = 0;
  const int indent = FirstIndent(doc, begin, end, &first);
  if (indent < 0 || IsDashAt(doc.lines[first], indent)) return std::nullopt;
  for (size_t i = first; i < end; ++i) {
    const std::string& l = doc.lines[i];
    if (IsBlankOrComment(l) || IndentOf(l) != indent) continue;
    std::optional<KeyMatch> k = KeyOn(l, indent);
    if (k && k->key == key) return ExtentOf(doc, i, indent, k->colon, end);
  }
  return std::nullopt;
}

std::string PathText(const KeyPath& path, size_t upto) {
  std::string out;
  for (size_t i = 0; i < upto && i < path.size(); ++i) out += (i ? "." : "") + path[i];
  return out;
}

Result<YAML::Node> Parse(const std::string& text, const std::string& what) {
  // yaml-cpp stops reading at a NUL byte, so text after one would be in the
  // file but in no parsed document: the check that a splice changed only its
  // value would compare truncated documents (found by fuzz/yaml_splice_fuzzer).
  if (text.find('\0') != std::string::npos) {
    return Status::InvalidArgument(what + " is not YAML: it contains a NUL byte");
  }
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(what + " is not YAML: line " + std::to_string(e.mark.line + 1) +
                                   ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

// Sets root[path] = value, making mappings on the way; refuses to go through
// a list or a scalar.
Status SetAt(YAML::Node& root, const KeyPath& path, const YAML::Node& value) {
  // An empty document parses to a null node with no storage yet; a copy of
  // it made into a mapping would leave `root` null, so it becomes one here.
  if (!path.empty() && (!root.IsDefined() || root.IsNull())) root = YAML::Node(YAML::NodeType::Map);
  YAML::Node n = root;
  for (size_t i = 0; i < path.size(); ++i) {
    if (!n.IsMap() && !n.IsNull()) {
      return Status::InvalidArgument(
          (i == 0 ? std::string("the document") : PathText(path, i)) + " is not a mapping");
    }
    if (i + 1 == path.size()) {
      n[path[i]] = value;
    } else {
      if (!n[path[i]]) n[path[i]] = YAML::Node(YAML::NodeType::Null);
      YAML::Node child = n[path[i]];
      n.reset(child);
    }
  }
  return Status::Ok();
}

bool LooksLikeNonString(const std::string& s) {
  if (s.empty()) return true;
  if (std::string_view("0123456789+-.~").find(s.front()) != std::string_view::npos) return true;
  if (s.find(':') != std::string::npos || s.find('#') != std::string::npos) return true;
  std::string lower = s;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* word : {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}) {
    if (lower == word) return true;
  }
  return false;
}

bool IsStringTag(const std::string& tag) {
  return tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
}

void EmitNode(YAML::Emitter& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out << YAML::Null;
      return;
    case YAML::NodeType::Scalar:
      if (IsStringTag(n.Tag()) && LooksLikeNonString(n.Scalar())) out << YAML::DoubleQuoted;
      out << n.Scalar();
      return;
    case YAML::NodeType::Sequence:
      // Empty collections as [] and {} on the key's line (block style would put them below).
      if (n.Style() == YAML::EmitterStyle::Flow || n.size() == 0) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const YAML::Node& item : n) EmitNode(out, item);
      out << YAML::EndSeq;
      return;
    case YAML::NodeType::Map:
      if (n.Style() == YAML::EmitterStyle::Flow || n.size() == 0) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& kv : n) {
        out << YAML::Key;
        EmitNode(out, kv.first);
        out << YAML::Value;
        EmitNode(out, kv.second);
      }
      out << YAML::EndMap;
      return;
  }
}

// How a value is laid out after its key: text on the key's line, lines below.
struct Rendered {
  std::string on_key_line;
  std::vector<std::string> below;
  int stripped = 0;  // indentation removed from the submitted text
};

bool FitsOnKeyLine(const YAML::Node& n, const std::string& emitted) {
  if (emitted.find('\n') != std::string::npos) return false;
  return !n.IsMap() && !n.IsSequence() ? true : n.size() == 0 || n.Style() == YAML::EmitterStyle::Flow;
}

Rendered FromNode(const YAML::Node& value) {
  Rendered r;
  const std::string emitted = Emit(value);
  if (FitsOnKeyLine(value, emitted)) {
    r.on_key_line = emitted;
  } else {
    r.below = Split(emitted).lines;
  }
  return r;
}

Rendered FromText(const std::string& text, const YAML::Node& value) {
  std::vector<std::string> lines = Split(text).lines;
  while (!lines.empty() && TrimSpace(lines.back()).empty()) lines.pop_back();
  size_t content = 0;
  int common = -1;
  for (const std::string& l : lines) {
    if (IsBlankOrComment(l)) continue;
    ++content;
    common = common < 0 ? IndentOf(l) : std::min(common, IndentOf(l));
  }
  const std::string emitted = Emit(value);
  if (content <= 1 && FitsOnKeyLine(value, emitted)) return FromNode(value);
  Rendered r;
  r.stripped = std::max(common, 0);
  for (std::string& l : lines) {
    const int strip = std::min(IndentOf(l), r.stripped);
    r.below.push_back(l.substr(static_cast<size_t>(strip)));
  }
  // A block scalar's header ("|", ">-") stays on the key's line.
  if (!r.below.empty() && value.IsScalar() && !r.below.front().empty() &&
      (r.below.front()[0] == '|' || r.below.front()[0] == '>')) {
    r.on_key_line = r.below.front();
    r.below.erase(r.below.begin());
  }
  return r;
}

std::string KeyText(const std::string& key) {
  YAML::Node k(key);
  k.SetTag("!");
  return Emit(k);
}

// Writes `key: value` (rendered) over the lines [first, last] of `doc`.
// `prefix` is the key line up to and including its ':'.
Splice Put(const Lines& doc, size_t first, size_t last, const std::string& prefix, int indent,
           int child_indent, const Rest& kept, const Rendered& value) {
  std::vector<std::string> out(doc.lines.begin(), doc.lines.begin() + static_cast<long>(first));
  std::string key_line = prefix;
  if (!value.on_key_line.empty()) key_line += " " + value.on_key_line;
  if (!kept.comment.empty()) key_line += kept.gap + kept.comment;
  Splice s;
  s.first_line = static_cast<int>(first) + 1;
  s.line_count = 1;
  s.column = static_cast<int>(prefix.size()) + 2;
  out.push_back(key_line);
  const int ci = child_indent > indent ? child_indent : indent + 2;
  if (!value.below.empty()) {
    if (value.on_key_line.empty()) {
      s.first_line += 1;
      s.line_count = 0;
    }
    s.column = ci + 1;
    s.indent = ci - value.stripped;
    for (const std::string& l : value.below) {
      out.push_back(l.empty() ? l : std::string(static_cast<size_t>(ci), ' ') + l);
      ++s.line_count;
    }
  }
  if (last + 1 <= doc.lines.size()) {
    out.insert(out.end(), doc.lines.begin() + static_cast<long>(last + 1), doc.lines.end());
  }
  s.text = Join(out, doc.trailing_newline || doc.lines.empty());
  return s;
}

Splice ReplaceFound(const Lines& doc, const Found& f, const Rendered& value) {
  const std::string prefix = doc.lines[f.line].substr(0, f.colon + 1);
  return Put(doc, f.line, f.last, prefix, f.indent, f.child_indent, f.rest, value);
}

// Adds `key: value` as the last entry of the mapping in [begin, end) under
// `parent` (none: the top level, at the end of the document).
Splice Insert(const Lines& doc, const Found* parent, size_t begin, size_t end,
              const std::string& key, const Rendered& value) {
  int indent = FirstIndent(doc, begin, end);
  if (indent < 0) indent = parent == nullptr ? 0 : parent->indent + 2;
  size_t after = doc.lines.size();  // insert before this line
  if (parent != nullptr) after = parent->last + 1;
  Lines copy = doc;
  copy.lines.insert(copy.lines.begin() + static_cast<long>(after), std::string());
  const std::string prefix = std::string(static_cast<size_t>(indent), ' ') + KeyText(key) + ":";
  return Put(copy, after, after, prefix, indent, -1, Rest{}, value);
}

// The scalar a one-line block sequence item "- x  # comment" holds.
std::optional<std::string> ItemScalar(const std::string& line, int indent) {
  if (!IsDashAt(line, indent)) return std::nullopt;
  // SplitRest reads what follows a ':'; the dash plays that part here.
  const Rest rest = SplitRest(line, static_cast<size_t>(indent));
  if (rest.value.empty() ||
      std::string_view("[{|>&*!-?").find(rest.value.front()) != std::string_view::npos) {
    return std::nullopt;
  }
  try {
    const YAML::Node n = YAML::Load(rest.value);
    if (!n.IsScalar()) return std::nullopt;
    return n.Scalar();
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

// A block list of one-line scalars replaced by another list of scalars, item
// by item: items that stay keep their line and comment, removed ones go, new
// ones are inserted where they stand in the new list (the holidays' notes on
// the production calendar survive adding a date). nullopt: not such a list.
std::optional<Splice> MergeList(const Lines& doc, const Found& f, const YAML::Node& value) {
  if (!value.IsSequence() || value.size() == 0 || value.Style() == YAML::EmitterStyle::Flow ||
      !f.rest.value.empty() || f.child_indent < 0) {
    return std::nullopt;
  }
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) return std::nullopt;
  }
  const int ci = f.child_indent;
  auto item_line = [ci](const YAML::Node& item) {
    return std::string(static_cast<size_t>(ci), ' ') + "- " + Emit(item);
  };
  std::vector<std::string> region;
  size_t j = 0;
  for (size_t i = f.line + 1; i <= f.last; ++i) {
    const std::string& l = doc.lines[i];
    if (IsBlankOrComment(l)) {
      region.push_back(l);
      continue;
    }
    if (IndentOf(l) != ci) return std::nullopt;
    std::optional<std::string> old = ItemScalar(l, ci);
    if (!old) return std::nullopt;
    size_t k = j;
    while (k < value.size() && value[k].Scalar() != *old) ++k;
    if (k == value.size()) continue;  // removed
    for (; j < k; ++j) region.push_back(item_line(value[j]));
    region.push_back(l);
    j = k + 1;
  }
  for (; j < value.size(); ++j) region.push_back(item_line(value[j]));
  std::vector<std::string> out(doc.lines.begin(), doc.lines.begin() + static_cast<long>(f.line) + 1);
  out.insert(out.end(), region.begin(), region.end());
  out.insert(out.end(), doc.lines.begin() + static_cast<long>(f.last) + 1, doc.lines.end());
  Splice s;
  s.text = Join(out, doc.trailing_newline);
  s.first_line = static_cast<int>(f.line) + 2;
  s.line_count = static_cast<int>(region.size());
  s.column = ci + 1;
  s.indent = ci;
  return s;
}

// The value at `path`, rendered, written into `text`. With `merge`, a list of
// scalars replacing a block list is merged item by item (MergeList).
Result<Splice> Place(const std::string& text, const KeyPath& path, const YAML::Node& value,
                     const Rendered& rendered, bool merge) {
  if (path.empty()) return Status::InvalidArgument("empty key path");
  const Lines doc = Split(text);
  size_t begin = 0, end = doc.lines.size();
  std::optional<Found> parent;
  for (size_t d = 0; d < path.size(); ++d) {
    std::optional<Found> f = FindKey(doc, begin, end, path[d]);
    if (!f) {
      size_t first = 0;
      const int indent = FirstIndent(doc, begin, end, &first);
      if (indent >= 0 && IsDashAt(doc.lines[first], indent)) {
        return Status::InvalidArgument(PathText(path, d) + " is a list, not a mapping");
      }
      if (d + 1 == path.size()) {
        return Insert(doc, parent ? &*parent : nullptr, begin, end, path[d], rendered);
      }
      YAML::Node nested(YAML::NodeType::Map);
      GOSLINE_RETURN_IF_ERROR(SetAt(nested, KeyPath(path.begin() + static_cast<long>(d) + 1, path.end()), value));
      return Insert(doc, parent ? &*parent : nullptr, begin, end, path[d], FromNode(nested));
    }
    if (d + 1 == path.size()) {
      if (merge) {
        if (std::optional<Splice> merged = MergeList(doc, *f, value)) return *merged;
      }
      return ReplaceFound(doc, *f, rendered);
    }
    if (!f->rest.value.empty()) {
      // A flow mapping or a scalar on the key's line: rewrite this key's whole value.
      GOSLINE_ASSIGN_OR_RETURN(YAML::Node root, Parse(text, "the document"));
      YAML::Node here = root;
      for (size_t i = 0; i <= d; ++i) {
        YAML::Node child = here[path[i]];
        here.reset(child);
      }
      YAML::Node rebuilt = YAML::Clone(here);
      GOSLINE_RETURN_IF_ERROR(SetAt(rebuilt, KeyPath(path.begin() + static_cast<long>(d) + 1, path.end()), value));
      return ReplaceFound(doc, *f, FromNode(rebuilt));
    }
    begin = f->line + 1;
    end = f->last + 1;
    parent = f;
  }
  return Status::Internal("unreachable");
}

// Places the value and proves the result says what was meant: the old
// document with only `path` changed.
Result<Splice> PlaceChecked(const std::string& text, const KeyPath& path, const YAML::Node& value,
                            const Rendered& rendered, bool merge) {
  GOSLINE_ASSIGN_OR_RETURN(YAML::Node before, Parse(text, "the document"));
  YAML::Node expected = YAML::Clone(before);
  GOSLINE_RETURN_IF_ERROR(SetAt(expected, path, value));
  Result<Splice> s = Place(text, path, value, rendered, merge);
  if (!s.ok()) return s;
  Result<YAML::Node> after = Parse(s->text, "the edited document");
  if (!after.ok() || !SameYaml(expected, *after)) {
    return Status::InvalidArgument("the new value of " + PathText(path, path.size()) +
                                   " cannot be written into the file without changing its "
                                   "meaning (check its indentation)");
  }
  return s;
}

}  // namespace

std::string Emit(const YAML::Node& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetMapFormat(YAML::Block);
  out.SetSeqFormat(YAML::Block);
  EmitNode(out, value);
  return out.c_str();
}

bool SameYaml(const YAML::Node& a, const YAML::Node& b) {
  const bool a_null = !a.IsDefined() || a.IsNull();
  const bool b_null = !b.IsDefined() || b.IsNull();
  if (a_null || b_null) return a_null == b_null;
  if (a.Type() != b.Type()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar();
  if (a.size() != b.size()) return false;
  if (a.IsSequence()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameYaml(a[i], b[i])) return false;
    }
    return true;
  }
  auto ia = a.begin();
  auto ib = b.begin();
  for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
    if (!SameYaml(ia->first, ib->first) || !SameYaml(ia->second, ib->second)) return false;
  }
  return true;
}

std::optional<std::string> ValueText(const std::string& text, const KeyPath& path) {
  const Lines doc = Split(text);
  size_t begin = 0, end = doc.lines.size();
  for (size_t d = 0; d < path.size(); ++d) {
    std::optional<Found> f = FindKey(doc, begin, end, path[d]);
    if (!f || (d + 1 < path.size() && !f->rest.value.empty())) break;
    if (d + 1 < path.size()) {
      begin = f->line + 1;
      end = f->last + 1;
      continue;
    }
    std::vector<std::string> out;
    if (!f->rest.value.empty()) out.push_back(f->rest.value);
    int common = -1;
    for (size_t i = f->line + 1; i <= f->last; ++i) {
      if (!IsBlankOrComment(doc.lines[i])) {
        const int in = IndentOf(doc.lines[i]);
        common = common < 0 ? in : std::min(common, in);
      }
    }
    for (size_t i = f->line + 1; i <= f->last; ++i) {
      const std::string& l = doc.lines[i];
      const int strip = std::min(IndentOf(l), std::max(common, 0));
      out.push_back(TrimSpace(l).empty() ? std::string() : l.substr(static_cast<size_t>(strip)));
    }
    return Join(out, false);
  }
  // Not reachable as text (inside a flow mapping) or missing: ask the parser.
  Result<YAML::Node> root = Parse(text, "the document");
  if (!root.ok()) return std::nullopt;
  YAML::Node n = *root;
  for (const std::string& key : path) {
    if (!n.IsMap() || !n[key]) return std::nullopt;
    YAML::Node child = n[key];
    n.reset(child);
  }
  return Emit(n);
}

Result<Splice> ReplaceValue(const std::string& text, const KeyPath& path, const YAML::Node& value) {
  // A mapping with the same keys in the same order is edited member by
  // member, so the members that did not change keep their lines and comments.
  if (value.IsMap() && value.Style() != YAML::EmitterStyle::Flow) {
    GOSLINE_ASSIGN_OR_RETURN(YAML::Node root, Parse(text, "the document"));
    YAML::Node old = root;
    bool found = true;
    for (const std::string& key : path) {
      const YAML::Node& here = old;
      if (!here.IsMap() || !here[key]) {
        found = false;
        break;
      }
      YAML::Node child = here[key];
      old.reset(child);
    }
    bool same_keys = found && old.IsMap() && old.size() == value.size() && value.size() > 0;
    auto b = value.begin();
    for (auto a = old.begin(); same_keys && a != old.end(); ++a, ++b) {
      same_keys = a->first.Scalar() == b->first.Scalar();
    }
    if (same_keys) {
      Splice out;
      out.text = text;
      bool members = true;
      for (const auto& kv : value) {
        const std::string key = kv.first.Scalar();
        if (SameYaml(static_cast<const YAML::Node&>(old)[key], kv.second)) continue;
        KeyPath member = path;
        member.push_back(key);
        Result<Splice> s = ReplaceValue(out.text, member, kv.second);
        if (!s.ok()) {
          members = false;
          break;
        }
        if (out.first_line == 0) out = *s;
        out.text = s->text;
      }
      if (members) {
        if (out.first_line == 0) out.first_line = 1;  // nothing changed
        return out;
      }
    }
  }
  return PlaceChecked(text, path, value, FromNode(value), true);
}

Result<Splice> ReplaceValueText(const std::string& text, const KeyPath& path,
                                const std::string& value_yaml) {
  GOSLINE_ASSIGN_OR_RETURN(YAML::Node value, Parse(value_yaml, "the new value"));
  return PlaceChecked(text, path, value, FromText(value_yaml, value), false);
}

}  // namespace gosline::yaml_splice
