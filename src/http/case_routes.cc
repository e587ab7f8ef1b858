#include "http/case_routes.h"

#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "core/cases/case_number.h"
#include "core/cases/phone.h"
#include "app/case_visibility.h"
#include "http/json_body.h"
#include "http/json_codec.h"
#include "security/recording_cipher.h"

namespace gosline::http {
namespace {

using nlohmann::json;

constexpr std::string_view kCasesPath = "/api/v1/cases";

// People dictate numbers with spaces and dashes; the path may carry them too.
Result<std::string> CaseNumberOf(const HttpRequest& req) {
  auto it = req.path_params.find("number");
  if (it == req.path_params.end()) return Status::Internal("route without {number}");
  std::optional<std::string> number = CaseNumber::Normalize(it->second);
  if (!number) {
    return Status::InvalidArgument("not a case number: 10 digits with a correct check digit",
                                   "number");
  }
  return *number;
}

Result<Actor> ActorOf(const HttpRequest& req) {
  // Signed in: the actor is who the credentials say, whatever the header claims.
  if (!req.principal.empty()) return Actor{req.principal};
  auto header = req.Header(kActorHeader);
  if (!header || header->empty()) return Actor{kAnonymousActor};
  if (header->size() > 128) return Status::InvalidArgument("longer than 128 bytes", kActorHeader);
  for (unsigned char c : *header) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("contains control characters", kActorHeader);
    }
  }
  return Actor{std::string(*header)};
}

std::optional<int64_t> ParseNonNegative(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// If-Match: "7" (an ETag we sent), also W/"7" or a bare 7; "*" means any version.
Result<std::optional<int64_t>> IfMatchVersion(const HttpRequest& req) {
  auto header = req.Header("If-Match");
  if (!header) return std::optional<int64_t>();
  std::string_view v = *header;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v == "*") return std::optional<int64_t>();
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::optional<int64_t> version = ParseNonNegative(v);
  if (!version) return Status::InvalidArgument("expected a case version such as \"3\"", "If-Match");
  return version;
}

// The version to check: from If-Match or the body; both must agree when both are given.
Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req,
                                               std::optional<int64_t> from_body) {
  GOSLINE_ASSIGN_OR_RETURN(std::optional<int64_t> header, IfMatchVersion(req));
  if (header && from_body && *header != *from_body) {
    return Status::InvalidArgument("differs from the If-Match header", "version");
  }
  return header ? header : from_body;
}

// What every handler works with: the service and the R20 visibility rules
// (app/case_visibility.h: which cases a role sees, and whose phone in full).
struct CaseContext {
  CaseService& service;
  std::shared_ptr<const CaseVisibility> visibility;
  RecordingPlayback recordings;
};

// Whom the visibility rules are about: whoever the authorizer established.
CaseViewer ViewerOf(const HttpRequest& req) { return {req.principal, req.principal_role}; }

json WithPhoneFor(json j, const Case& c, const CaseContext& ctx, const HttpRequest& req) {
  if (ctx.visibility->SeesFullPhone(ViewerOf(req), c)) return j;
  auto it = j.find("phone");
  if (it != j.end() && it->is_string()) *it = MaskPhone(it->get<std::string>());
  return j;
}

// A case the caller may not see reads as absent: its existence is not told either.
Result<Case> VisibleCase(const CaseContext& ctx, const HttpRequest& req, const std::string& number) {
  Result<Case> found = ctx.service.Get(number);
  if (!found.ok()) return found.status();
  if (!ctx.visibility->MayView(ViewerOf(req), *found)) return Status::NotFound("no case with number " + number);
  return found;
}

HttpResponse CaseResponse(int status, const Case& c, const HttpRequest& req,
                          const CaseContext& ctx) {
  json body = WithPhoneFor(CaseToJson(c), c, ctx, req);
  HttpResponse r = JsonResponse(status, body);
  r.headers.emplace_back("ETag", "\"" + std::to_string(c.version) + "\"");
  return r;
}

