// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF or
// LF, a field with a comma, quote or line break enclosed in double quotes and
// its quotes doubled. Written here rather than taken from a library because
// Debian 12 packages no C++ CSV reader that reports the physical line where
// each record starts, which import needs for "file:line: reason" reports.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/status.h"

namespace gosline::csv {

struct Record {
  int line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

// Reads records one at a time. Tolerates a UTF-8 byte order mark at the start
// and skips empty lines. A malformed record (an unterminated quoted field, a
// quote inside an unquoted field, text after a closing quote, a record over
// the size limit) is an error naming its line; the reader then resumes at the
// next physical line, so a caller can go on to report later records too.
class Reader {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 1 << 20;

  explicit Reader(std::istream& in, size_t max_record_bytes = kDefaultMaxRecordBytes);

  // The next record, std::nullopt at the end of input, or an error saying
  // what is wrong; error_line() then says where.
  Result<std::optional<Record>> Next();

  // Physical line of the last error returned by Next().
  int error_line() const { return error_line_; }

 private:
  int Get();  // next byte or EOF; counts lines
  int Peek();
  void SkipByteOrderMark();
  Status Fail(int line, std::string what);
  void SkipRestOfLine();

  std::streambuf* buf_;
  std::string pending_;  // bytes read ahead at the start that were not a BOM
  size_t max_record_bytes_;
  int line_ = 1;  // physical line of the next byte
  int error_line_ = 0;
  bool started_ = false;
};

// `field` as it must appear in a record: unchanged, or quoted with its
// quotes doubled when it holds a comma, quote, CR or LF.
std::string Escape(std::string_view field);

// Writes one record terminated by CRLF (RFC 4180).
void WriteRecord(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace gosline::csv
