// The knowledge base as `gosline serve` starts it: load the folder,
// index what loaded. Never fatal: a missing folder or a bad article is a
// problem to log, and the desktops keep the rest of the service.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "knowledge/knowledge_index.h"

namespace gosline::knowledge {

// The index of the articles in `dir` (topics from `known_topics`, when not
// empty), or nullptr when there is nothing to serve. Appends one line per
// problem ("path:line: message", or why the folder was not read) to `problems`.
std::shared_ptr<const KnowledgeIndex> OpenKnowledgeBase(const std::filesystem::path& dir,
                                                        const std::set<std::string>& known_topics,
                                                        std::vector<std::string>& problems);

}  // namespace gosline::knowledge
