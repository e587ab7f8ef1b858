// Full-text search over the knowledge base, with Xapian and the
// Russian stemmer, so "регистрации" finds "Регистрация ...".
//
// The index is built in memory at start from the loaded articles: a few dozen
// articles index in milliseconds, so there is no on-disk database to keep in
// step with data/knowledge (edit a file, restart, and the search follows).
//
// Thread safety: one in-memory Xapian database behind a mutex. Xapian objects
// may not be used from two threads at once, and an in-memory database cannot
// be opened a second time (a Database per search would need an on-disk copy
// and its files). A search over this size takes well under a millisecond, so
// serialising the searches of a few hundred operators costs nothing visible.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"
#include "knowledge/knowledge_article.h"

namespace gosline::knowledge {

struct KnowledgeQuery {
  std::string text;   // what the operator typed; "" lists the articles (by title)
  std::string topic;  // "" = every topic
  size_t limit = 10;
};

struct KnowledgeHit {
  std::string id;
  std::string title;
  std::string topic;
  // HTML-escaped text around the matches, each match in <mark>...</mark>;
  // for a listing without words, the start of the article.
  std::string snippet;
  double score = 0;   // Xapian's relevance weight; 0 in a listing
};

class KnowledgeIndex {
 public:
  // Indexes `articles` (ids must be unique).
  static Result<std::unique_ptr<KnowledgeIndex>> Build(std::vector<KnowledgeArticle> articles);
  ~KnowledgeIndex();
  KnowledgeIndex(const KnowledgeIndex&) = delete;
  KnowledgeIndex& operator=(const KnowledgeIndex&) = delete;

  // The best matches, best first. All the words must match (AND); when that
  // finds nothing, any of them (OR). Words in the title weigh more; Russian
  // function words ("как", "из") are left out; "ё" and "е" are the same
  // letter; the last word may be half typed. A query the parser cannot read
  // as boolean syntax (a lone '"', "AND") is searched as plain words.
  Result<std::vector<KnowledgeHit>> Search(const KnowledgeQuery& query) const;

  // nullptr when there is no article `id`.
  const KnowledgeArticle* Find(std::string_view id) const;
  const std::vector<KnowledgeArticle>& articles() const;

 private:
  struct Impl;
  explicit KnowledgeIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;  // keeps Xapian's headers out of the HTTP layer
};

}  // namespace gosline::knowledge
