// The configuration editor on a copy of the demo configuration in a temp dir:
// edits land in the file with the rest kept as written, invalid ones are
// refused with their line, stale versions conflict, appliers can veto.
#include "app/admin/config_editor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gosline::admin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct AuditCall {
  std::string actor, action, object, detail;
};

class ConfigEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gosline_cfgedit_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "gosline.yaml";
    fs::copy_file(fs::path(GOSLINE_SOURCE_DIR) / "config" / "gosline.yaml", path_);
    original_ = Slurp(path_);
    auto editor = ConfigEditor::Open(
        path_.string(), [](Config& c) { c.http.port = 4321; },
        [this](const std::string& actor, const std::string& action, const std::string& object,
               const std::string& detail) { audit_.push_back({actor, action, object, detail}); });
    ASSERT_TRUE(editor.ok()) << editor.status().ToString();
    editor_ = std::move(editor).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  AreaEdit Value(json v) { return AreaEdit{std::move(v), std::nullopt}; }
  AreaEdit Yaml(std::string y) { return AreaEdit{std::nullopt, std::move(y)}; }

  fs::path dir_, path_;
  std::string original_;
  std::vector<AuditCall> audit_;
  std::unique_ptr<ConfigEditor> editor_;
};

TEST_F(ConfigEditorTest, ReadsEveryAreaAsJsonAndAsWritten) {
  EXPECT_EQ(editor_->Current()->http.port, 4321);  // overrides applied
  std::vector<AreaSnapshot> all = editor_->ReadAll();
  ASSERT_EQ(all.size(), 9u);
  Result<AreaSnapshot> block = editor_->Read("block_list");
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->value, json::parse(R"({"block":[],"allow":["+79161234567"]})"));
  Result<AreaSnapshot> numbers = editor_->Read("numbers");
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(numbers->value[1], "115");  // quoted in the file: stays a string
  Result<AreaSnapshot> ivr = editor_->Read("ivr");
  ASSERT_TRUE(ivr.ok());
  EXPECT_NE(ivr->yaml.find("# 1: registration"), std::string::npos);  // comments kept
  EXPECT_EQ(ivr->yaml.rfind("start: greeting", 0), 0u);
  EXPECT_EQ(ivr->version, editor_->Version());
  EXPECT_EQ(editor_->Read("nope").status().code(), Status::Code::kNotFound);
}

TEST_F(ConfigEditorTest, AppliesAJsonEditKeepingTheRestOfTheFile) {
  const std::string v0 = editor_->Version();
  std::vector<int> ports;
  editor_->AddApplier("probe", [&ports](const Config& next) {
    ports.push_back(next.http.port);
    return Status::Ok();
  });
  Result<ApplyOutcome> r = editor_->Apply(
      "block_list", Value(json::parse(R"({"block":["+79001234567","+7809*"]})")), v0, "user:admin");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->ok()) << r->errors[0].message;
  EXPECT_TRUE(r->changed);
  EXPECT_NE(r->version, v0);
  EXPECT_EQ(r->version, editor_->Version());
  EXPECT_EQ(r->summary, "block: 0 items -> 2 items");
  EXPECT_EQ(ports, std::vector<int>{4321});  // the applier saw the overrides
  EXPECT_EQ(editor_->Current()->security.abuse.block,
            (std::vector<std::string>{"+79001234567", "+7809*"}));
  EXPECT_EQ(editor_->Current()->http.port, 4321);

  const std::string now = Slurp(path_);
  EXPECT_EQ(ConfigEditor::VersionOf(now), r->version);
  EXPECT_EQ(Slurp(fs::path(path_.string() + ".prev")), original_);
  EXPECT_NE(now.find("    block:             # e.g. [\"+79001234567\", \"+7809*\"]\n"
                     "      - \"+79001234567\"\n      - \"+7809*\"\n"),
            std::string::npos);
  // Everything before the section is byte for byte the same.
  const size_t at = original_.find("    block: []");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(now.substr(0, at), original_.substr(0, at));
  ASSERT_EQ(audit_.size(), 1u);
  EXPECT_EQ(audit_[0].action, "config.change");
  EXPECT_EQ(audit_[0].object, "block_list");
  EXPECT_EQ(audit_[0].actor, "user:admin");
  EXPECT_NE(audit_[0].detail.find(v0 + " -> " + r->version), std::string::npos);

  // The same value again changes nothing and writes nothing.
  Result<ApplyOutcome> again = editor_->Apply(
      "block_list", Value(json::parse(R"({"block":["+79001234567","+7809*"]})")), r->version, "user:admin");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->version, r->version);
}

