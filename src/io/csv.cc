#include "io/csv.h"

#include <utility>

namespace gosline::csv {
namespace {

constexpr int kEof = std::char_traits<char>::eof();

}  // namespace

Reader::Reader(std::istream& in, size_t max_record_bytes)
    : buf_(in.rdbuf()), max_record_bytes_(max_record_bytes) {}

int Reader::Peek() {
  if (!pending_.empty()) return static_cast<unsigned char>(pending_.front());
  return buf_ ? buf_->sgetc() : kEof;
}

int Reader::Get() {
  int c;
  if (!pending_.empty()) {
    c = static_cast<unsigned char>(pending_.front());
    pending_.erase(0, 1);
  } else {
    c = buf_ ? buf_->sbumpc() : kEof;
  }
  if (c == '\n') ++line_;
  return c;
}

void Reader::SkipByteOrderMark() {
  static constexpr char kBom[] = "\xEF\xBB\xBF";
  for (size_t i = 0; i < 3; ++i) {
    if (Peek() != static_cast<unsigned char>(kBom[i])) {
      pending_.assign(kBom, i);  // not a BOM after all: replay what was taken
      return;
    }
    buf_->sbumpc();
  }
}

Status Reader::Fail(int line, std::string what) {
  error_line_ = line;
  SkipRestOfLine();
  return Status::InvalidArgument(std::move(what));
}

void Reader::SkipRestOfLine() {
  for (int c = Get(); c != kEof && c != '\n'; c = Get()) {
  }
}

Result<std::optional<Record>> Reader::Next() {
  if (!started_) {
    started_ = true;
    SkipByteOrderMark();
  }
  // Empty lines separate nothing; skip them.
  for (;;) {
    int c = Peek();
    if (c == kEof) return std::optional<Record>();
    if (c == '\n') {
      Get();
      continue;
    }
    if (c == '\r') {
      Get();
      if (Peek() == '\n') {
        Get();
        continue;
      }
      return Fail(line_, "carriage return without line feed");
    }
    break;
  }

  enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  Record rec;
  rec.line = line_;
  std::string field;
  size_t bytes = 0;
  int quote_line = 0;
  State state = State::kFieldStart;
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    state = State::kFieldStart;
  };
  for (;;) {
    const int c = Get();
    if (++bytes > max_record_bytes_) {
      return Fail(rec.line, "record longer than " + std::to_string(max_record_bytes_) + " bytes");
    }
    if (state == State::kQuoted) {
      if (c == kEof) {
        error_line_ = rec.line;
        return Status::InvalidArgument("quoted field opened on line " + std::to_string(quote_line) +
                                       " is never closed");
      }
      if (c == '"') {
        if (Peek() == '"') {
          Get();
          field += '"';
        } else {
          state = State::kAfterQuote;
        }
      } else {
        field += static_cast<char>(c);
      }
      continue;
    }
    // Outside quotes: separators and record ends.
    if (c == ',') {
      end_field();
      continue;
    }
    if (c == kEof || c == '\n') {
      end_field();
      return std::optional<Record>(std::move(rec));
    }
    if (c == '\r') {
      if (Peek() == '\n') {
        Get();
        end_field();
        return std::optional<Record>(std::move(rec));
      }
      return Fail(line_, "carriage return without line feed");
    }
    switch (state) {
      case State::kFieldStart:
        if (c == '"') {
          state = State::kQuoted;
          quote_line = line_;
        } else {
          field += static_cast<char>(c);
          state = State::kUnquoted;
        }
        break;
      case State::kUnquoted:
        if (c == '"') {
          return Fail(line_,
                      "quote inside an unquoted field (quote the whole field and double "
                      "the quote)");
        }
        field += static_cast<char>(c);
        break;
      case State::kAfterQuote:
        return Fail(line_,
                    "text after a closing quote (a quote inside a quoted field must be "
                    "doubled)");
      case State::kQuoted:
        break;  // handled above
    }
  }
}

std::string Escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void WriteRecord(std::ostream& out, const std::vector<std::string>& fields) {
  // A lone empty field would be an empty line, which readers skip.
  if (fields.size() == 1 && fields.front().empty()) {
    out << "\"\"\r\n";
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << Escape(fields[i]);
  }
  out << "\r\n";
}

}  // namespace gosline::csv
