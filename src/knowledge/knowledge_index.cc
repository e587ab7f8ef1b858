#include "knowledge/knowledge_index.h"

#include <xapian.h>

#include <set>

#include "core/common/thread_annotations.h"
#include "knowledge/markdown_text.h"
#include "knowledge/russian_stopwords.h"

namespace gosline::knowledge {
namespace {

// Xapian's conventional prefixes: Q = unique id, XT = topic (boolean), S = title words.
constexpr const char* kIdPrefix = "Q";
constexpr const char* kTopicPrefix = "XT";
constexpr const char* kTitlePrefix = "S";
constexpr Xapian::valueno kTitleSlot = 0;  // sort key of a listing
// The title is indexed twice: as text, and as its own field whose matches
// add this much more weight (BM25 saturates repeated words, so counting a
// title word several times would not lift the title enough).
constexpr double kTitleBoost = 2.0;
constexpr size_t kSnippetBytes = 240;

// People type "е" for "ё" ("учетная запись"); both sides are folded to "е".
std::string FoldYo(std::string s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]);
    const auto b = static_cast<unsigned char>(s[i + 1]);
    if (a == 0xD1 && b == 0x91) {         // ё -> е
      s[i] = static_cast<char>(0xD0);
      s[i + 1] = static_cast<char>(0xB5);
    } else if (a == 0xD0 && b == 0x81) {  // Ё -> Е
      s[i + 1] = static_cast<char>(0x95);
    }
  }
  return s;
}

// The Russian stemmer on folded words: snippets are cut from the article's
// own text (with its "ё"), and still find the words of a folded query.
class FoldingRussianStem final : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override { return russian_(FoldYo(word)); }
  std::string get_description() const override { return "russian, ё as е"; }

 private:
  Xapian::Stem russian_{"russian"};
};

std::string EscapeHtml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The start of a text, cut at a space (so never inside a UTF-8 character).
std::string Opening(const std::string& text) {
  if (text.size() <= kSnippetBytes) return EscapeHtml(text);
  size_t cut = text.rfind(' ', kSnippetBytes);
  if (cut == std::string::npos) cut = kSnippetBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return EscapeHtml(text.substr(0, cut)) + "…";
}

}  // namespace

struct KnowledgeIndex::Impl {
  Impl() {
    for (std::string_view w : RussianStopwords()) stopper.add(std::string(w));
  }

  // Threads: any, through Search (see the header). articles and plain are
  // written by Build only, before the index is shared, and read-only after.
  // mutex guards the Xapian objects, none of which may be used from two
  // threads at once (their handles share reference counts that are not
  // atomic: a parser or an enquiry copies them).
  std::vector<KnowledgeArticle> articles;
  std::vector<std::string> plain;  // plain text per article, for snippets
  mutable Mutex mutex;
  Xapian::Stem stemmer GOSLINE_GUARDED_BY(mutex){new FoldingRussianStem};  // owned by the Stem
  Xapian::SimpleStopper stopper GOSLINE_GUARDED_BY(mutex);
  Xapian::WritableDatabase db GOSLINE_GUARDED_BY(mutex);

  // The words anywhere, plus (optionally) the same words in the title.
  Xapian::Query Parse(const std::string& text, Xapian::Query::op default_op) const
      GOSLINE_REQUIRES(mutex) {
    Xapian::Query words = ParseField(text, default_op, "");
    Xapian::Query title = ParseField(text, Xapian::Query::OP_OR, kTitlePrefix);
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, words,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, kTitleBoost));
  }

  Xapian::Query ParseField(const std::string& text, Xapian::Query::op default_op,
                           const std::string& prefix) const GOSLINE_REQUIRES(mutex) {
    Xapian::QueryParser parser;
    parser.set_stopper(&stopper);
    parser.set_stemmer(stemmer);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(db);  // FLAG_PARTIAL expands the last word against it
    parser.set_default_op(default_op);
    // A search box: the last word may be half typed ("парол").
    const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PARTIAL;
    try {
      return parser.parse_query(text, flags, prefix);
    } catch (const Xapian::QueryParserError&) {
      return parser.parse_query(text, 0, prefix);  // plain words, no operators
    }
  }

  Xapian::MSet Run(const Xapian::Query& query, const std::string& topic, size_t limit,
                   bool by_title) const GOSLINE_REQUIRES(mutex) {
    Xapian::Query q = query;
    if (!topic.empty()) q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(kTopicPrefix + topic));
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    if (by_title) enquire.set_sort_by_value(kTitleSlot, false);
    return enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  }
};

