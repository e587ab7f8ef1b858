// Knowledge-base articles (R6: operators' answers), Markdown files with a
// front matter that editors write by hand and that are loaded at start. The
// input is one file. Oracles: an accepted article has an id, a title and a
// YYYY-MM-DD date, none of them spanning lines; the plain text made for the
// search index and snippets never grows beyond the Markdown it came from.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "knowledge/article_loader.h"
#include "knowledge/markdown_text.h"

using namespace gosline::knowledge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FUZZ_CHECK(MarkdownToPlainText(text).size() <= text.size() + 1);

  gosline::Result<KnowledgeArticle> article = ParseArticle(text, "fuzz-article.md");
  if (!article.ok()) {
    FUZZ_CHECK(article.status().message().find("fuzz-article.md") != std::string::npos ||
               !article.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!article->id.empty());
  FUZZ_CHECK(!article->title.empty());
  FUZZ_CHECK(article->id.find('\n') == std::string::npos);
  FUZZ_CHECK(article->title.find('\n') == std::string::npos);
  FUZZ_CHECK(article->updated.size() == 10);
  FUZZ_CHECK(MarkdownToPlainText(article->body).size() <= article->body.size() + 1);
  return 0;
}