Result<CaseQuery> QueryFromParams(const QueryParams& params) {
  static const std::set<std::string> kKnown = {"phone",        "status",     "topic",
                                               "region",       "agency",     "created_from",
                                               "created_to",   "limit",      "cursor"};
  CaseQuery q;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!kKnown.count(name)) return Status::InvalidArgument("unknown query parameter", name);
    if (!seen.insert(name).second) return Status::InvalidArgument("given more than once", name);
    if (value.empty()) continue;  // "?phone=" from a form means "any phone"
    if (name == "phone") {
      q.phone = NormalizePhone(value);
      if (!q.phone) return Status::InvalidArgument("not a phone number", name);
    } else if (name == "status") {
      q.status = ParseCaseStatus(value);
      if (!q.status) {
        return Status::InvalidArgument(
            "must be one of: new, in_progress, escalated, waiting_citizen, resolved, closed", name);
      }
    } else if (name == "created_from" || name == "created_to") {
      std::optional<Time> t = ParseIso8601(value);
      if (!t) return Status::InvalidArgument("expected an ISO 8601 date or date-time", name);
      (name == "created_from" ? q.created_from : q.created_to) = t;
    } else if (name == "limit") {
      std::optional<int64_t> limit = ParseNonNegative(value);
      if (!limit || *limit < 1 || *limit > kMaxPageSize) {
        return Status::InvalidArgument("must be an integer from 1 to " + std::to_string(kMaxPageSize),
                                       name);
      }
      q.limit = static_cast<int>(*limit);
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name == "topic") {
      q.topic = value;
    } else if (name == "region") {
      q.region = value;
    } else if (name == "agency") {
      q.agency = value;
    }
  }
  if (q.created_from && q.created_to && *q.created_from > *q.created_to) {
    return Status::InvalidArgument("is after created_to", "created_from");
  }
  return q;
}

// ---- handlers ---------------------------------------------------------------

HttpResponse CreateCase(const CaseContext& ctx, const HttpRequest& req) {
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  Result<CaseDraft> draft = CaseDraftFromJson(body);
  if (!draft.ok()) return ErrorResponse(draft.status());
  Result<Actor> actor = ActorOf(req);
  if (!actor.ok()) return ErrorResponse(actor.status());
  Result<Case> created = ctx.service.Open(*draft, *actor);
  if (!created.ok()) return ErrorResponse(created.status());
  HttpResponse r = CaseResponse(201, *created, req, ctx);
  r.headers.emplace_back("Location", std::string(kCasesPath) + "/" + created->number);
  return r;
}

HttpResponse GetCase(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  Result<Case> found = VisibleCase(ctx, req, *number);
  if (!found.ok()) return ErrorResponse(found.status());
  return CaseResponse(200, *found, req, ctx);
}

// The n-th recording linked to a case (1 = first), as audio/wav (R30). The
// link names a file the telephony adapter wrote, sealed under the data key
// (recording_cipher.h) or, without a key, in clear; only this case's WAV
// recordings inside the recordings folder, under a bounded size, are served
// (anything else reads as absent: 404), and each playback is audited (R21,
// audit_hook). A recording cut short by a crash plays up to where it stops,
// with the header X-Gosline-Recording-Truncated: true.
HttpResponse GetRecording(const CaseContext& ctx, const HttpRequest& req) {
  constexpr std::uintmax_t kMaxRecordingBytes = 256ull << 20;  // ~4.6 h of stereo G.711
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  auto index_param = req.path_params.find("index");
  std::optional<int64_t> index =
      index_param == req.path_params.end() ? std::nullopt : ParseNonNegative(index_param->second);
  if (!index || *index < 1) {
    return ErrorResponse(400, "invalid_argument", "index: 1 for the first recording", "index");
  }
  Result<Case> found = VisibleCase(ctx, req, *number);
  if (!found.ok()) return ErrorResponse(found.status());
  int64_t seen = 0;
  const CaseLink* link = nullptr;
  for (const CaseLink& l : found->links) {
    if (l.kind == "recording" && ++seen == *index) link = &l;
  }
  if (link == nullptr) return ErrorResponse(404, "not_found", "the case has no such recording");
  Result<security::PlayableRecording> audio = security::ReadRecording(
      {ctx.recordings.cipher.get(), ctx.recordings.keys.get()},
      {ctx.recordings.dir, found->number, link->ref}, kMaxRecordingBytes);
  if (!audio.ok()) {
    switch (audio.status().code()) {
      case Status::Code::kNotFound:
        return ErrorResponse(404, "not_found", "the recording is no longer kept");
      case Status::Code::kResourceExhausted:
        return ErrorResponse(413, "too_large", "the recording is too large to serve in one response");
      default:  // a wrong key or a damaged file: say so without details
        return ErrorResponse(500, "internal", "cannot open the recording");
    }
  }
  HttpResponse r;
  r.content_type = "audio/wav";
  r.body = std::move(audio->wav);
  r.headers.emplace_back("Cache-Control", "no-store");
  // The server stopped mid-call: this is the conversation up to then.
  if (audio->truncated) r.headers.emplace_back("X-Gosline-Recording-Truncated", "true");
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"" + found->number + "-" + std::to_string(*index) + ".wav\"");
  return r;
}

HttpResponse GetHistory(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  Result<Case> found = VisibleCase(ctx, req, *number);
  if (!found.ok()) return ErrorResponse(found.status());
  json items = json::array();
  for (const HistoryEntry& e : found->history) items.push_back(HistoryEntryToJson(e));
  return JsonResponse(200, json{{"number", found->number}, {"items", std::move(items)}});
}

