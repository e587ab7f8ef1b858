#include "knowledge/markdown_text.h"

#include <cctype>

namespace gosline::knowledge {
namespace {

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "## ", "- ", "* ", "+ ", "12. ", "> " at the start of a line.
std::string_view StripBlockMarker(std::string_view line) {
  line = TrimLeft(line);
  size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes > 0 && hashes <= 6 && (hashes == line.size() || line[hashes] == ' ')) {
    return TrimLeft(line.substr(hashes));
  }
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+' || line[0] == '>') &&
      line[1] == ' ') {
    return TrimLeft(line.substr(2));
  }
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      line[digits + 1] == ' ') {
    return TrimLeft(line.substr(digits + 2));
  }
  return line;
}

// Drops emphasis and code marks; [text](target) keeps the text.
void AppendInline(std::string_view line, std::string& out) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '*' || c == '_' || c == '`') {
      // Intra-word underscores ("snake_case") are words, not emphasis.
      const bool inside_word = c == '_' && i > 0 && i + 1 < line.size() &&
                               std::isalnum(static_cast<unsigned char>(line[i - 1])) &&
                               std::isalnum(static_cast<unsigned char>(line[i + 1]));
      if (!inside_word) continue;
    }
    if (c == ']' && i + 1 < line.size() && line[i + 1] == '(') {
      const size_t close = line.find(')', i + 2);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (c == '[') continue;
    out += c;
  }
}

}  // namespace

std::string MarkdownToPlainText(std::string_view markdown) {
  std::string out;
  bool paragraph_open = false;
  while (!markdown.empty()) {
    const size_t nl = markdown.find('\n');
    std::string_view line = TrimRight(markdown.substr(0, nl));
    markdown.remove_prefix(nl == std::string_view::npos ? markdown.size() : nl + 1);
    if (TrimLeft(line).empty() || TrimLeft(line).starts_with("---")) {
      paragraph_open = false;
      continue;
    }
    const std::string_view stripped = StripBlockMarker(line);
    const bool block_start = stripped.size() != TrimLeft(line).size();
    if (paragraph_open && !block_start) {
      out += ' ';  // a wrapped line of the same paragraph or list item
    } else if (!out.empty()) {
      out += '\n';
    }
    AppendInline(stripped, out);
    // A heading stands alone; a paragraph or a list item may go on on the next line.
    paragraph_open = !TrimLeft(line).starts_with('#') || !block_start;
  }
  return out;
}

}  // namespace gosline::knowledge
