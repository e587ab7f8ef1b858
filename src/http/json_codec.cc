#include "http/json_codec.h"

#include <initializer_list>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/time.h"

namespace gosline::http {
namespace {

using nlohmann::json;

json OptionalString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json OptionalTime(const std::optional<Time>& t) { return t ? json(FormatIso8601(*t)) : json(nullptr); }

// The deepest [ or { nesting in a JSON text, counted outside strings.
int NestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Status RejectUnknownFields(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& item : body.items()) {
    bool found = false;
    for (std::string_view k : known) found = found || item.key() == k;
    if (!found) return Status::InvalidArgument("unknown field", item.key());
  }
  return Status::Ok();
}

// Reads an optional string field; null counts as absent only when allow_null.
Status ReadString(const json& body, const char* name, std::optional<std::string>& out,
                  bool required, bool allow_null = false) {
  auto it = body.find(name);
  if (it == body.end() || (allow_null && it->is_null())) {
    if (required) return Status::InvalidArgument("is required", name);
    return Status::Ok();
  }
  if (!it->is_string()) return Status::InvalidArgument("must be a string", name);
  out = it->get<std::string>();
  return Status::Ok();
}

Status ReadVersion(const json& body, std::optional<int64_t>& out) {
  auto it = body.find("version");
  if (it == body.end()) return Status::Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return Status::InvalidArgument("must be a non-negative integer", "version");
  }
  out = it->get<int64_t>();
  return Status::Ok();
}

template <typename T>
Status ReadEnum(const json& body, const char* name, std::optional<T>& out,
                std::optional<T> (*parse)(std::string_view), const char* allowed) {
  std::optional<std::string> text;
  GOSLINE_RETURN_IF_ERROR(ReadString(body, name, text, false));
  if (!text) return Status::Ok();
  out = parse(*text);
  if (!out) return Status::InvalidArgument(std::string("must be one of: ") + allowed, name);
  return Status::Ok();
}

constexpr const char* kChannels = "call, chat, app, callback";
constexpr const char* kPriorities = "low, normal, high, urgent";
constexpr const char* kStatuses =
    "new, in_progress, escalated, waiting_citizen, resolved, closed";

}  // namespace

json HistoryEntryToJson(const HistoryEntry& e) {
  return {{"seq", e.seq},
          {"at", FormatIso8601(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"detail", e.detail}};
}

json CaseLinkToJson(const CaseLink& link) {
  return {{"kind", link.kind}, {"ref", link.ref}, {"at", FormatIso8601(link.at)}};
}

json CaseSummaryToJson(const Case& c) {
  return {{"number", c.number},
          {"phone", c.phone},
          {"portal_account_id", OptionalString(c.portal_account_id)},
          {"channel", ToString(c.channel)},
          {"topic", c.topic},
          {"agency", c.agency},
          {"region", c.region},
          {"priority", ToString(c.priority)},
          {"status", ToString(c.status)},
          {"summary", c.summary},
          {"created_at", FormatIso8601(c.created_at)},
          {"updated_at", FormatIso8601(c.updated_at)},
          {"due_at", OptionalTime(c.due_at)},
          {"version", c.version}};
}

json CaseToJson(const Case& c) {
  json out = CaseSummaryToJson(c);
  json allowed = json::array();
  for (CaseStatus s : CaseWorkflow::AllowedFrom(c.status)) allowed.push_back(ToString(s));
  out["allowed_transitions"] = std::move(allowed);
  json history = json::array();
  for (const HistoryEntry& e : c.history) history.push_back(HistoryEntryToJson(e));
  out["history"] = std::move(history);
  json links = json::array();
  for (const CaseLink& l : c.links) links.push_back(CaseLinkToJson(l));
  out["links"] = std::move(links);
  return out;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  static constexpr std::string_view kJson = "application/json";
  if (media.size() != kJson.size()) return false;
  for (size_t i = 0; i < media.size(); ++i) {
    char c = media[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kJson[i]) return false;
  }
  return true;
}

Result<json> ParseJsonObject(std::string_view body) {
  if (body.empty()) return Status::InvalidArgument("request body is empty; expected a JSON object");
  if (NestingDepth(body) > kMaxJsonDepth) {
    return Status::InvalidArgument("JSON nested too deeply");
  }
  // Duplicate keys: nlohmann keeps the last, which would hide a client bug.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  auto on_event = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default: break;
    }
    return true;
  };
  json parsed;
  try {
    parsed = json::parse(body.begin(), body.end(), on_event);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument("malformed JSON at byte " + std::to_string(e.byte));
  } catch (const json::out_of_range&) {
    // nlohmann reports a number beyond a double ("1e400") as out_of_range, not
    // as a parse_error; it is the client's mistake all the same (400, not 500).
    return Status::InvalidArgument("malformed JSON: a number out of range");
  }
  if (!duplicate.empty()) return Status::InvalidArgument("field given more than once", duplicate);
  if (!parsed.is_object()) return Status::InvalidArgument("expected a JSON object");
  return parsed;
}