HttpResponse PatchCase(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  Result<PatchRequest> patch = PatchRequestFromJson(body);
  if (!patch.ok()) return ErrorResponse(patch.status());
  Result<std::optional<int64_t>> version = ExpectedVersion(req, patch->version);
  if (!version.ok()) return ErrorResponse(version.status());
  Result<Actor> actor = ActorOf(req);
  if (!actor.ok()) return ErrorResponse(actor.status());
  if (Result<Case> visible = VisibleCase(ctx, req, *number); !visible.ok()) {
    return ErrorResponse(visible.status());
  }
  Result<Case> updated = ctx.service.Update(*number, patch->patch, *actor, *version);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return CaseResponse(200, *updated, req, ctx);
}

HttpResponse TransitionCase(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  Result<TransitionRequest> transition = TransitionRequestFromJson(body);
  if (!transition.ok()) return ErrorResponse(transition.status());
  Result<std::optional<int64_t>> version = ExpectedVersion(req, transition->version);
  if (!version.ok()) return ErrorResponse(version.status());
  Result<Actor> actor = ActorOf(req);
  if (!actor.ok()) return ErrorResponse(actor.status());
  if (Result<Case> visible = VisibleCase(ctx, req, *number); !visible.ok()) {
    return ErrorResponse(visible.status());
  }
  Result<Case> moved =
      ctx.service.Transition(*number, transition->to, transition->reason, *actor, *version);
  // The workflow's 409 message names the statuses allowed from here.
  if (!moved.ok()) return ErrorResponse(moved.status());
  return CaseResponse(200, *moved, req, ctx);
}

HttpResponse AddNote(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  Result<std::string> text = NoteTextFromJson(body);
  if (!text.ok()) return ErrorResponse(text.status());
  Result<Actor> actor = ActorOf(req);
  if (!actor.ok()) return ErrorResponse(actor.status());
  if (Result<Case> visible = VisibleCase(ctx, req, *number); !visible.ok()) {
    return ErrorResponse(visible.status());
  }
  Result<Case> updated = ctx.service.AddNote(*number, *text, *actor);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return CaseResponse(201, *updated, req, ctx);
}

HttpResponse AddLink(const CaseContext& ctx, const HttpRequest& req) {
  Result<std::string> number = CaseNumberOf(req);
  if (!number.ok()) return ErrorResponse(number.status());
  json body;
  if (auto refused = ReadJsonBody(req, body)) return *refused;
  Result<CaseLink> link = CaseLinkFromJson(body);
  if (!link.ok()) return ErrorResponse(link.status());
  // R30: the contact centre links a call's recording when the call ends; a
  // client cannot name a file for the server to play back.
  if (link->kind == "recording") {
    return ErrorResponse(
        Status::InvalidArgument("recordings are linked by the contact centre when a call ends", "kind"));
  }
  Result<Actor> actor = ActorOf(req);
  if (!actor.ok()) return ErrorResponse(actor.status());
  if (Result<Case> visible = VisibleCase(ctx, req, *number); !visible.ok()) {
    return ErrorResponse(visible.status());
  }
  Result<Case> updated = ctx.service.Link(*number, *link, *actor);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return CaseResponse(201, *updated, req, ctx);
}

