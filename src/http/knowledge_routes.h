// The knowledge-base API: the operator desktop's search panel.
//   GET /api/v1/knowledge?q=&topic=&limit=   search (no q: list, by title)
//   GET /api/v1/knowledge/{id}               one article, its Markdown body
// Role operator: operators and supervisors, and compliance controllers on
// these read-only routes (access_policy.h). No API-key scope opens them:
// integrations have no use for the operators' crib sheets. The articles hold
// no personal data, so only refusals are audited (audit_hook.cc).
#pragma once

#include <memory>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/status.h"
#include "http/router.h"
#include "knowledge/knowledge_index.h"

namespace gosline::http {

// `index` may be null (no data/knowledge folder): the routes then answer 503,
// so the API and its document stay the same. `topics`: the topic ids a
// search may be filtered by (the configuration's); empty = any.
Status AddKnowledgeRoutes(Router& router, std::shared_ptr<const knowledge::KnowledgeIndex> index,
                          std::set<std::string> topics);

// The JSON schemas of these routes, for openapi.cc.
void AddKnowledgeSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
