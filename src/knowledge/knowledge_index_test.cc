#include "knowledge/knowledge_index.h"

#include <gtest/gtest.h>

#include <thread>

#include "knowledge/article_loader.h"

namespace gosline::knowledge {
namespace {

KnowledgeArticle Article(std::string id, std::string title, std::string topic, std::string body,
                         std::vector<std::string> tags = {}) {
  KnowledgeArticle a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.topic = std::move(topic);
  a.body = std::move(body);
  a.tags = std::move(tags);
  a.updated = "2026-11-20";
  return a;
}

std::vector<KnowledgeArticle> Fixture() {
  return {
      Article("account-registration", "Регистрация на Госуслугах", "registration",
              "## Что понадобится\n- телефон\n- **СНИЛС** и паспорт\n\nУчётная запись создаётся на сайте."),
      Article("password-recovery", "Восстановление пароля", "registration",
              "Чтобы восстановить пароль, нажмите «Не помню пароль» и введите телефон. "
              "Код из SMS никому не сообщайте, даже оператору. Пример кода: <script>.",
              {"вход"}),
      Article("traffic-fines", "Штрафы ГИБДД", "other",
              "Штраф, оплаченный в первые 20 дней, обходится со скидкой 50%. "
              "Неоплаченный штраф становится задолженностью."),
      Article("tax-debt", "Налоговая задолженность", "taxes",
              "Задолженность по налогам видна в разделе «Налоги»."),
  };
}

class KnowledgeIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = KnowledgeIndex::Build(Fixture());
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(index).value();
  }
  std::vector<KnowledgeHit> Search(const std::string& text, const std::string& topic = "",
                                   size_t limit = 10) {
    auto r = index_->Search({text, topic, limit});
    EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
    return r.ok() ? *r : std::vector<KnowledgeHit>{};
  }
  static std::vector<std::string> Ids(const std::vector<KnowledgeHit>& hits) {
    std::vector<std::string> ids;
    for (const KnowledgeHit& h : hits) ids.push_back(h.id);
    return ids;
  }
  std::unique_ptr<KnowledgeIndex> index_;
};

TEST_F(KnowledgeIndexTest, RussianStemmingMatchesOtherFormsOfAWord) {
  // "регистрации" (genitive) finds the article titled "Регистрация ...".
  std::vector<KnowledgeHit> hits = Search("регистрации");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, "account-registration");
  EXPECT_EQ(hits[0].title, "Регистрация на Госуслугах");
  EXPECT_EQ(hits[0].topic, "registration");
  EXPECT_GT(hits[0].score, 0);
  EXPECT_EQ(Ids(Search("восстановить пароль")), std::vector<std::string>{"password-recovery"});
  EXPECT_EQ(Ids(Search("штрафов")), std::vector<std::string>{"traffic-fines"});
}

TEST_F(KnowledgeIndexTest, SnippetsHighlightMatchesAndEscapeHtml) {
  std::vector<KnowledgeHit> hits = Search("SMS код");
  ASSERT_EQ(Ids(hits), std::vector<std::string>{"password-recovery"});
  EXPECT_NE(hits[0].snippet.find("<mark>SMS</mark>"), std::string::npos) << hits[0].snippet;
  EXPECT_NE(hits[0].snippet.find("&lt;script&gt;"), std::string::npos) << hits[0].snippet;
  EXPECT_EQ(hits[0].snippet.find("<script>"), std::string::npos) << hits[0].snippet;
  // Markdown marks are not part of the text.
  hits = Search("СНИЛС");
  ASSERT_EQ(Ids(hits), std::vector<std::string>{"account-registration"});
  EXPECT_EQ(hits[0].snippet.find("**"), std::string::npos) << hits[0].snippet;
  EXPECT_NE(hits[0].snippet.find("<mark>СНИЛС</mark>"), std::string::npos) << hits[0].snippet;
}

TEST_F(KnowledgeIndexTest, TitleWordsWeighMoreThanTextWords) {
  // Both texts have the word; only one title does: that article first.
  std::vector<KnowledgeHit> hits = Search("задолженность");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, "tax-debt");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST_F(KnowledgeIndexTest, AllWordsFirstThenAnyWord) {
  // No article has both: AND finds nothing, OR finds each.
  std::vector<std::string> ids = Ids(Search("пароль штраф"));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"password-recovery", "traffic-fines"}));
  // Both words in one article: only that one (AND).
  EXPECT_EQ(Ids(Search("пароль телефон")), std::vector<std::string>{"password-recovery"});
}