HttpResponse SearchCases(const CaseContext& ctx, const HttpRequest& req) {
  Result<CaseQuery> query = QueryFromParams(req.query);
  if (!query.ok()) return ErrorResponse(query.status());
  // R20 in the query: the store returns, counts and pages over only the
  // cases this viewer may see, so neither a page nor its cursor tells of others.
  query->scope = ctx.visibility->ScopeFor(ViewerOf(req));
  Result<CasePage> page = ctx.service.Search(*query);
  if (!page.ok()) return ErrorResponse(page.status());
  json items = json::array();
  for (const Case& c : page->cases) {
    items.push_back(WithPhoneFor(CaseSummaryToJson(c), c, ctx, req));
  }
  json next = page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor);
  return JsonResponse(200, json{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

// ---- the table --------------------------------------------------------------

std::vector<QueryParamDoc> SearchParams() {
  return {
      {.name = "phone", .description = "Citizen phone in any common form; normalised to E.164. "
                                       "Open cases come first."},
      {.name = "status",
       .description = "Case status",
       .enum_values = {"new", "in_progress", "escalated", "waiting_citizen", "resolved", "closed"}},
      {.name = "topic", .description = "Topic id from the configuration"},
      {.name = "region", .description = "Federal subject code"},
      {.name = "agency", .description = "Agency id from the configuration"},
      {.name = "created_from", .format = "date-time", .description = "Created at or after (ISO 8601)"},
      {.name = "created_to", .format = "date-time", .description = "Created before (ISO 8601)"},
      {.name = "limit", .type = "integer", .format = "int32",
       .description = "Page size, 1-500 (default 50)"},
      {.name = "cursor", .description = "next_cursor of the previous page"},
  };
}

}  // namespace

Status AddCaseRoutes(Router& router, CaseService& service,
                     std::shared_ptr<const CaseVisibility> visibility,
                     RecordingPlayback recordings) {
  if (!visibility) visibility = std::make_shared<CaseVisibility>();
  auto ctx = std::make_shared<const CaseContext>(
      CaseContext{service, std::move(visibility), std::move(recordings)});
  const std::string cases(kCasesPath);
  const std::string one = cases + "/{number}";
  auto bind = BindTo(ctx);

  std::vector<Route> routes;
  routes.push_back({Method::kPost, cases, Role::kOperator,
                    {.operation_id = "createCase",
                     .summary = "Open a case",
                     .tag = "cases",
                     .request_schema = "CaseCreate",
                     .success_status = 201,
                     .response_schema = "Case",
                     .request_headers = {kActorHeader},
                     .response_headers = {"Location", "ETag"},
                     .errors = {400, 413, 415}},
                    bind(&CreateCase), "cases:write"});
  routes.push_back({Method::kGet, cases, Role::kOperator,
                    {.operation_id = "searchCases",
                     .summary = "Search cases, newest first (by phone: open cases first)",
                     .tag = "cases",
                     .response_schema = "CasePage",
                     .query = SearchParams(),
                     .errors = {400}},
                    bind(&SearchCases), "cases:read"});
  routes.push_back({Method::kGet, one, Role::kOperator,
                    {.operation_id = "getCase",
                     .summary = "Read a case with its history and links",
                     .tag = "cases",
                     .response_schema = "Case",
                     .response_headers = {"ETag"},
                     .errors = {400, 404}},
                    bind(&GetCase), "cases:read"});
  routes.push_back({Method::kGet, one + "/recordings/{index}", Role::kOperator,
                    {.operation_id = "getCaseRecording",
                     .summary = "Play the n-th recording of the case's calls (audio/wav; audited)",
                     .tag = "cases",
                     .response_schema = "",
                     .errors = {400, 404, 413}},
                    bind(&GetRecording), "cases:read"});
  routes.push_back({Method::kPatch, one, Role::kOperator,
                    {.operation_id = "updateCase",
                     .summary = "Change topic, agency, region, priority, summary or portal account",
                     .tag = "cases",
                     .request_schema = "CasePatch",
                     .response_schema = "Case",
                     .request_headers = {"If-Match", kActorHeader},
                     .response_headers = {"ETag"},
                     .errors = {400, 404, 409, 413, 415}},
                    bind(&PatchCase), "cases:write"});
  routes.push_back({Method::kPost, one + "/transitions", Role::kOperator,
                    {.operation_id = "transitionCase",
                     .summary = "Move a case to another status (409 lists the allowed ones)",
                     .tag = "cases",
                     .request_schema = "TransitionRequest",
                     .response_schema = "Case",
                     .request_headers = {"If-Match", kActorHeader},
                     .response_headers = {"ETag"},
                     .errors = {400, 404, 409, 413, 415}},
                    bind(&TransitionCase), "cases:write"});
  routes.push_back({Method::kPost, one + "/notes", Role::kOperator,
                    {.operation_id = "addCaseNote",
                     .summary = "Append a note to the case history",
                     .tag = "cases",
                     .request_schema = "NoteRequest",
                     .success_status = 201,
                     .response_schema = "Case",
                     .request_headers = {kActorHeader},
                     .response_headers = {"ETag"},
                     .errors = {400, 404, 413, 415}},
                    bind(&AddNote), "cases:write"});
  routes.push_back({Method::kPost, one + "/links", Role::kOperator,
                    {.operation_id = "addCaseLink",
                     .summary = "Link a call, chat or related case to the case (recordings: by the server)",
                     .tag = "cases",
                     .request_schema = "LinkRequest",
                     .success_status = 201,
                     .response_schema = "Case",
                     .request_headers = {kActorHeader},
                     .response_headers = {"ETag"},
                     .errors = {400, 404, 413, 415}},
                    bind(&AddLink), "cases:write"});
  routes.push_back({Method::kGet, one + "/history", Role::kOperator,
                    {.operation_id = "getCaseHistory",
                     .summary = "The append-only history of a case",
                     .tag = "cases",
                     .response_schema = "HistoryPage",
                     .errors = {400, 404}},
                    bind(&GetHistory), "cases:read"});
  return AddRoutes(router, std::move(routes));
}

}  // namespace gosline::http
