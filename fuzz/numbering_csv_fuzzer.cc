// The regulator's numbering register (R10: the caller's region), a file
// downloaded from outside and loaded at start. Oracles: every range read has
// a three-digit code, seven-digit bounds in order and a line inside the file;
// and a caller's number inside a range reads back as a national number in it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/numbering/national_number.h"
#include "core/numbering/numbering_csv.h"
#include "fuzz_check.h"

using namespace gosline::numbering;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gosline::Result<std::vector<NumberingRange>> ranges = ParseNumberingCsv(text);
  if (!ranges.ok()) {
    FUZZ_CHECK(!ranges.status().message().empty());
    return 0;
  }
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const NumberingRange& r : *ranges) {
    FUZZ_CHECK(r.code >= 0 && r.code <= 999);
    FUZZ_CHECK(r.from <= r.to);
    FUZZ_CHECK(r.to <= 9'999'999);
    FUZZ_CHECK(r.line >= 1 && r.line <= lines);
    if (r.code >= 100) {
      const std::string caller = "+7" + std::to_string(r.first_national());
      std::optional<uint64_t> national = ParseNationalNumber(caller);
      FUZZ_CHECK(national == r.first_national());
    }
  }
  return 0;
}