TEST_F(KnowledgeIndexTest, TopicFilter) {
  EXPECT_TRUE(Search("пароль", "taxes").empty());
  EXPECT_EQ(Ids(Search("пароль", "registration")), std::vector<std::string>{"password-recovery"});
  // No words: the topic's articles, by title.
  std::vector<KnowledgeHit> listed = Search("", "registration");
  EXPECT_EQ(Ids(listed), (std::vector<std::string>{"password-recovery", "account-registration"}));
  EXPECT_EQ(listed[0].score, 0);
  EXPECT_FALSE(listed[0].snippet.empty());
  EXPECT_EQ(Search("  ").size(), 4u);
  EXPECT_TRUE(Search("", "no_such_topic").empty());
}

TEST_F(KnowledgeIndexTest, LimitCutsTheList) {
  EXPECT_EQ(Search("", "", 2).size(), 2u);
}

TEST_F(KnowledgeIndexTest, YoAndYeAreTheSame) {
  EXPECT_EQ(Ids(Search("учетная")), std::vector<std::string>{"account-registration"});
  EXPECT_EQ(Ids(Search("учётная")), std::vector<std::string>{"account-registration"});
  // The snippet is the article's own text, "ё" kept, and still highlighted.
  std::vector<KnowledgeHit> hits = Search("учетная");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].snippet.find("<mark>Учётная</mark>"), std::string::npos) << hits[0].snippet;
}

TEST_F(KnowledgeIndexTest, AHalfTypedLastWordMatches) {
  EXPECT_EQ(Ids(Search("восстан")), std::vector<std::string>{"password-recovery"});
}

TEST_F(KnowledgeIndexTest, NonsenseFindsNothing) {
  EXPECT_TRUE(Search("фывапролджэ").empty());
  EXPECT_TRUE(Search("qwzxv").empty());
}

// Whatever is typed, the search answers (maybe with nothing) and never throws.
TEST_F(KnowledgeIndexTest, MalformedQueriesDoNotFail) {
  const std::vector<std::string> queries = {"\"", "AND", "OR", "NOT", "(", ")", "\"пароль", "пароль AND",
                              "AND пароль", "NOT пароль", "пароль NEAR", "-", "+", "*", "a:b",
                              "((((", "\"\"\"", "пароль OR OR", std::string("\xFF\xFE"),
                              std::string(5000, 'a')};
  for (const std::string& q : queries) {
    auto r = index_->Search({q, "", 10});
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
  }
  EXPECT_EQ(Ids(Search("пароль AND")), std::vector<std::string>{"password-recovery"});
}

TEST_F(KnowledgeIndexTest, FindAnArticleById) {
  ASSERT_NE(index_->Find("tax-debt"), nullptr);
  EXPECT_EQ(index_->Find("tax-debt")->title, "Налоговая задолженность");
  EXPECT_EQ(index_->Find("nope"), nullptr);
  EXPECT_EQ(index_->articles().size(), 4u);
}

TEST(KnowledgeIndexBuildTest, RefusesDuplicateIds) {
  std::vector<KnowledgeArticle> twice = {Article("a", "A", "other", "x"), Article("a", "B", "other", "y")};
  auto r = KnowledgeIndex::Build(std::move(twice));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kAlreadyExists);
}

// Operators search at the same time: every thread gets the full, right answer.
TEST_F(KnowledgeIndexTest, ConcurrentSearchesAgree) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  std::vector<int> right(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &right] {
      for (int i = 0; i < kRounds; ++i) {
        auto r = index_->Search({t % 2 ? "пароль" : "регистрации", "", 10});
        if (r.ok() && !r->empty() &&
            (*r)[0].id == (t % 2 ? "password-recovery" : "account-registration")) {
          ++right[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(right[t], kRounds) << "thread " << t;
}

// The questions operators ask most, against the shipped articles.
TEST(DemoKnowledgeSearchTest, FindsTheRightArticles) {
  Result<LoadedArticles> loaded = LoadArticles(GOSLINE_SOURCE_DIR "/data/knowledge");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto index = KnowledgeIndex::Build(loaded->articles);
  ASSERT_TRUE(index.ok());
  auto first = [&](const std::string& q) {
    auto r = (*index)->Search({q, "", 5});
    return r.ok() && !r->empty() ? (*r)[0].id : std::string("(none)");
  };
  EXPECT_EQ(first("регистрации"), "account-registration");
  EXPECT_EQ(first("восстановить пароль"), "password-recovery");
  EXPECT_EQ(first("пароль"), "password-recovery");
  EXPECT_EQ(first("справка о несудимости"), "criminal-record-certificate");
  EXPECT_EQ(first("материнский капитал"), "maternity-capital");
  EXPECT_EQ(first("штраф ГИБДД скидка"), "traffic-fines");
  EXPECT_EQ(first("замена паспорта 45 лет"), "passport-replacement");
  EXPECT_EQ(first("код из смс мошенники"), "fraud-protection");
}

}  // namespace
}  // namespace gosline::knowledge
