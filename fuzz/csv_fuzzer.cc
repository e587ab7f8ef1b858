// The CSV reader behind case import (R17), which reads files from other
// systems and spreadsheets. Oracles: every record read, written back with
// WriteRecord, reads again as the same fields; line numbers never go back;
// the reader always ends (errors resume at the next line).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "io/csv.h"

using namespace gosline;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  // A small record limit, so the fuzzer reaches the "record too large" path.
  csv::Reader reader(in, 4096);
  int last_line = 0;
  // Each call consumes at least one byte or ends: bounded by the input.
  for (size_t calls = 0; calls <= size + 1; ++calls) {
    Result<std::optional<csv::Record>> next = reader.Next();
    if (!next.ok()) {
      FUZZ_CHECK(reader.error_line() >= last_line);
      last_line = reader.error_line();
      continue;
    }
    if (!next->has_value()) return 0;
    const csv::Record& record = **next;
    FUZZ_CHECK(record.line >= last_line);
    last_line = record.line;

    // Read back as a record in the middle of a file: after a line end, where
    // a leading byte order mark is text, not the file's encoding mark.
    std::ostringstream out;
    out << "\n";
    csv::WriteRecord(out, record.fields);
    std::istringstream again_in(out.str());
    csv::Reader again(again_in);
    Result<std::optional<csv::Record>> back = again.Next();
    FUZZ_CHECK(back.ok());
    if (record.fields.size() == 1 && record.fields[0].empty()) {
      // One empty field writes an empty line, which the reader skips.
      continue;
    }
    FUZZ_CHECK(back->has_value());
    FUZZ_CHECK((*back)->fields == record.fields);
  }
  FUZZ_CHECK(!"the reader did not reach the end of its input");
  return 0;
}
