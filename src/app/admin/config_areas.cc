#include "app/admin/config_areas.h"

#include <algorithm>
#include <cctype>

namespace gosline::admin {
namespace {

using nlohmann::json;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Plain integers as YAML 1.2 reads them, without leading zeros ("02" is a
// region code, not 2) and short enough for int64.
bool IsPlainInteger(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  return AllDigits(s) && s.size() <= 18 && (s.size() == 1 || s.front() != '0');
}

bool IsPlainDecimal(std::string_view s) {
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  return IsPlainInteger(s.substr(0, dot)) && AllDigits(s.substr(dot + 1));
}

bool IsStringTag(const std::string& tag) {
  return tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
}

}  // namespace

const std::vector<ConfigArea>& ConfigAreas() {
  static const std::vector<ConfigArea> kAreas = {
      {"numbers", "Numbers citizens dial", {{"", {"service", "numbers"}}}, AreaView::kTable},
      {"hours", "Opening hours", {{"", {"hours"}}}, AreaView::kYaml},
      {"holidays", "Public holidays and transferred working days", {{"", {"holidays"}}},
       AreaView::kTable},
      {"queues", "Queues", {{"", {"queues"}}}, AreaView::kTable},
      {"skills", "Operators, their skills, languages and regions", {{"", {"routing", "operators"}}},
       AreaView::kTable},
      {"overflow", "Overflow rules", {{"", {"routing", "overflow"}}}, AreaView::kYaml},
      {"ivr", "Voice menu (IVR)", {{"", {"ivr"}}}, AreaView::kYaml},
      {"corrective_actions", "Corrective actions on high load", {{"", {"corrective_actions"}}},
       AreaView::kYaml},
      {"block_list", "Blocked and never-limited caller numbers",
       {{"block", {"security", "abuse", "block"}}, {"allow", {"security", "abuse", "allow"}}},
       AreaView::kTable},
  };
  return kAreas;
}

const ConfigArea* FindConfigArea(std::string_view id) {
  for (const ConfigArea& a : ConfigAreas()) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

YAML::Node NodeAt(const YAML::Node& root, const yaml_splice::KeyPath& path) {
  YAML::Node n = root;  // a handle; reset() below rebinds it, never changes root
  for (const std::string& key : path) {
    const YAML::Node& here = n;  // const access: never adds the key
    if (!here.IsMap() || !here[key]) return YAML::Node();
    YAML::Node child = here[key];
    n.reset(child);
  }
  return n;
}

json AreaValue(const ConfigArea& area, const YAML::Node& root) {
  if (area.single()) return ToJson(NodeAt(root, area.parts[0].path));
  json out = json::object();
  for (const ConfigAreaPart& part : area.parts) out[part.key] = ToJson(NodeAt(root, part.path));
  return out;
}

json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (IsStringTag(node.Tag())) return s;
      if (IsPlainInteger(s)) return std::stoll(s);
      if (IsPlainDecimal(s)) return std::stod(s);
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
      return s;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const YAML::Node& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.Scalar()] = ToJson(kv.second);
      return out;
    }
  }
  return nullptr;
}

YAML::Node ToYaml(const json& value, const YAML::Node& like) {
  const bool flow = (like.IsSequence() || like.IsMap()) && like.Style() == YAML::EmitterStyle::Flow;
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
    case json::value_t::binary:
      return YAML::Node(YAML::NodeType::Null);
    case json::value_t::boolean:
      return YAML::Node(value.get<bool>() ? "true" : "false");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return YAML::Node(value.dump());
    case json::value_t::string: {
      YAML::Node n(value.get<std::string>());
      n.SetTag("!");
      return n;
    }
    case json::value_t::array: {
      // Lists grow: a one-line list of today may be a long one tomorrow, so
      // lists are written in block style (inside a flow row they stay flow).
      YAML::Node out(YAML::NodeType::Sequence);
      const size_t old = like.IsSequence() ? like.size() : 0;
      for (size_t i = 0; i < value.size(); ++i) {
        const YAML::Node item_like = old == 0 ? YAML::Node() : like[std::min(i, old - 1)];
        out.push_back(ToYaml(value[i], item_like));
      }
      return out;
    }
    case json::value_t::object: {
      YAML::Node out(YAML::NodeType::Map);
      if (flow) out.SetStyle(YAML::EmitterStyle::Flow);
      std::vector<std::string> order;
      if (like.IsMap()) {
        for (const auto& kv : like) {
          const std::string k = kv.first.Scalar();
          if (value.contains(k)) order.push_back(k);
        }
      }
      auto add = [&order](const std::string& k) {
        if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
      };
      if (value.contains("id")) add("id");
      for (const auto& item : value.items()) add(item.key());
      for (const std::string& k : order) {
        const YAML::Node child_like = like.IsMap() && like[k] ? like[k] : YAML::Node();
        out[k] = ToYaml(value.at(k), child_like);
      }
      return out;
    }
  }
  return YAML::Node(YAML::NodeType::Null);
}

}  // namespace gosline::admin
