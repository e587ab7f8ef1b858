// Live editing of the configuration file (administration): an area's
// new value is spliced into the file's text (yaml_splice.h, comments and the
// other sections stay as written), the whole candidate is checked exactly as
// `gosline check-config` checks it, the running parts take it (appliers), and
// only then is the file replaced atomically and the new Config published.
//
// Edits are rare and serialised by one mutex. Each carries the version (a hash
// of the file's text) it was made against; a stale one is a Conflict, so two
// administrators cannot silently overwrite each other.
//
// With several nodes on one database, the editable areas are also the line's:
// a publisher stores each accepted edit as the next shared version before the
// file is written (a refusal there refuses the edit), and ApplyShared takes a
// version stored by another node through the same checks and appliers.
//
// Threads: any (HTTP threads; serve's reload; the shared config follower). mu_ guards the file's text,
// its version and the appliers, and is held through an edit (appliers run
// under it); current_mu_ guards only the published Config, so readers of
// current() never wait for an edit. Lock order: mu_ -> current_mu_.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/admin/config_areas.h"
#include "config/config.h"
#include "core/common/status.h"
#include "core/common/thread_annotations.h"

namespace gosline::admin {

// What an administrator submits for an area: a JSON value, or YAML text.
struct AreaEdit {
  std::optional<nlohmann::json> value;
  std::optional<std::string> yaml;
};

// One problem with a candidate. line/column are in the whole file (0 when the
// problem is not about a place); area_line/area_column are in the submitted
// YAML text, when the edit came as text and the place is inside it.
struct EditError {
  int line = 0;
  int column = 0;
  std::string message;
  int area_line = 0;
  int area_column = 0;
};

struct AreaSnapshot {
  std::string area;
  std::string title;
  std::string version;  // of the whole file
  nlohmann::json value;
  std::string yaml;     // the area as written in the file (comments kept)
};

struct CheckOutcome {
  std::vector<EditError> errors;  // empty: the candidate is valid
  bool changed = false;           // the candidate differs from the file
  bool ok() const { return errors.empty(); }
};

struct ApplyOutcome {
  std::vector<EditError> errors;  // non-empty: refused, nothing was changed
  bool changed = false;
  std::string previous_version;
  std::string version;
  std::string summary;  // "holidays: 31 -> 32 items" (for the audit log and the reply)
  bool ok() const { return errors.empty(); }
};

class ConfigEditor {
 public:
  // Takes the next config before it is written; a failure stops the edit.
  using Applier = std::function<Status(const Config& next)>;
  // Re-applies the command line's overrides (port, database) to each loaded config.
  using Overrides = std::function<void(Config&)>;
  // Records one audit entry: actor, action, object, detail.
  using AuditFn = std::function<void(const std::string&, const std::string&, const std::string&,
                                     const std::string&)>;

  // Stores an accepted edit as the line's version `version` (the editor's
  // shared version + 1) before the file is written; Conflict when another
  // node stored that version first. `document` is DocumentOf the new text.
  using Publisher = std::function<Status(int64_t version, const std::string& document,
                                         const std::string& actor)>;

  // Reads and checks the file; fails when it does not load cleanly.
  static Result<std::unique_ptr<ConfigEditor>> Open(std::string path, Overrides overrides = {},
                                                    AuditFn audit = {});

  // Appliers run in the order added; `name` says which one refused.
  void AddApplier(std::string name, Applier applier);

  // Set once, before the editor is shared.
  void SetPublisher(Publisher publisher);

  // Takes the line's version `version` (a document from another node, or
  // stored before this node started): every area in it is spliced into the
  // file, checked, applied and written as a local edit is. Nothing happens
  // when `version` is not newer than the last one taken. Ok(true): the file
  // changed; Ok(false): it already said the same; an error: not applied at
  // all: a version invalid here or refused by an applier is not tried again;
  // one whose file could not be written is.
  Result<bool> ApplyShared(int64_t version, const std::string& document, const std::string& author);
  // The newest line's version stored or taken by this editor (0: none).
  int64_t SharedVersion() const;

  std::shared_ptr<const Config> Current() const;
  std::string Version() const;
  const std::string& path() const { return path_; }

  Result<AreaSnapshot> Read(std::string_view area) const;  // NotFound for an unknown area
  std::vector<AreaSnapshot> ReadAll() const;

  // The candidate for `edit`, checked, without changing anything.
  Result<CheckOutcome> Check(std::string_view area, const AreaEdit& edit) const;

  // Check, appliers, atomic write (the old file kept as <path>.prev), swap.
  // NotFound: unknown area; Conflict: `expected_version` is not the current
  // one, or the file was changed on disk behind the editor; IoError: the file
  // could not be written (the appliers are given the old config back).
  // Invalid candidates and a refusing applier come back as outcome errors.
  Result<ApplyOutcome> Apply(std::string_view area, const AreaEdit& edit,
                             const std::string& expected_version, const std::string& actor);

  // Version of a text: a short stable hash.
  static std::string VersionOf(std::string_view text);

 private:
  struct Candidate {
    std::string text;
    std::vector<EditError> errors;
    std::optional<Config> config;  // loaded, overrides applied; set when valid
  };
  ConfigEditor(std::string path, Overrides overrides, AuditFn audit)
      : path_(std::move(path)), overrides_(std::move(overrides)), audit_(std::move(audit)) {}

  AreaSnapshot Snapshot(const ConfigArea& area) const GOSLINE_REQUIRES(mu_);
  // `edit` of `area` spliced into `base` (the file's text, or a candidate).
  Candidate Build(const ConfigArea& area, const AreaEdit& edit, const std::string& base) const
      GOSLINE_REQUIRES(mu_);
  // The editable areas of `text` as one JSON object (area id -> value).
  static std::string DocumentOf(const std::string& text);
  // Hands `next` to every applier; on a refusal gives the earlier ones
  // `previous` back and returns the message.
  std::optional<std::string> RunAppliers(const Config& next, const Config& previous)
      GOSLINE_REQUIRES(mu_);
  // Writes `text` (the old file kept as .prev) and publishes `next`; on a
  // write failure the appliers get `previous` back.
  Status Commit(std::string text, std::shared_ptr<const Config> next, const Config& previous)
      GOSLINE_REQUIRES(mu_);
  std::string Summary(const ConfigArea& area, const std::string& next_text) const GOSLINE_REQUIRES(mu_);
  void Audit(const std::string& actor, const std::string& action, const std::string& object,
             const std::string& detail) const;

  const std::string path_;
  const Overrides overrides_;
  const AuditFn audit_;
  mutable Mutex mu_ GOSLINE_ACQUIRED_BEFORE(current_mu_);  // one edit at a time
  mutable Mutex current_mu_;  // readers never wait for an edit
  std::string text_ GOSLINE_GUARDED_BY(mu_);
  std::string version_ GOSLINE_GUARDED_BY(mu_);
  std::shared_ptr<const Config> current_ GOSLINE_GUARDED_BY(current_mu_);
  std::vector<std::pair<std::string, Applier>> appliers_ GOSLINE_GUARDED_BY(mu_);
  Publisher publisher_ GOSLINE_GUARDED_BY(mu_);
  int64_t shared_version_ GOSLINE_GUARDED_BY(mu_) = 0;
};

}  // namespace gosline::admin
