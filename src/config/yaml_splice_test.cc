// Splicing values into YAML text: the edited value changes, every other line
// stays byte for byte, and the result loads as the same config but for the edit.
#include "config/yaml_splice.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"

namespace gosline::yaml_splice {
namespace {

const std::string kDoc =
    "# top comment\n"
    "service:\n"
    "  name: Line   # the name\n"
    "  numbers:\n"
    "    - \"115\"     # short\n"
    "    - \"88001007010\"\n"
    "  languages: [ru, en]  # both\n"
    "\n"
    "# --- security ---\n"
    "security:\n"
    "  sessions: {idle_minutes: 30, absolute_minutes: 720}\n"
    "  abuse:\n"
    "    enabled: true\n"
    "    block: []             # e.g. [\"+79001234567\"]\n"
    "    # never limited\n"
    "    allow: [\"+79161234567\"]\n"
    "list:\n"
    "- a\n"
    "- b\n"
    "tail: 1   # last\n";

YAML::Node Strings(std::initializer_list<const char*> items) {
  YAML::Node n(YAML::NodeType::Sequence);
  for (const char* s : items) {
    YAML::Node item(s);
    item.SetTag("!");
    n.push_back(item);
  }
  return n;
}

std::vector<std::string> LinesOf(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The lines of `after` outside the splice equal those of `before` around the old value.
void ExpectOnlySpliceChanged(const std::string& before, const Splice& s) {
  const auto a = LinesOf(before), b = LinesOf(s.text);
  const size_t head = static_cast<size_t>(s.first_line - 1);
  for (size_t i = 0; i + 1 < head && i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "line " << i + 1;
  const size_t tail_b = b.size() - (static_cast<size_t>(s.first_line - 1 + s.line_count));
  ASSERT_LE(tail_b, a.size());
  for (size_t k = 1; k <= tail_b; ++k) EXPECT_EQ(a[a.size() - k], b[b.size() - k]);
}

TEST(YamlSpliceTest, InlineFlowValueBecomesABlockListKeepingItsComment) {
  Result<Splice> s = ReplaceValue(kDoc, {"security", "abuse", "block"}, Strings({"+79001234567", "+7809*"}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("    block:             # e.g. [\"+79001234567\"]\n"
                         "      - \"+79001234567\"\n"
                         "      - \"+7809*\"\n"
                         "    # never limited\n"),
            std::string::npos)
      << s->text;
  EXPECT_EQ(s->first_line, 15);
  EXPECT_EQ(s->line_count, 2);
  ExpectOnlySpliceChanged(kDoc, *s);
  EXPECT_EQ(YAML::Load(s->text)["security"]["abuse"]["block"][1].as<std::string>(), "+7809*");
}

TEST(YamlSpliceTest, BlockListIsReplacedAndEmptyListGoesInline) {
  Result<Splice> s = ReplaceValue(kDoc, {"service", "numbers"}, Strings({"122"}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("  numbers:\n    - \"122\"\n  languages: [ru, en]  # both\n"), std::string::npos)
      << s->text;
  Result<Splice> empty = ReplaceValue(kDoc, {"service", "numbers"}, YAML::Node(YAML::NodeType::Sequence));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_NE(empty->text.find("  numbers: []\n  languages:"), std::string::npos) << empty->text;
  Result<Splice> seq = ReplaceValue(kDoc, {"list"}, Strings({"c"}));
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  // An indentless list stays indentless: its lines are edited item by item.
  EXPECT_NE(seq->text.find("list:\n- c\ntail: 1   # last\n"), std::string::npos) << seq->text;
}

TEST(YamlSpliceTest, ListsOfScalarsAreEditedItemByItemKeepingComments) {
  const std::string doc =
      "holidays:\n"
      "  dates:\n"
      "    # 2026\n"
      "    - \"2026-01-01\"\n"
      "    - \"2026-01-09\"   # transferred\n"
      "    # 2027, provisional\n"
      "    - \"2027-01-01\"\n"
      "  working_days: []\n";
  Result<Splice> s = ReplaceValue(doc, {"holidays", "dates"},
                                  Strings({"2026-01-01", "2026-01-09", "2026-05-01", "2027-12-31"}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->text,
            "holidays:\n"
            "  dates:\n"
            "    # 2026\n"
            "    - \"2026-01-01\"\n"
            "    - \"2026-01-09\"   # transferred\n"
            "    # 2027, provisional\n"
            "    - \"2026-05-01\"\n"
            "    - \"2027-12-31\"\n"
            "  working_days: []\n");
  Result<Splice> removed = ReplaceValue(doc, {"holidays", "dates"}, Strings({"2027-01-01"}));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->text,
            "holidays:\n  dates:\n    # 2026\n    # 2027, provisional\n    - \"2027-01-01\"\n"
            "  working_days: []\n");
}

TEST(YamlSpliceTest, ScalarsKeepTheirLineAndComment) {
  YAML::Node name("Новая линия");
  name.SetTag("!");
  Result<Splice> s = ReplaceValue(kDoc, {"service", "name"}, name);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("  name: Новая линия   # the name\n"), std::string::npos) << s->text;
  EXPECT_EQ(s->first_line, 3);
  EXPECT_EQ(s->column, 9);
  Result<Splice> t = ReplaceValue(kDoc, {"tail"}, YAML::Node(2));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->text.ends_with("tail: 2   # last\n")) << t->text;
}

TEST(YamlSpliceTest, MissingKeysAreAppendedUnderTheirParent) {
  Result<Splice> s = ReplaceValue(kDoc, {"security", "abuse", "block_status"}, YAML::Node(603));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("    allow: [\"+79161234567\"]\n    block_status: 603\nlist:"), std::string::npos)
      << s->text;
  Result<Splice> deep = ReplaceValue(kDoc, {"security", "lockout", "window_minutes"}, YAML::Node(5));
  ASSERT_TRUE(deep.ok()) << deep.status().ToString();
  EXPECT_NE(deep->text.find("  lockout:\n    window_minutes: 5\nlist:"), std::string::npos) << deep->text;
  Result<Splice> top = ReplaceValue(kDoc, {"hours"}, Strings({"x"}));
  ASSERT_TRUE(top.ok()) << top.status().ToString();
  EXPECT_TRUE(top->text.ends_with("tail: 1   # last\nhours:\n  - x\n")) << top->text;
}

TEST(YamlSpliceTest, AValueInsideAFlowMappingRewritesThatMapping) {
  Result<Splice> s = ReplaceValue(kDoc, {"security", "sessions", "idle_minutes"}, YAML::Node(45));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("  sessions: {idle_minutes: 45, absolute_minutes: 720}\n"), std::string::npos)
      << s->text;
  EXPECT_EQ(ValueText(kDoc, {"security", "sessions", "absolute_minutes"}), "720");
}

TEST(YamlSpliceTest, PathsThroughListsAreRefused) {
  Result<Splice> s = ReplaceValue(kDoc, {"list", "x"}, YAML::Node(1));
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(ReplaceValue("a: [1\n", {"a"}, YAML::Node(1)).ok());
}

TEST(YamlSpliceTest, ValueTextKeepsCommentsAndSplicedTextKeepsThem) {
  std::optional<std::string> v = ValueText(kDoc, {"security", "abuse"});
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v,
            "enabled: true\n"
            "block: []             # e.g. [\"+79001234567\"]\n"
            "# never limited\n"
            "allow: [\"+79161234567\"]");
  EXPECT_EQ(ValueText(kDoc, {"security", "abuse", "block"}), "[]");
  EXPECT_FALSE(ValueText(kDoc, {"security", "nothing"}).has_value());

