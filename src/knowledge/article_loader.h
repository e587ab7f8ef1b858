// Reads the knowledge base from a folder of Markdown files. Each
// file is a front matter between "---" lines, then the body:
//
//   ---
//   id: password-recovery          # = the file name without .md
//   title: Восстановление пароля
//   title_en: Password recovery    # optional
//   topic: registration            # a topic id of config/gosline.yaml
//   tags: [пароль, вход]           # optional
//   updated: 2026-11-20            # YYYY-MM-DD
//   ---
//   Markdown text...
//
// A bad file is refused with "file:line: what is wrong" and the others still
// load, so one typo does not take the whole knowledge base off the desktops.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "knowledge/knowledge_article.h"

namespace gosline::knowledge {

// One article from its text; errors name `file` and the line.
Result<KnowledgeArticle> ParseArticle(std::string_view text, const std::string& file);

struct LoadedArticles {
  std::vector<KnowledgeArticle> articles;  // sorted by id
  std::vector<std::string> errors;         // one per refused file: "path:line: message"
};

// Every *.md file directly in `dir` but README.md. Fails only when the folder cannot be
// read. With `known_topics` not empty, an article's topic must be one of them.
Result<LoadedArticles> LoadArticles(const std::filesystem::path& dir,
                                    const std::set<std::string>& known_topics = {});

}  // namespace gosline::knowledge
