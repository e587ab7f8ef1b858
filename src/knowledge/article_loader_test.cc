#include "knowledge/article_loader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "config/config_loader.h"
#include "knowledge/knowledge_base.h"

namespace gosline::knowledge {
namespace {

namespace fs = std::filesystem;

const char* const kGood =
    "---\n"
    "id: password-recovery\n"
    "title: Восстановление пароля\n"
    "title_en: Password recovery\n"
    "topic: registration\n"
    "tags: [пароль, вход]\n"
    "updated: 2026-11-20\n"
    "---\n"
    "\n"
    "## Что сказать\n"
    "Нажмите «Не помню пароль».\n";

TEST(ArticleLoaderTest, ParsesFrontMatterAndBody) {
  Result<KnowledgeArticle> a = ParseArticle(kGood, "x.md");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->id, "password-recovery");
  EXPECT_EQ(a->title, "Восстановление пароля");
  EXPECT_EQ(a->title_en, "Password recovery");
  EXPECT_EQ(a->topic, "registration");
  EXPECT_EQ(a->tags, (std::vector<std::string>{"пароль", "вход"}));
  EXPECT_EQ(a->updated, "2026-11-20");
  EXPECT_EQ(a->body, "## Что сказать\nНажмите «Не помню пароль».\n");
  EXPECT_EQ(a->source, "x.md");
}

// Each broken file is refused with the file and the line of the mistake.
TEST(ArticleLoaderTest, ErrorsNameTheFileAndLine) {
  struct Case {
    std::string text;
    std::string expected;  // the start of the message
  };
  const std::vector<Case> cases = {
      {"# Заголовок\n", "a.md:1: expected the front matter"},
      {"---\nid: a\n", "a.md:1: the front matter has no closing line"},
      {"---\nid: a\ntitle: T\ntopic: other\nupdated: 2026-01-01\ncolour: red\n---\ntext\n",
       "a.md:6: unknown key \"colour\""},
      {"---\nid: a\ntitle: T\ntopic: other\nupdated: 2026-13-01\n---\ntext\n",
       "a.md:5: \"updated\": expected a date"},
      {"---\nid: A b\ntitle: T\ntopic: other\nupdated: 2026-01-01\n---\ntext\n", "a.md:2: \"id\""},
      {"---\nid: a\ntopic: other\nupdated: 2026-01-01\n---\ntext\n", "a.md:2: missing \"title\""},
      {"---\nid: a\ntitle: T\ntopic: other\nupdated: 2026-01-01\ntags: пароль\n---\ntext\n",
       "a.md:6: \"tags\": expected a list"},
      {"---\nid: a\ntitle: [T\ntopic: other\n---\ntext\n", "a.md:"},
      {"---\nid: a\ntitle: T\ntopic: other\nupdated: 2026-01-01\n---\n\n  \n", "a.md:7: the article has no text"},
      {"---\nid: a\ntitle: T\ntopic: other\nupdated: 2026-01-01\n---\nbad \xFF byte\n", "a.md:7: not UTF-8"},
  };
  for (const Case& c : cases) {
    Result<KnowledgeArticle> a = ParseArticle(c.text, "a.md");
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_EQ(a.status().message().rfind(c.expected, 0), 0u)
        << "got: " << a.status().message() << "\nexpected to start with: " << c.expected;
  }
}

class ArticleFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gosline-kb-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(ArticleFolderTest, ABadFileIsReportedAndTheOthersLoad) {
  Write("password-recovery.md", kGood);
  Write("broken.md", "---\nid: broken\ntitle: T\ntopic: other\nupdated: yesterday\n---\ntext\n");
  Write("renamed.md", std::string(kGood));  // its id says password-recovery
  Write("notes.txt", "not an article");
  Write("README.md", "# How to write an article\n");
  Result<LoadedArticles> r = LoadArticles(dir_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_EQ(r->articles[0].id, "password-recovery");
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0], (dir_ / "broken.md").string() + ":5: \"updated\": expected a date YYYY-MM-DD");
  EXPECT_EQ(r->errors[1].rfind((dir_ / "renamed.md").string() + ":2: \"id\" is \"password-recovery\"", 0), 0u)
      << r->errors[1];
}

TEST_F(ArticleFolderTest, TopicsOutsideTheConfigurationAreRefused) {
  Write("password-recovery.md", kGood);
  Result<LoadedArticles> r = LoadArticles(dir_, {"taxes", "other"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->articles.empty());
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_NE(r->errors[0].find(":5: \"topic\": \"registration\" is not a topic"), std::string::npos)
      << r->errors[0];
}

TEST_F(ArticleFolderTest, AMissingFolderIsNotFound) {
  Result<LoadedArticles> r = LoadArticles(dir_ / "nowhere");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

// What serve does at start: the good articles are searchable, the bad ones
// are reported, a missing folder turns the search off.
TEST_F(ArticleFolderTest, OpenKnowledgeBaseServesWhatLoaded) {
  Write("password-recovery.md", kGood);
  Write("broken.md", "no front matter\n");
  std::vector<std::string> problems;
  std::shared_ptr<const KnowledgeIndex> index = OpenKnowledgeBase(dir_, {}, problems);
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->articles().size(), 1u);
  auto hits = index->Search({"пароль", "", 10});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind((dir_ / "broken.md").string() + ":1:", 0), 0u) << problems[0];

  problems.clear();
  EXPECT_EQ(OpenKnowledgeBase(dir_ / "nowhere", {}, problems), nullptr);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("search is off"), std::string::npos);
}

// The demo articles that ship with gosline all load, on the topics of the
// demo configuration.
TEST(DemoKnowledgeTest, EveryShippedArticleLoads) {
  const ConfigLoadResult config = LoadConfigFile(GOSLINE_SOURCE_DIR "/config/gosline.yaml");
  ASSERT_TRUE(config.ok());
  std::set<std::string> topics;
  for (const Topic& t : config.config.topics) topics.insert(t.id);
  Result<LoadedArticles> r = LoadArticles(GOSLINE_SOURCE_DIR "/data/knowledge", topics);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const std::string& e : r->errors) ADD_FAILURE() << e;
  EXPECT_GE(r->articles.size(), 15u);
  EXPECT_LE(r->articles.size(), 25u);
}

}  // namespace
}  // namespace gosline::knowledge
