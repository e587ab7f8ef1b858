// The plain text of an article's Markdown, for the index and for snippets:
// the words without the markup (heading marks, list markers, emphasis, link
// targets), so a search for "##" finds nothing and a snippet shows no "**".
#pragma once

#include <string>
#include <string_view>

namespace gosline::knowledge {

// One line per paragraph, heading or list item; markup removed.
std::string MarkdownToPlainText(std::string_view markdown);

}  // namespace gosline::knowledge
