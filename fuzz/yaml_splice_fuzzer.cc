// The YAML splice behind every live configuration edit (app/admin
// ConfigEditor): a value submitted from the administration screen replaces
// the value at a key path in the configuration text, every other line kept.
// Input: "<key.path>\n<value YAML>\n=====\n<document YAML>". Oracles: an
// accepted splice is YAML whose value at the path says what was submitted,
// and ValueText reads it back; the same edit given as a parsed node agrees.
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/yaml_splice.h"
#include "fuzz_check.h"

using namespace gosline::yaml_splice;

namespace {

constexpr std::string_view kSeparator = "\n=====\n";

KeyPath PathOf(std::string_view line) {
  KeyPath path;
  while (!line.empty() && path.size() < 6) {
    const size_t dot = line.find('.');
    path.emplace_back(line.substr(0, dot));
    line = dot == std::string_view::npos ? std::string_view() : line.substr(dot + 1);
  }
  return path;
}

// The node at `path`, or an undefined node; yaml-cpp's operator[] on a const
// node never inserts.
YAML::Node At(const YAML::Node& root, const KeyPath& path) {
  YAML::Node node = root;
  for (const std::string& key : path) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& as_const = node;
    node.reset(as_const[key]);
  }
  return node;
}

void CheckSplice(const std::string& document, const KeyPath& path, const YAML::Node& value,
                 const Splice& splice) {
  YAML::Node spliced;
  try {
    spliced = YAML::Load(splice.text);
  } catch (const YAML::Exception&) {
    FUZZ_CHECK(!"a splice that was accepted does not parse");
  }
  const YAML::Node at = At(spliced, path);
  if (!at.IsDefined() || !SameYaml(at, value)) {
    // The spliced text, for whoever reads the crash report.
    std::fprintf(stderr, "spliced document:\n");
    std::fwrite(splice.text.data(), 1, splice.text.size(), stderr);
    std::fprintf(stderr, "\n");
  }
  FUZZ_CHECK(at.IsDefined());
  FUZZ_CHECK(SameYaml(at, value));
  FUZZ_CHECK(ValueText(splice.text, path).has_value());
  FUZZ_CHECK(splice.first_line >= 1);
  (void)document;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const size_t sep = input.find(kSeparator);
  if (eol == std::string_view::npos || sep == std::string_view::npos || sep < eol) return 0;
  const KeyPath path = PathOf(input.substr(0, eol));
  if (path.empty()) return 0;
  const std::string value_text(sep == eol ? std::string_view() : input.substr(eol + 1, sep - eol - 1));
  const std::string document(input.substr(sep + kSeparator.size()));

  (void)ValueText(document, path);
  gosline::Result<Splice> as_text = ReplaceValueText(document, path, value_text);
  if (!as_text.ok()) return 0;
  YAML::Node value;
  try {
    value = YAML::Load(value_text);
  } catch (const YAML::Exception&) {
    FUZZ_CHECK(!"ReplaceValueText accepted a value that is not YAML");
  }
  CheckSplice(document, path, value, *as_text);

  gosline::Result<Splice> as_node = ReplaceValue(document, path, value);
  if (as_node.ok()) CheckSplice(document, path, value, *as_node);
  return 0;
}
