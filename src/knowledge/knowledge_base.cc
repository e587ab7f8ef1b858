#include "knowledge/knowledge_base.h"

#include "knowledge/article_loader.h"

namespace gosline::knowledge {

std::shared_ptr<const KnowledgeIndex> OpenKnowledgeBase(const std::filesystem::path& dir,
                                                        const std::set<std::string>& known_topics,
                                                        std::vector<std::string>& problems) {
  Result<LoadedArticles> loaded = LoadArticles(dir, known_topics);
  if (!loaded.ok()) {
    problems.push_back(loaded.status().message() + "; the knowledge-base search is off");
    return nullptr;
  }
  problems.insert(problems.end(), loaded->errors.begin(), loaded->errors.end());
  Result<std::unique_ptr<KnowledgeIndex>> index = KnowledgeIndex::Build(std::move(loaded->articles));
  if (!index.ok()) {
    problems.push_back(index.status().message() + "; the knowledge-base search is off");
    return nullptr;
  }
  return std::shared_ptr<const KnowledgeIndex>(std::move(index).value());
}

}  // namespace gosline::knowledge