TEST_F(ConfigEditorTest, AddsAHolidayThatTheCalendarThenKnows) {
  json holidays = editor_->Read("holidays")->value;
  const std::string n = std::to_string(holidays["dates"].size());
  holidays["dates"].push_back("2027-12-31");
  Result<ApplyOutcome> r = editor_->Apply("holidays", Value(holidays), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok() && r->ok()) << (r.ok() ? r->errors[0].message : r.status().ToString());
  EXPECT_EQ(r->summary, "holidays.dates: " + n + " items -> " + std::to_string(std::stoi(n) + 1) + " items");
  const auto day = std::chrono::sys_days(std::chrono::year(2027) / 12 / 31);
  EXPECT_TRUE(editor_->Current()->holidays.holidays.contains(day));
  // Comments inside other sections and the quoting of dates are kept.
  const std::string now = Slurp(path_);
  EXPECT_NE(now.find("    - \"2027-11-04\"\n    - \"2027-12-31\"\n  working_days: []\n"),
            std::string::npos)
      << now.substr(now.find("2027-11-04"), 80);
  EXPECT_NE(now.find("# --- Queues: where calls wait"), std::string::npos);
}

TEST_F(ConfigEditorTest, RowsKeepTheirStyleAndTheSummaryNamesThem) {
  json queues = editor_->Read("queues")->value;
  ASSERT_EQ(queues[4]["id"], "federal-taxes");
  queues[4]["hours"] = "business";
  const size_t n = queues.size();
  queues.push_back({{"topic", "taxes"}, {"id", "federal-taxes-2"}, {"centre", "federal"}});
  Result<ApplyOutcome> r = editor_->Apply("queues", Value(queues), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok() && r->ok()) << (r.ok() ? r->errors[0].message : r.status().ToString());
  EXPECT_EQ(r->summary, "queues: added federal-taxes-2; changed federal-taxes (" + std::to_string(n) +
                            " items -> " + std::to_string(n + 1) + " items)");
  const std::string now = Slurp(path_);
  EXPECT_NE(now.find("  - {id: federal-taxes, topic: taxes, centre: federal, hours: business}\n"),
            std::string::npos);
  EXPECT_NE(now.find("  - {id: federal-taxes-2, topic: taxes, centre: federal}\n"), std::string::npos);
}