Result<CaseDraft> CaseDraftFromJson(const json& body) {
  GOSLINE_RETURN_IF_ERROR(RejectUnknownFields(
      body, {"phone", "portal_account_id", "channel", "topic", "agency", "region", "priority",
             "summary"}));
  CaseDraft draft;
  std::optional<std::string> phone, portal, topic, agency, region, summary;
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "phone", phone, true));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "portal_account_id", portal, false, true));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "topic", topic, true));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "agency", agency, false));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "region", region, false));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "summary", summary, false));
  std::optional<Channel> channel;
  std::optional<Priority> priority;
  GOSLINE_RETURN_IF_ERROR(ReadEnum(body, "channel", channel, &ParseChannel, kChannels));
  GOSLINE_RETURN_IF_ERROR(ReadEnum(body, "priority", priority, &ParsePriority, kPriorities));
  draft.phone = std::move(*phone);
  draft.portal_account_id = std::move(portal);
  draft.topic = std::move(*topic);
  if (agency) draft.agency = std::move(*agency);
  if (region) draft.region = std::move(*region);
  if (summary) draft.summary = std::move(*summary);
  if (channel) draft.channel = *channel;
  if (priority) draft.priority = *priority;
  return draft;
}

Result<PatchRequest> PatchRequestFromJson(const json& body) {
  GOSLINE_RETURN_IF_ERROR(RejectUnknownFields(
      body, {"topic", "agency", "region", "priority", "summary", "portal_account_id", "version"}));
  PatchRequest req;
  CasePatch& p = req.patch;
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "topic", p.topic, false));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "agency", p.agency, false));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "region", p.region, false));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "summary", p.summary, false));
  // null (or "") unlinks the portal account.
  if (auto it = body.find("portal_account_id"); it != body.end() && it->is_null()) {
    p.portal_account_id = "";
  } else {
    GOSLINE_RETURN_IF_ERROR(ReadString(body, "portal_account_id", p.portal_account_id, false));
  }
  GOSLINE_RETURN_IF_ERROR(ReadEnum(body, "priority", p.priority, &ParsePriority, kPriorities));
  GOSLINE_RETURN_IF_ERROR(ReadVersion(body, req.version));
  if (!p.topic && !p.agency && !p.region && !p.summary && !p.portal_account_id && !p.priority) {
    return Status::InvalidArgument(
        "nothing to change: give at least one of topic, agency, region, priority, summary, "
        "portal_account_id");
  }
  return req;
}

Result<TransitionRequest> TransitionRequestFromJson(const json& body) {
  GOSLINE_RETURN_IF_ERROR(RejectUnknownFields(body, {"to", "reason", "version"}));
  TransitionRequest req;
  std::optional<CaseStatus> to;
  std::optional<std::string> reason;
  if (!body.contains("to")) return Status::InvalidArgument("is required", "to");
  GOSLINE_RETURN_IF_ERROR(ReadEnum(body, "to", to, &ParseCaseStatus, kStatuses));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "reason", reason, false));
  GOSLINE_RETURN_IF_ERROR(ReadVersion(body, req.version));
  req.to = *to;
  if (reason) req.reason = std::move(*reason);
  return req;
}

Result<std::string> NoteTextFromJson(const json& body) {
  GOSLINE_RETURN_IF_ERROR(RejectUnknownFields(body, {"text"}));
  std::optional<std::string> text;
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "text", text, true));
  return std::move(*text);
}

Result<CaseLink> CaseLinkFromJson(const json& body) {
  GOSLINE_RETURN_IF_ERROR(RejectUnknownFields(body, {"kind", "ref"}));
  std::optional<std::string> kind, ref;
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "kind", kind, true));
  GOSLINE_RETURN_IF_ERROR(ReadString(body, "ref", ref, true));
  CaseLink link;
  link.kind = std::move(*kind);
  link.ref = std::move(*ref);
  return link;
}

}  // namespace gosline::http
