#include "app/admin/config_editor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config/config_loader.h"
#include "config/yaml_splice.h"

namespace gosline::admin {
namespace {

using nlohmann::json;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// Writes `data` to `target` so that a crash leaves either the old or the new
// file: a temporary beside it, fsync, rename over, fsync of the directory.
Status WriteSynced(const std::string& target, std::string_view data, mode_t mode) {
  const std::string tmp = target + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create", tmp);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status st = Errno("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    Status st = Errno("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    Status st = Errno("cannot replace", target);
    ::unlink(tmp.c_str());
    return st;
  }
  std::string dir = std::filesystem::path(target).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself; best effort where directories cannot be synced
    ::close(dfd);
  }
  return Status::Ok();
}

// "31 items", "a mapping", "nothing": what a value is, for summaries.
std::string Describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return std::to_string(n.size()) + (n.size() == 1 ? " item" : " items");
  if (n.IsMap()) return std::to_string(n.size()) + (n.size() == 1 ? " entry" : " entries");
  return "\"" + n.Scalar().substr(0, 40) + "\"";
}

// The id of a list row: `id`, or `queue` for overflow rules; "" if none.
std::string RowId(const YAML::Node& row) {
  if (!row.IsMap()) return "";
  for (const char* key : {"id", "queue"}) {
    const YAML::Node& r = row;
    if (r[key] && r[key].IsScalar()) return r[key].Scalar();
  }
  return "";
}

// "added x; removed y; changed z" for lists of rows with ids; "" otherwise.
std::string RowChanges(const YAML::Node& before, const YAML::Node& after) {
  if (!before.IsSequence() || !after.IsSequence()) return "";
  std::map<std::string, YAML::Node> old_rows, new_rows;
  for (const YAML::Node& r : before) {
    if (RowId(r).empty()) return "";
    old_rows.emplace(RowId(r), r);
  }
  for (const YAML::Node& r : after) {
    if (RowId(r).empty()) return "";
    new_rows.emplace(RowId(r), r);
  }
  std::string added, removed, changed;
  auto add = [](std::string& to, const std::string& id) { to += (to.empty() ? "" : ", ") + id; };
  for (const auto& [id, row] : new_rows) {
    auto it = old_rows.find(id);
    if (it == old_rows.end()) {
      add(added, id);
    } else if (!yaml_splice::SameYaml(it->second, row)) {
      add(changed, id);
    }
  }
  for (const auto& [id, row] : old_rows) {
    if (!new_rows.contains(id)) add(removed, id);
  }
  std::string out;
  for (auto [what, ids] : {std::pair{"added ", &added}, {"removed ", &removed}, {"changed ", &changed}}) {
    if (!ids->empty()) out += (out.empty() ? "" : "; ") + std::string(what) + *ids;
  }
  return out;
}

// What changed between two values: lists by their size, mappings member by member.
std::string Difference(const std::string& name, const YAML::Node& before, const YAML::Node& after) {
  if (yaml_splice::SameYaml(before, after)) return "";
  if (before.IsMap() && after.IsMap()) {
    std::string out;
    for (const auto& kv : after) {
      const std::string key = kv.first.Scalar();
      const std::string d = Difference(name + "." + key, NodeAt(before, {key}), kv.second);
      if (!d.empty()) out += (out.empty() ? "" : ", ") + d;
    }
    for (const auto& kv : before) {
      if (!after[kv.first.Scalar()]) out += (out.empty() ? "" : ", ") + name + "." + kv.first.Scalar() + " removed";
    }
    return out.empty() ? name + " changed" : out;
  }
  const std::string b = Describe(before), a = Describe(after);
  const std::string rows = RowChanges(before, after);
  if (!rows.empty()) return name + ": " + rows + (b == a ? "" : " (" + b + " -> " + a + ")");
  return b == a ? name + " changed (" + a + ")" : name + ": " + b + " -> " + a;
}

void MapAreaPosition(const yaml_splice::Splice& s, EditError& e) {
  if (e.line < s.first_line || e.line >= s.first_line + s.line_count) return;
  e.area_line = e.line - s.first_line + 1;
  const bool inline_value = s.line_count == 1 && s.column > s.indent + 1;
  e.area_column = inline_value ? e.column - s.column + 1 : e.column - s.indent;
  if (e.area_column < 1) e.area_column = 1;
}

}  // namespace

