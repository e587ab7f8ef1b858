#include "io/case_json.h"

#include <string>

#include "io/quote.h"

namespace gosline {
namespace {

using nlohmann::json;

// Deeper JSON than a case ever has is refused before it costs anything.
constexpr int kMaxDepth = 8;
struct TooDeep {};

std::string TypeMismatch(std::string_view where, std::string_view expected, const json& got) {
  return std::string(where) + ": expected " + std::string(expected) + ", got " + got.type_name();
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> "column 5: ..."
std::string ParseErrorText(const json::parse_error& e) {
  std::string what = e.what();
  if (size_t pos = what.find("column "); pos != std::string::npos) return what.substr(pos);
  if (size_t pos = what.find("] "); pos != std::string::npos) return what.substr(pos + 2);
  return what;
}

// A string member of a history entry or link; missing or null is "".
void ReadString(const json& obj, const char* key, std::string_view where, std::string& out,
                std::vector<std::string>& problems) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  if (!it->is_string()) {
    problems.push_back(TypeMismatch(std::string(where) + "." + key, "a string", *it));
    return;
  }
  out = it->get<std::string>();
}

// Checks that obj has only the given keys.
void RejectUnknownKeys(const json& obj, std::initializer_list<std::string_view> known,
                       std::string_view where, std::vector<std::string>& problems) {
  for (const auto& item : obj.items()) {
    bool found = false;
    for (std::string_view k : known) found = found || item.key() == k;
    if (!found)
      problems.push_back(std::string(where) + ": unknown field " + QuoteForReport(item.key()));
  }
}

void ReadNotes(const json& value, CaseRow& row) {
  if (!value.is_array()) {
    row.problems.push_back(TypeMismatch("notes", "an array of strings", value));
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      row.problems.push_back(
          TypeMismatch("notes[" + std::to_string(i) + "]", "a string", value[i]));
      continue;
    }
    row.notes.push_back(value[i].get<std::string>());
  }
}

void ReadHistory(const json& value, CaseRow& row) {
  if (!value.is_array()) {
    row.problems.push_back(TypeMismatch("history", "an array of objects", value));
    return;
  }
  row.history.emplace();
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string where = "history[" + std::to_string(i) + "]";
    const json& item = value[i];
    if (!item.is_object()) {
      row.problems.push_back(TypeMismatch(where, "an object", item));
      continue;
    }
    // seq is what export writes; import numbers the entries itself.
    RejectUnknownKeys(item, {"seq", "at", "actor", "action", "detail"}, where, row.problems);
    CaseRowHistoryEntry e;
    ReadString(item, "at", where, e.at, row.problems);
    ReadString(item, "actor", where, e.actor, row.problems);
    ReadString(item, "action", where, e.action, row.problems);
    ReadString(item, "detail", where, e.detail, row.problems);
    row.history->push_back(std::move(e));
  }
}

void ReadLinks(const json& value, CaseRow& row) {
  if (!value.is_array()) {
    row.problems.push_back(TypeMismatch("links", "an array of objects", value));
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string where = "links[" + std::to_string(i) + "]";
    const json& item = value[i];
    if (!item.is_object()) {
      row.problems.push_back(TypeMismatch(where, "an object", item));
      continue;
    }
    RejectUnknownKeys(item, {"kind", "ref", "at"}, where, row.problems);
    CaseRowLink l;
    ReadString(item, "kind", where, l.kind, row.problems);
    ReadString(item, "ref", where, l.ref, row.problems);
    ReadString(item, "at", where, l.at, row.problems);
    row.links.push_back(std::move(l));
  }
}

}  // namespace

nlohmann::ordered_json CaseToJson(const Case& c) {
  nlohmann::ordered_json j;
  j["id"] = c.id;
  j["number"] = c.number;
  j["phone"] = c.phone;
  if (c.portal_account_id) j["portal_account_id"] = *c.portal_account_id;
  j["channel"] = ToString(c.channel);
  j["topic"] = c.topic;
  j["agency"] = c.agency;
  j["region"] = c.region;
  j["priority"] = ToString(c.priority);
  j["status"] = ToString(c.status);
  j["summary"] = c.summary;
  j["created_at"] = FormatIso8601(c.created_at);
  j["updated_at"] = FormatIso8601(c.updated_at);
  if (c.due_at) j["due_at"] = FormatIso8601(*c.due_at);
  j["version"] = c.version;
  auto& history = j["history"] = nlohmann::ordered_json::array();
  for (const HistoryEntry& h : c.history) {
    history.push_back({{"seq", h.seq},
                       {"at", FormatIso8601(h.at)},
                       {"actor", h.actor},
                       {"action", h.action},
                       {"detail", h.detail}});
  }
  auto& links = j["links"] = nlohmann::ordered_json::array();
  for (const CaseLink& l : c.links) {
    links.push_back({{"kind", l.kind}, {"ref", l.ref}, {"at", FormatIso8601(l.at)}});
  }
  return j;
}

CaseRow CaseRowFromJsonLine(std::string_view text, int line) {
  CaseRow row;
  row.line = line;
  json j;
  try {
    j = json::parse(text, [](int depth, json::parse_event_t, json&) {
      if (depth > kMaxDepth) throw TooDeep{};
      return true;
    });
  } catch (const json::parse_error& e) {
    row.problems.push_back("not valid JSON: " + ParseErrorText(e));
    row.unreadable = true;
    return row;
  } catch (const json::out_of_range&) {
    // A number beyond a double ("1e400") is reported as out_of_range, not as
    // a parse_error; uncaught it would end the whole import.
    row.problems.push_back("not valid JSON: a number out of range");
    row.unreadable = true;
    return row;
  } catch (const TooDeep&) {
    row.problems.push_back("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
    row.unreadable = true;
    return row;
  }
  if (!j.is_object()) {
    row.problems.push_back(std::string("expected a JSON object, got ") + j.type_name());
    row.unreadable = true;
    return row;
  }
  for (const auto& [key, value] : j.items()) {
    if (value.is_null()) continue;  // null is the same as leaving the field out
    if (std::optional<std::string>* field = row.TextField(key)) {
      if (!value.is_string()) {
        row.problems.push_back(TypeMismatch(key, "a string", value));
      } else if (auto s = value.get<std::string>(); !s.empty()) {
        *field = std::move(s);  // "" is the same as leaving the field out, as in CSV
      }
    } else if (key == "notes") {
      ReadNotes(value, row);
    } else if (key == "history") {
      ReadHistory(value, row);
    } else if (key == "links") {
      ReadLinks(value, row);
    } else if (key == "id" || key == "version") {
      // Written by export; the registry assigns its own.
      if (!value.is_number_integer())
        row.problems.push_back(TypeMismatch(key, "an integer", value));
    } else {
      row.problems.push_back("unknown field " + QuoteForReport(key));
    }
  }
  return row;
}

}  // namespace gosline
