#include "knowledge/article_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace gosline::knowledge {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFileBytes = 256 * 1024;  // an article, not a book
constexpr size_t kMaxTitleBytes = 200;

Status ErrorAt(const std::string& file, int line, const std::string& message) {
  return Status::InvalidArgument(file + ":" + std::to_string(line) + ": " + message);
}

// The 1-based line of the first byte that is not UTF-8, or 0 when all is.
int FirstInvalidUtf8Line(std::string_view s) {
  int line = 1;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return line;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return line;
    }
    if (c == '\n') ++line;
    i += n;
  }
  return 0;
}

bool IsArticleId(const std::string& s) {
  if (s.empty() || s.size() > 64 || s.front() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsTopicId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Reads the front matter (YAML) into `a`; `first_line` is the file line of
// its first line, so errors point into the file, not into the YAML snippet.
Status ReadFrontMatter(const std::string& yaml, int first_line, const std::string& file,
                       KnowledgeArticle& a) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return ErrorAt(file, first_line + std::max(e.mark.line, 0), "front matter: " + e.msg);
  }
  if (!root.IsMap()) return ErrorAt(file, first_line, "front matter: expected key: value lines");
  auto line_of = [first_line](const YAML::Node& n) { return first_line + std::max(n.Mark().line, 0); };
  const std::vector<std::string> known = {"id", "title", "title_en", "topic", "tags", "updated"};
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return ErrorAt(file, line_of(item.first), "unknown key \"" + key + "\" (expected id, title, title_en, topic, tags, updated)");
    }
  }
  // A required (or optional) text value; refuses lists and maps.
  auto text = [&](const char* key, bool required, std::string& out) -> Status {
    const YAML::Node n = root[key];
    if (!n) return required ? ErrorAt(file, first_line, std::string("missing \"") + key + "\"") : Status::Ok();
    if (!n.IsScalar() || n.Scalar().empty()) {
      return ErrorAt(file, line_of(n), std::string("\"") + key + "\": expected a non-empty text");
    }
    out = n.Scalar();
    return Status::Ok();
  };
  GOSLINE_RETURN_IF_ERROR(text("id", true, a.id));
  if (!IsArticleId(a.id)) {
    return ErrorAt(file, line_of(root["id"]), "\"id\": expected lower-case letters, digits and '-', got \"" + a.id + "\"");
  }
  GOSLINE_RETURN_IF_ERROR(text("title", true, a.title));
  if (a.title.size() > kMaxTitleBytes) return ErrorAt(file, line_of(root["title"]), "\"title\": longer than 200 bytes");
  GOSLINE_RETURN_IF_ERROR(text("title_en", false, a.title_en));
  GOSLINE_RETURN_IF_ERROR(text("topic", true, a.topic));
  if (!IsTopicId(a.topic)) return ErrorAt(file, line_of(root["topic"]), "\"topic\": expected a topic id like registration");
  GOSLINE_RETURN_IF_ERROR(text("updated", true, a.updated));
  if (!IsDate(a.updated)) return ErrorAt(file, line_of(root["updated"]), "\"updated\": expected a date YYYY-MM-DD");
  if (const YAML::Node tags = root["tags"]) {
    if (!tags.IsSequence()) return ErrorAt(file, line_of(tags), "\"tags\": expected a list like [пароль, вход]");
    for (const YAML::Node& t : tags) {
      if (!t.IsScalar() || t.Scalar().empty()) return ErrorAt(file, line_of(t), "\"tags\": expected words");
      a.tags.push_back(t.Scalar());
    }
  }
  return Status::Ok();
}

// The line of the front matter that sets `key`, for checks made after parsing.
int LineOfKey(const std::string& text, const std::string& key) {
  int line = 1;
  for (size_t pos = 0; pos < text.size(); ++line) {
    if (text.compare(pos, key.size() + 1, key + ":") == 0) return line;
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return 1;
}

}  // namespace

Result<KnowledgeArticle> ParseArticle(std::string_view text, const std::string& file) {
  if (text.size() > kMaxFileBytes) return ErrorAt(file, 1, "larger than 256 KiB");
  if (int bad = FirstInvalidUtf8Line(text); bad != 0) return ErrorAt(file, bad, "not UTF-8 text");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM some editors write
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  auto next = [&]() -> bool {
    if (!std::getline(in, line)) return false;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next() || line != "---") return ErrorAt(file, 1, "expected the front matter to start with a line \"---\"");
  std::string yaml;
  bool closed = false;
  while (next()) {
    if (line == "---") {
      closed = true;
      break;
    }
    yaml += line + "\n";
  }
  if (!closed) return ErrorAt(file, 1, "the front matter has no closing line \"---\"");
  KnowledgeArticle a;
  a.source = file;
  GOSLINE_RETURN_IF_ERROR(ReadFrontMatter(yaml, 2, file, a));
  const int body_line = number + 1;
  std::string body;
  while (next()) body += line + "\n";
  const size_t first = body.find_first_not_of(" \t\n");
  if (first == std::string::npos) return ErrorAt(file, body_line, "the article has no text after the front matter");
  a.body = body.substr(first);
  return a;
}

Result<LoadedArticles> LoadArticles(const fs::path& dir, const std::set<std::string>& known_topics) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("no knowledge-base folder " + dir.string());
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    // README.md tells the editors the format; it is not an article.
    if (it->path().extension() == ".md" && it->path().filename() != "README.md" &&
        it->is_regular_file(ec)) {
      files.push_back(it->path());
    }
  }
  if (ec) return Status::IoError("cannot read " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  LoadedArticles out;
  for (const fs::path& path : files) {
    const std::string name = path.string();
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      out.errors.push_back(name + ":1: cannot open the file");
      continue;
    }
    std::ostringstream text;
    text << f.rdbuf();
    Result<KnowledgeArticle> a = ParseArticle(text.str(), name);
    if (!a.ok()) {
      out.errors.push_back(a.status().message());
      continue;
    }
    // The id is the file name: links stay stable and two files cannot share one.
    if (a->id != path.stem().string()) {
      out.errors.push_back(name + ":" + std::to_string(LineOfKey(text.str(), "id")) + ": \"id\" is \"" +
                           a->id + "\" but the file is named " + path.filename().string() +
                           "; they must match");
      continue;
    }
    if (!known_topics.empty() && !known_topics.count(a->topic)) {
      out.errors.push_back(name + ":" + std::to_string(LineOfKey(text.str(), "topic")) +
                           ": \"topic\": \"" + a->topic + "\" is not a topic of the configuration");
      continue;
    }
    out.articles.push_back(std::move(a).value());
  }
  return out;
}

}  // namespace gosline::knowledge