TEST_F(ConfigEditorTest, AStaleVersionConflictsAndWritesNothing) {
  Result<ApplyOutcome> r =
      editor_->Apply("numbers", Value(json::array({"115"})), "0000000000000000", "user:a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Slurp(path_), original_);
  ASSERT_EQ(audit_.size(), 1u);
  EXPECT_EQ(audit_[0].action, "config.refused");

  // A change behind the editor's back is a conflict too.
  std::ofstream(path_, std::ios::app) << "# edited by hand\n";
  r = editor_->Apply("numbers", Value(json::array({"115"})), editor_->Version(), "user:a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
}

TEST_F(ConfigEditorTest, AnInvalidIvrIsRefusedWithTheLineInTheSubmittedText) {
  std::string ivr = editor_->Read("ivr")->yaml;
  const std::string from = "on_fail: hours_other          # no choice: an operator helps";
  const size_t at = ivr.find(from);
  ASSERT_NE(at, std::string::npos);
  ivr.replace(at, from.size(), "on_fail: no_such_node");
  const int line = 1 + static_cast<int>(std::count(ivr.begin(), ivr.begin() + static_cast<long>(at), '\n'));
  Result<CheckOutcome> c = editor_->Check("ivr", Yaml(ivr));
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(c->ok());
  bool found = false;
  for (const EditError& e : c->errors) {
    if (e.message.find("no_such_node") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(e.area_line, line) << e.message;
    EXPECT_GT(e.line, e.area_line);
    EXPECT_GT(e.area_column, 0);
  }
  EXPECT_TRUE(found);
  Result<ApplyOutcome> r = editor_->Apply("ivr", Yaml(ivr), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(Slurp(path_), original_);

  Result<CheckOutcome> syntax = editor_->Check("ivr", Yaml("start: greeting\nprompts: [a,\n"));
  ASSERT_TRUE(syntax.ok());
  ASSERT_FALSE(syntax->ok());
  EXPECT_EQ(syntax->errors[0].line, 0);
  EXPECT_GT(syntax->errors[0].area_line, 0);
}

TEST_F(ConfigEditorTest, AYamlEditKeepsItsComments) {
  std::string ivr = editor_->Read("ivr")->yaml;
  ivr = "# edited from the web\n" + ivr;
  Result<CheckOutcome> c = editor_->Check("ivr", Yaml(ivr));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->ok());
  EXPECT_TRUE(c->changed);
  Result<ApplyOutcome> r = editor_->Apply("ivr", Yaml(ivr), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_NE(Slurp(path_).find("ivr:\n  # edited from the web\n  start: greeting\n"), std::string::npos);
}

// R13: supervisors switch a corrective-action rule on from the web; the
// appliers get it, and a rule that would never end is refused on its line.
TEST_F(ConfigEditorTest, R13_CorrectiveActionsAreEditedLive) {
  std::string rules = editor_->Read("corrective_actions")->yaml;
  const std::string off = "enabled: false";
  const size_t at = rules.find(off);
  ASSERT_NE(at, std::string::npos) << rules;
  std::vector<size_t> seen;
  editor_->AddApplier("contact centre", [&seen](const Config& next) {
    seen.push_back(next.corrective_actions.size());
    return Status::Ok();
  });
  std::string on = rules;
  on.replace(at, off.size(), "enabled: true");
  Result<ApplyOutcome> r = editor_->Apply("corrective_actions", Yaml(on), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_EQ(seen, std::vector<size_t>{1});

  std::string never = on;
  const std::string recover = "threshold: 3";
  ASSERT_NE(never.find(recover), std::string::npos);
  never.replace(never.find(recover), recover.size(), "threshold: 30");
  Result<CheckOutcome> c = editor_->Check("corrective_actions", Yaml(never));
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(c->ok());
  EXPECT_NE(c->errors[0].message.find("never end"), std::string::npos) << c->errors[0].message;
}

TEST_F(ConfigEditorTest, ARefusingApplierStopsTheEditAndTheOthersGetTheOldConfigBack) {
  std::vector<size_t> first_seen;
  editor_->AddApplier("contact centre", [&first_seen](const Config& next) {
    first_seen.push_back(next.service.numbers.size());
    return Status::Ok();
  });
  editor_->AddApplier("telephony", [](const Config&) {
    return Status::FailedPrecondition("port busy");
  });
  Result<ApplyOutcome> r =
      editor_->Apply("numbers", Value(json::array({"115"})), editor_->Version(), "user:a");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->ok());
  EXPECT_NE(r->errors[0].message.find("telephony"), std::string::npos);
  EXPECT_NE(r->errors[0].message.find("port busy"), std::string::npos);
  EXPECT_EQ(first_seen, (std::vector<size_t>{1, 3}));  // new, then the old one back
  EXPECT_EQ(Slurp(path_), original_);
  EXPECT_EQ(editor_->Current()->service.numbers.size(), 3u);
}

TEST_F(ConfigEditorTest, BadShapesAreErrorsNotCrashes) {
  for (const AreaEdit& e : {Value(json::parse(R"({"nope":[]})")), Value(json(3)), AreaEdit{},
                            Yaml("nope: 1\n")}) {
    Result<CheckOutcome> c = editor_->Check("block_list", e);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->ok());
  }
  Result<CheckOutcome> c = editor_->Check("queues", Value(json::parse(R"([{"id":"q"}])")));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->ok());  // topic and centre missing; every topic loses its queue
  EXPECT_GT(c->errors[0].line, 0);
}

// Several nodes, one line (R4): an accepted edit is published as the line's
// next version with the editable areas; another node's editor takes it.
struct Published {
  int64_t version;
  std::string document, actor;
};

TEST_F(ConfigEditorTest, PublishesAnAcceptedEditAsTheLinesNextVersion) {
  std::vector<Published> published;
  editor_->SetPublisher([&published](int64_t v, const std::string& doc, const std::string& actor) {
    published.push_back({v, doc, actor});
    return Status::Ok();
  });
  Result<ApplyOutcome> r = editor_->Apply("block_list", Value(json::parse(R"({"block":["+7809*"]})")),
                                          editor_->Version(), "user:admin");
  ASSERT_TRUE(r.ok() && r->ok());
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].version, 1);
  EXPECT_EQ(published[0].actor, "user:admin");
  const json doc = json::parse(published[0].document);
  EXPECT_EQ(doc["block_list"]["block"], json::parse(R"(["+7809*"])"));
  EXPECT_TRUE(doc.contains("ivr") && doc.contains("numbers"));
  EXPECT_EQ(editor_->SharedVersion(), 1);
}

