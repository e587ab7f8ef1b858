// Cases to JSON and API request bodies from JSON. Parsing is strict so a
// client's mistake surfaces at once instead of being half-applied: wrong types,
// unknown or duplicate fields, missing required fields and malformed JSON are
// all kInvalidArgument naming the field (-> 400 {"error":{"field"}}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/cases/case.h"
#include "core/cases/case_workflow.h"
#include "core/common/status.h"

namespace gosline::http {

// Deeper bodies are refused before anyone walks them; API bodies are flat.
inline constexpr int kMaxJsonDepth = 16;

// The full case: every field, allowed_transitions, history and links.
nlohmann::json CaseToJson(const Case& c);
// The list view used by search (the store returns no history or links there).
nlohmann::json CaseSummaryToJson(const Case& c);
nlohmann::json HistoryEntryToJson(const HistoryEntry& e);
nlohmann::json CaseLinkToJson(const CaseLink& link);

// True for "application/json" with optional parameters ("; charset=utf-8").
bool IsJsonContentType(std::string_view content_type);

// One JSON object: malformed text, another top-level type, nesting deeper than
// kMaxJsonDepth or a key given twice are refused.
Result<nlohmann::json> ParseJsonObject(std::string_view body);

Result<CaseDraft> CaseDraftFromJson(const nlohmann::json& body);

struct PatchRequest {
  CasePatch patch;
  std::optional<int64_t> version;  // optimistic concurrency, like If-Match
};
Result<PatchRequest> PatchRequestFromJson(const nlohmann::json& body);

struct TransitionRequest {
  CaseStatus to = CaseStatus::kNew;
  std::string reason;
  std::optional<int64_t> version;
};
Result<TransitionRequest> TransitionRequestFromJson(const nlohmann::json& body);

// {"text": "..."}
Result<std::string> NoteTextFromJson(const nlohmann::json& body);
// {"kind": "call", "ref": "..."}; `at` is set by the caller.
Result<CaseLink> CaseLinkFromJson(const nlohmann::json& body);

}  // namespace gosline::http