  const std::string edited = "enabled: false   # paused\nblock: [\"+7900\"]\nallow: []\n";
  Result<Splice> s = ReplaceValueText(kDoc, {"security", "abuse"}, edited);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_NE(s->text.find("  abuse:\n    enabled: false   # paused\n    block: [\"+7900\"]\n"
                         "    allow: []\nlist:"),
            std::string::npos)
      << s->text;
  EXPECT_EQ(s->first_line, 13);
  EXPECT_EQ(s->line_count, 3);
  EXPECT_EQ(s->indent, 4);

  Result<Splice> bad = ReplaceValueText(kDoc, {"security", "abuse"}, "a: [1\n");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line"), std::string::npos);
}

TEST(YamlSpliceTest, StringsThatLookLikeOtherThingsAreQuoted) {
  YAML::Node n(YAML::NodeType::Map);
  for (const char* s : {"115", "09:00-18:00", "true", "closed", "24/7"}) {
    YAML::Node v(s);
    v.SetTag("!");
    n[s] = v;
  }
  n["count"] = YAML::Node(3);
  const std::string out = Emit(n);
  EXPECT_NE(out.find("\"115\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"09:00-18:00\""), std::string::npos) << out;
  EXPECT_NE(out.find(": \"true\""), std::string::npos) << out;
  EXPECT_NE(out.find("closed: closed"), std::string::npos) << out;
  EXPECT_NE(out.find("count: 3"), std::string::npos) << out;
  EXPECT_TRUE(SameYaml(YAML::Load(out), n));
}

// The demo configuration: each editable section spliced with its own value
// (re-emitted) still loads without errors.
TEST(YamlSpliceTest, DemoConfigSurvivesRewritingEachSection) {
  std::ifstream in(std::string(GOSLINE_SOURCE_DIR) + "/config/gosline.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  ASSERT_FALSE(text.empty());
  const YAML::Node root = YAML::Load(text);
  for (const KeyPath& path : std::vector<KeyPath>{{"service", "numbers"}, {"hours"}, {"holidays"},
                                                  {"queues"}, {"ivr"}, {"routing", "operators"},
                                                  {"routing", "overflow"},
                                                  {"security", "abuse", "block"}}) {
    YAML::Node value = root;
    for (const std::string& k : path) {
      YAML::Node child = value[k];
      value.reset(child);
    }
    Result<Splice> s = ReplaceValue(text, path, value);
    ASSERT_TRUE(s.ok()) << path.back() << ": " << s.status().ToString();
    ConfigLoadResult loaded = LoadConfigText(s->text, "spliced.yaml");
    EXPECT_TRUE(loaded.ok()) << path.back() << ": "
                             << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
    ExpectOnlySpliceChanged(text, *s);
    std::optional<std::string> raw = ValueText(text, path);
    ASSERT_TRUE(raw.has_value());
    Result<Splice> same = ReplaceValueText(text, path, *raw);
    ASSERT_TRUE(same.ok()) << path.back() << ": " << same.status().ToString();
    EXPECT_EQ(same->text, text) << path.back();
  }
}

// Found by fuzz/yaml_splice_fuzzer: yaml-cpp stops reading at a NUL byte, so
// a splice after one was "checked" against a truncated document.
TEST(YamlSplice, TextWithANulByteIsRefused) {
  using namespace std::string_literals;
  const std::string doc = "# comment\0more\nservice:\n  name: Line\n"s;
  EXPECT_FALSE(ReplaceValueText(doc, {"service", "name"}, "Other").ok());
  EXPECT_FALSE(ReplaceValueText("service:\n  name: Line\n", {"service", "name"},
                                "\"a\0b\""s).ok());
}

// An empty document (or one of comments only) gets the key appended.
TEST(YamlSplice, EmptyDocumentGetsTheKey) {
  for (const std::string doc : {"", "# only a comment\n"}) {
    Result<Splice> s = ReplaceValueText(doc, {"tail"}, "1");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(YAML::Load(s->text)["tail"].as<std::string>(), "1") << s->text;
  }
}

}  // namespace
}  // namespace gosline::yaml_splice