TEST_F(ConfigEditorTest, AnEditAnotherNodeStoredFirstIsRefusedAndNothingChanges) {
  std::vector<int> ports;
  editor_->AddApplier("probe", [&ports](const Config& next) {
    ports.push_back(static_cast<int>(next.security.abuse.block.size()));
    return Status::Ok();
  });
  editor_->SetPublisher([](int64_t, const std::string&, const std::string&) {
    return Status::Conflict("version 1 was stored by another node first");
  });
  Result<ApplyOutcome> r = editor_->Apply("block_list", Value(json::parse(R"({"block":["+7809*"]})")),
                                          editor_->Version(), "user:admin");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(Slurp(path_), original_);
  EXPECT_TRUE(editor_->Current()->security.abuse.block.empty());
  EXPECT_EQ(ports, (std::vector<int>{1, 0}));  // the appliers got the old config back
  EXPECT_EQ(editor_->SharedVersion(), 0);
}

TEST_F(ConfigEditorTest, TakesAnotherNodesVersionThroughTheAppliersAndTheFile) {
  std::string document;
  editor_->SetPublisher([&document](int64_t, const std::string& doc, const std::string&) {
    document = doc;
    return Status::Ok();
  });
  ASSERT_TRUE(editor_->Apply("block_list", Value(json::parse(R"({"block":["+7809*"]})")),
                             editor_->Version(), "user:admin")
                  .ok());
  // The other node: its own file, as this one was before the edit.
  const fs::path other = dir_ / "other.yaml";
  { std::ofstream(other) << original_; }
  auto b = ConfigEditor::Open(other.string());
  ASSERT_TRUE(b.ok());
  std::vector<size_t> seen;
  (*b)->AddApplier("probe", [&seen](const Config& next) {
    seen.push_back(next.security.abuse.block.size());
    return Status::Ok();
  });
  Result<bool> taken = (*b)->ApplyShared(1, document, "user:admin");
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_TRUE(*taken);
  EXPECT_EQ(seen, std::vector<size_t>{1});
  EXPECT_EQ((*b)->Current()->security.abuse.block, std::vector<std::string>{"+7809*"});
  EXPECT_EQ((*b)->Read("block_list")->value, editor_->Read("block_list")->value);
  EXPECT_NE(Slurp(other).find("\"+7809*\""), std::string::npos);
  EXPECT_EQ((*b)->SharedVersion(), 1);
  // The same version again, or an older one, changes nothing.
  EXPECT_FALSE(*(*b)->ApplyShared(1, document, "user:admin"));
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(ConfigEditorTest, AVersionInvalidHereIsRefusedWholeAndNotTriedAgain) {
  json doc = json::object();
  doc["block_list"] = json::parse(R"({"block":["+7809*"]})");
  doc["numbers"] = json::parse(R"({"not": "a list of numbers"})");
  Result<bool> taken = editor_->ApplyShared(3, doc.dump(), "user:admin");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(Slurp(path_), original_);  // not even the valid area
  EXPECT_TRUE(editor_->Current()->security.abuse.block.empty());
  EXPECT_EQ(editor_->SharedVersion(), 3);
  EXPECT_FALSE(*editor_->ApplyShared(3, doc.dump(), "user:admin"));
  EXPECT_FALSE(editor_->ApplyShared(4, "not json", "user:admin").ok());
}

}  // namespace
}  // namespace gosline::admin