std::string ConfigEditor::VersionOf(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across runs and builds
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Result<std::unique_ptr<ConfigEditor>> ConfigEditor::Open(std::string path, Overrides overrides,
                                                         AuditFn audit) {
  GOSLINE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  ConfigLoadResult loaded = LoadConfigText(text, path);
  if (!loaded.ok()) {
    return Status::InvalidArgument(loaded.errors[0].ToString() + " (" +
                                   std::to_string(loaded.errors.size()) + " error(s))");
  }
  if (overrides) overrides(loaded.config);
  std::unique_ptr<ConfigEditor> editor(
      new ConfigEditor(std::move(path), std::move(overrides), std::move(audit)));
  {
    MutexLock lock(editor->mu_);  // nobody else has the editor yet; the analysis cannot know
    editor->text_ = std::move(text);
    editor->version_ = VersionOf(editor->text_);
    MutexLock current_lock(editor->current_mu_);
    editor->current_ = std::make_shared<const Config>(std::move(loaded.config));
  }
  return editor;
}

void ConfigEditor::AddApplier(std::string name, Applier applier) {
  MutexLock lock(mu_);
  appliers_.emplace_back(std::move(name), std::move(applier));
}

std::shared_ptr<const Config> ConfigEditor::Current() const {
  MutexLock lock(current_mu_);
  return current_;
}

std::string ConfigEditor::Version() const {
  MutexLock lock(mu_);
  return version_;
}

AreaSnapshot ConfigEditor::Snapshot(const ConfigArea& area) const {
  const YAML::Node root = YAML::Load(text_);  // loaded cleanly before, so it parses
  AreaSnapshot s{area.id, area.title, version_, AreaValue(area, root), ""};
  if (area.single()) {
    s.yaml = yaml_splice::ValueText(text_, area.parts[0].path).value_or("");
  } else {
    YAML::Node parts(YAML::NodeType::Map);
    for (const ConfigAreaPart& p : area.parts) parts[p.key] = NodeAt(root, p.path);
    s.yaml = yaml_splice::Emit(parts);
  }
  return s;
}

Result<AreaSnapshot> ConfigEditor::Read(std::string_view area) const {
  const ConfigArea* a = FindConfigArea(area);
  if (a == nullptr) return Status::NotFound("no configuration area \"" + std::string(area) + "\"");
  MutexLock lock(mu_);
  return Snapshot(*a);
}

std::vector<AreaSnapshot> ConfigEditor::ReadAll() const {
  MutexLock lock(mu_);
  std::vector<AreaSnapshot> out;
  for (const ConfigArea& a : ConfigAreas()) out.push_back(Snapshot(a));
  return out;
}

ConfigEditor::Candidate ConfigEditor::Build(const ConfigArea& area, const AreaEdit& edit,
                                            const std::string& base) const {
  Candidate c;
  auto fail = [&c](std::string message) {
    c.errors.push_back(EditError{0, 0, std::move(message), 0, 0});
    return std::move(c);
  };
  if (edit.value.has_value() == edit.yaml.has_value()) return fail("give either value or yaml");
  const YAML::Node root = YAML::Load(base);
  std::string text = base;
  std::optional<yaml_splice::Splice> from_text;  // maps errors back into the submitted text
  // The new values of the parts that change, as nodes (JSON) or text (YAML of a whole area).
  std::vector<std::pair<const ConfigAreaPart*, YAML::Node>> nodes;
  if (edit.yaml) {
    YAML::Node parsed;
    try {
      parsed = YAML::Load(*edit.yaml);
    } catch (const YAML::Exception& e) {
      c.errors.push_back(EditError{0, 0, "YAML syntax error: " + e.msg, e.mark.line + 1,
                                   e.mark.column + 1});
      return c;
    }
    if (area.single()) {
      Result<yaml_splice::Splice> s =
          yaml_splice::ReplaceValueText(text, area.parts[0].path, *edit.yaml);
      if (!s.ok()) return fail(s.status().message());
      text = s->text;
      from_text = *s;
    } else {
      if (!parsed.IsMap()) return fail("expected a mapping of " + area.parts[0].key + ", ...");
      for (const auto& kv : parsed) {
        const std::string key = kv.first.Scalar();
        const ConfigAreaPart* part = nullptr;
        for (const ConfigAreaPart& p : area.parts) part = p.key == key ? &p : part;
        if (part == nullptr) return fail("unknown key \"" + key + "\" in " + area.id);
        nodes.emplace_back(part, kv.second);
      }
    }
  } else if (area.single()) {
    const ConfigAreaPart& p = area.parts[0];
    nodes.emplace_back(&p, ToYaml(*edit.value, NodeAt(root, p.path)));
  } else {
    if (!edit.value->is_object()) return fail("expected an object with " + area.parts[0].key + ", ...");
    for (const auto& item : edit.value->items()) {
      const ConfigAreaPart* part = nullptr;
      for (const ConfigAreaPart& p : area.parts) part = p.key == item.key() ? &p : part;
      if (part == nullptr) return fail("unknown member \"" + item.key() + "\" of " + area.id);
      nodes.emplace_back(part, ToYaml(item.value(), NodeAt(root, part->path)));
    }
  }
  for (const auto& [part, node] : nodes) {
    Result<yaml_splice::Splice> s = yaml_splice::ReplaceValue(text, part->path, node);
    if (!s.ok()) return fail(s.status().message());
    text = s->text;
  }
  c.text = std::move(text);
  ConfigLoadResult loaded = LoadConfigText(c.text, path_);
  for (const ConfigError& e : loaded.errors) {
    EditError err{e.line, e.column, e.message, 0, 0};
    if (from_text) MapAreaPosition(*from_text, err);
    c.errors.push_back(std::move(err));
  }
  if (loaded.ok()) {
    if (overrides_) overrides_(loaded.config);
    c.config = std::move(loaded.config);
  }
  return c;
}

Result<CheckOutcome> ConfigEditor::Check(std::string_view area, const AreaEdit& edit) const {
  const ConfigArea* a = FindConfigArea(area);
  if (a == nullptr) return Status::NotFound("no configuration area \"" + std::string(area) + "\"");
  MutexLock lock(mu_);
  Candidate c = Build(*a, edit, text_);
  CheckOutcome out;
  out.errors = std::move(c.errors);
  out.changed = out.errors.empty() && c.text != text_;
  return out;
}

std::string ConfigEditor::Summary(const ConfigArea& area, const std::string& next_text) const {
  const YAML::Node before = YAML::Load(text_);
  const YAML::Node after = YAML::Load(next_text);
  std::string out;
  for (const ConfigAreaPart& p : area.parts) {
    const std::string name = p.key.empty() ? area.id : p.key;
    const std::string d = Difference(name, NodeAt(before, p.path), NodeAt(after, p.path));
    if (!d.empty()) out += (out.empty() ? "" : "; ") + d;
  }
  if (out.size() > 300) out = out.substr(0, 297) + "...";
  return out.empty() ? area.id + ": no change" : out;
}

void ConfigEditor::Audit(const std::string& actor, const std::string& action,
                         const std::string& object, const std::string& detail) const {
  if (audit_) audit_(actor, action, object, detail);
}

Result<ApplyOutcome> ConfigEditor::Apply(std::string_view area, const AreaEdit& edit,
                                         const std::string& expected_version,
                                         const std::string& actor) {
  const ConfigArea* a = FindConfigArea(area);
  if (a == nullptr) return Status::NotFound("no configuration area \"" + std::string(area) + "\"");
  MutexLock lock(mu_);
  const std::string& object = a->id;
  if (expected_version != version_) {
    Audit(actor, "config.refused", object, "stale version " + expected_version.substr(0, 32) +
                                               " (current " + version_ + ")");
    return Status::Conflict("the configuration was changed by someone else (now version " +
                            version_ + "); reload it and make the change again");
  }
  GOSLINE_ASSIGN_OR_RETURN(std::string disk, ReadFile(path_));
  if (VersionOf(disk) != version_) {
    Audit(actor, "config.refused", object, "the file was changed on disk outside the editor");
    return Status::Conflict(path_ + " was changed outside the editor since gosline read it; "
                            "restart gosline to take that version before editing here");
  }
  Candidate c = Build(*a, edit, text_);
  ApplyOutcome out;
  out.previous_version = version_;
  out.version = version_;
  if (!c.errors.empty()) {
    out.errors = std::move(c.errors);
    Audit(actor, "config.refused", object,
          std::to_string(out.errors.size()) + " error(s); first: " + out.errors[0].message.substr(0, 200));
    return out;
  }
  if (c.text == text_) {
    out.summary = a->id + ": no change";
    return out;
  }
  auto next = std::make_shared<const Config>(std::move(*c.config));
  const std::shared_ptr<const Config> previous = Current();
  if (std::optional<std::string> refused = RunAppliers(*next, *previous)) {
    out.errors.push_back(EditError{0, 0, *refused, 0, 0});
    Audit(actor, "config.refused", object, refused->substr(0, 300));
    return out;
  }
  if (publisher_) {
    // The line's version first: an edit another node stored meanwhile wins,
    // and this one is refused like a stale edit.
    Status published = publisher_(shared_version_ + 1, DocumentOf(c.text), actor);
    if (!published.ok()) {
      std::string kept;
      for (const auto& [name, applier] : appliers_) {
        Status back = applier(*previous);
        if (!back.ok()) kept += "; " + name + " kept the new one: " + back.message();
      }
      Audit(actor, "config.refused", object,
            "not stored for the line: " + published.message().substr(0, 200));
      if (published.code() == Status::Code::kConflict) {
        return Status::Conflict("the configuration was changed on another node; reload it and "
                                "make the change again");
      }
      return Status::Unavailable("the change could not be stored for the line: " +
                                 published.message() + kept);
    }
    ++shared_version_;
  }
  const std::string summary = Summary(*a, c.text);
  if (Status committed = Commit(std::move(c.text), std::move(next), *previous); !committed.ok()) {
    // The line has the version this file lacks: the follower takes it again.
    if (publisher_) --shared_version_;
    return committed;
  }
  out.summary = summary;
  out.changed = true;
  out.version = version_;
  Audit(actor, "config.change", object,
        "version " + out.previous_version + " -> " + out.version + "; " + out.summary);
  return out;
}

std::optional<std::string> ConfigEditor::RunAppliers(const Config& next, const Config& previous) {
  for (size_t i = 0; i < appliers_.size(); ++i) {
    Status st = appliers_[i].second(next);
    if (st.ok()) continue;
    std::string message = "not applied: " + appliers_[i].first + " refused the change: " + st.message();
    for (size_t k = 0; k < i; ++k) {
      Status back = appliers_[k].second(previous);
      if (!back.ok()) message += "; " + appliers_[k].first + " kept the new one: " + back.message();
    }
    return message;
  }
  return std::nullopt;
}

Status ConfigEditor::Commit(std::string text, std::shared_ptr<const Config> next,
                            const Config& previous) {
  struct stat st {};
  const mode_t mode = ::stat(path_.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  Status written = WriteSynced(path_ + ".prev", text_, mode);
  if (written.ok()) written = WriteSynced(path_, text, mode);
  if (!written.ok()) {
    std::string failures;
    for (const auto& [name, applier] : appliers_) {
      Status back = applier(previous);
      if (!back.ok()) failures += "; " + name + " kept the new one: " + back.message();
    }
    return Status::IoError(written.message() + failures);
  }
  text_ = std::move(text);
  version_ = VersionOf(text_);
  MutexLock current_lock(current_mu_);
  current_ = std::move(next);
  return Status::Ok();
}

std::string ConfigEditor::DocumentOf(const std::string& text) {
  const YAML::Node root = YAML::Load(text);
  json doc = json::object();
  for (const ConfigArea& a : ConfigAreas()) doc[a.id] = AreaValue(a, root);
  return doc.dump();
}

void ConfigEditor::SetPublisher(Publisher publisher) {
  MutexLock lock(mu_);
  publisher_ = std::move(publisher);
}

int64_t ConfigEditor::SharedVersion() const {
  MutexLock lock(mu_);
  return shared_version_;
}

Result<bool> ConfigEditor::ApplyShared(int64_t version, const std::string& document,
                                       const std::string& author) {
  MutexLock lock(mu_);
  if (version <= shared_version_) return false;
  shared_version_ = version;  // taken or refused, never tried again
  const std::string object = "line version " + std::to_string(version);
  json doc = json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::InvalidArgument(object + " is not a JSON object");
  std::string text = text_;
  std::optional<Config> config;
  for (const ConfigArea& a : ConfigAreas()) {
    auto it = doc.find(a.id);
    // An area missing from the document stays as it is; one with the same
    // value is left as written (its comments and layout kept).
    if (it == doc.end() || AreaValue(a, YAML::Load(text)) == *it) continue;
    AreaEdit edit;
    edit.value = *it;
    Candidate c = Build(a, edit, text);
    if (!c.errors.empty()) {
      const std::string message = object + " by " + author + " is invalid on this node: " + a.id +
                                  ": " + c.errors[0].message;
      Audit(author, "config.refused", object, message.substr(0, 300));
      return Status::InvalidArgument(message);
    }
    text = std::move(c.text);
    config = std::move(c.config);
  }
  if (text == text_) return false;
  auto next = std::make_shared<const Config>(std::move(*config));
  const std::shared_ptr<const Config> previous = Current();
  if (std::optional<std::string> refused = RunAppliers(*next, *previous)) {
    Audit(author, "config.refused", object, refused->substr(0, 300));
    return Status::FailedPrecondition(object + ": " + *refused);
  }
  const std::string previous_version = version_;
  if (Status committed = Commit(std::move(text), std::move(next), *previous); !committed.ok()) {
    shared_version_ = version - 1;  // valid here: tried again at the next poll
    return committed;
  }
  Audit(author, "config.change", object, "version " + previous_version + " -> " + version_ +
                                              " (made on another node)");
  return true;
}

}  // namespace gosline::admin
