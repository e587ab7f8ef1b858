#include "knowledge/markdown_text.h"

#include <gtest/gtest.h>

namespace gosline::knowledge {
namespace {

TEST(MarkdownTextTest, DropsBlockMarkersAndEmphasis) {
  const std::string md =
      "## Что сказать\n"
      "\n"
      "Войдите на **Госуслуги** и\n"
      "нажмите «Восстановить».\n"
      "\n"
      "- первый пункт\n"
      "* второй *пункт*\n"
      "1. шаг один\n"
      "> цитата\n";
  EXPECT_EQ(MarkdownToPlainText(md),
            "Что сказать\n"
            "Войдите на Госуслуги и нажмите «Восстановить».\n"
            "первый пункт\nвторой пункт\nшаг один\nцитата");
}

TEST(MarkdownTextTest, ListItemsAndParagraphsGoOnOverLines) {
  EXPECT_EQ(MarkdownToPlainText("- **Стандартная** — паспорт\n  и СНИЛС.\n- второй\n## Заголовок\nтекст\nдальше"),
            "Стандартная — паспорт и СНИЛС.\nвторой\nЗаголовок\nтекст дальше");
}

TEST(MarkdownTextTest, LinksKeepTheirTextAndWordsKeepUnderscores) {
  EXPECT_EQ(MarkdownToPlainText("См. [сайт](https://www.gosuslugi.ru) и `code_name`."),
            "См. сайт и code_name.");
}

TEST(MarkdownTextTest, HashWithoutSpaceIsText) {
  EXPECT_EQ(MarkdownToPlainText("#хэштег и 2024. год"), "#хэштег и 2024. год");
}

}  // namespace
}  // namespace gosline::knowledge
