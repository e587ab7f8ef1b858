// The parts of the configuration an administrator edits from the web:
// each area names where it lives in config/gosline.yaml and how
// its value travels as JSON. The editor (config_editor.h) splices an area's
// new value into the file text and checks the whole file as check-config does.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_splice.h"

namespace gosline::admin {

// One value of an area: the whole area (key "") or one member of its JSON object.
struct ConfigAreaPart {
  std::string key;
  yaml_splice::KeyPath path;
};

enum class AreaView {
  kTable,  // lists shown as tables and edited with forms
  kYaml,   // shown and edited as YAML text (the IVR, hours, overflow rules)
};

struct ConfigArea {
  std::string id;      // "numbers"
  std::string title;   // English; the web app has its own translations by id
  std::vector<ConfigAreaPart> parts;
  AreaView view = AreaView::kTable;

  bool single() const { return parts.size() == 1 && parts[0].key.empty(); }
};

// numbers, hours, holidays, queues, skills, overflow, ivr, corrective_actions, block_list.
const std::vector<ConfigArea>& ConfigAreas();
const ConfigArea* FindConfigArea(std::string_view id);

// The node at `path` of a parsed document (undefined when missing).
YAML::Node NodeAt(const YAML::Node& root, const yaml_splice::KeyPath& path);

// An area's value in the document as JSON: the node itself, or an object of its parts.
nlohmann::json AreaValue(const ConfigArea& area, const YAML::Node& root);

// YAML scalars become JSON numbers, booleans and null only when written plain
// and reading as one; quoted scalars stay strings ("115").
nlohmann::json ToJson(const YAML::Node& node);

// JSON to YAML, laid out like `like` (the value it replaces): keys in its
// order, flow-style mappings where it had them (lists: block style); new list items follow the
// last old one. Strings get the "!" tag so that "115" is written quoted.
YAML::Node ToYaml(const nlohmann::json& value, const YAML::Node& like = YAML::Node());

}  // namespace gosline::admin