KnowledgeIndex::KnowledgeIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KnowledgeIndex::~KnowledgeIndex() = default;

Result<std::unique_ptr<KnowledgeIndex>> KnowledgeIndex::Build(std::vector<KnowledgeArticle> articles) {
  auto impl = std::make_unique<Impl>();
  std::set<std::string> ids;
  for (const KnowledgeArticle& a : articles) {
    if (!ids.insert(a.id).second) return Status::AlreadyExists("two knowledge articles have the id " + a.id);
  }
  try {
    // Not shared yet: taken only so every use of the Xapian objects is under it.
    MutexLock lock(impl->mutex);
    impl->db = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::TermGenerator indexer;
    indexer.set_stemmer(impl->stemmer);
    indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    indexer.set_stopper(&impl->stopper);
    indexer.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
    for (size_t i = 0; i < articles.size(); ++i) {
      const KnowledgeArticle& a = articles[i];
      std::string plain = MarkdownToPlainText(a.body);
      Xapian::Document doc;
      indexer.set_document(doc);
      const std::string title = FoldYo(a.title);
      indexer.index_text(title, 1, kTitlePrefix);
      indexer.increase_termpos();  // no phrase spans the title and the text
      indexer.index_text(title, 2);  // with positions, for phrases
      indexer.increase_termpos();
      for (const std::string& tag : a.tags) {
        indexer.index_text(FoldYo(tag), 2);
        indexer.increase_termpos();
      }
      indexer.index_text(FoldYo(plain));
      doc.add_boolean_term(kIdPrefix + a.id);
      doc.add_boolean_term(kTopicPrefix + a.topic);
      doc.add_value(kTitleSlot, FoldYo(a.title));
      doc.set_data(std::to_string(i));  // the article's place in `articles`
      impl->db.add_document(doc);
      impl->plain.push_back(std::move(plain));
    }
    impl->db.commit();
  } catch (const Xapian::Error& e) {
    return Status::Internal("cannot index the knowledge base: " + e.get_description());
  }
  impl->articles = std::move(articles);
  return std::unique_ptr<KnowledgeIndex>(new KnowledgeIndex(std::move(impl)));
}

Result<std::vector<KnowledgeHit>> KnowledgeIndex::Search(const KnowledgeQuery& query) const {
  MutexLock lock(impl_->mutex);
  std::vector<KnowledgeHit> hits;
  try {
    const std::string text = FoldYo(query.text);
    const bool listing = text.find_first_not_of(" \t\r\n") == std::string::npos;
    Xapian::Query q = listing ? Xapian::Query::MatchAll : impl_->Parse(text, Xapian::Query::OP_AND);
    Xapian::MSet found = impl_->Run(q, query.topic, query.limit, listing);
    if (found.empty() && !listing) {
      q = impl_->Parse(text, Xapian::Query::OP_OR);
      found = impl_->Run(q, query.topic, query.limit, false);
    }
    for (Xapian::MSetIterator it = found.begin(); it != found.end(); ++it) {
      const size_t i = std::stoul(it.get_document().get_data());
      const KnowledgeArticle& a = impl_->articles.at(i);
      KnowledgeHit hit{a.id, a.title, a.topic, "", listing ? 0.0 : it.get_weight()};
      hit.snippet = listing ? Opening(impl_->plain[i])
                            : found.snippet(impl_->plain[i], kSnippetBytes, impl_->stemmer,
                                            Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                                Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                            "<mark>", "</mark>", "…");
      hits.push_back(std::move(hit));
    }
  } catch (const Xapian::Error& e) {
    return Status::Internal("knowledge search failed: " + e.get_description());
  }
  return hits;
}

const KnowledgeArticle* KnowledgeIndex::Find(std::string_view id) const {
  for (const KnowledgeArticle& a : impl_->articles) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const std::vector<KnowledgeArticle>& KnowledgeIndex::articles() const { return impl_->articles; }

}  // namespace gosline::knowledge
