// One article of the operators' knowledge base: what an operator
// reads, and tells the citizen, on a call. Kept as Markdown files with a
// front matter in data/knowledge (article_loader.h).
#pragma once

#include <string>
#include <vector>

namespace gosline::knowledge {

struct KnowledgeArticle {
  std::string id;                 // "password-recovery": the file name, stable in links
  std::string title;              // Russian, as the operator sees it
  std::string title_en;           // optional English title
  std::string topic;              // a topic id of the configuration ("registration")
  std::vector<std::string> tags;  // extra search words ("Госуслуги", "СНИЛС")
  std::string updated;            // YYYY-MM-DD: when the text was last checked
  std::string body;               // Markdown
  std::string source;             // the file it came from, for messages
};

}  // namespace gosline::knowledge
