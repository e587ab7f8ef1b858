// The short texts citizens and operators type or dictate: case numbers (R16,
// read over the phone), phone numbers (R14 finds a caller's cases by them,
// R10 their region) and ISO 8601 times of the API and import files. The input
// is one candidate of each, the same bytes. Oracles: normal forms are valid
// and fixed points (normalising a normal form changes nothing); a Russian
// E.164 number reads as its national number; a parsed time formats and parses
// back to the same instant.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/cases/case_number.h"
#include "core/cases/phone.h"
#include "core/common/time.h"
#include "core/numbering/national_number.h"
#include "fuzz_check.h"

using namespace gosline;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (std::optional<std::string> number = CaseNumber::Normalize(text)) {
    FUZZ_CHECK(CaseNumber::IsValid(*number));
    FUZZ_CHECK(CaseNumber::Normalize(*number) == number);
  }
  if (CaseNumber::IsValid(text)) FUZZ_CHECK(CaseNumber::Normalize(text) == std::string(text));

  if (std::optional<std::string> phone = NormalizePhone(text)) {
    FUZZ_CHECK(phone->size() >= 2 && (*phone)[0] == '+');
    FUZZ_CHECK(NormalizePhone(*phone) == phone);
    if (phone->starts_with("+7") && phone->size() == 12) {
      std::optional<uint64_t> national = numbering::ParseNationalNumber(*phone);
      FUZZ_CHECK(national.has_value());
      FUZZ_CHECK(std::to_string(*national) == phone->substr(2) ||
                 (*phone)[2] == '0');  // a leading 0 is not written by to_string
    }
  }
  (void)numbering::ParseNationalNumber(text);

  if (std::optional<Time> t = ParseIso8601(text)) {
    const std::string formatted = FormatIso8601(*t);
    std::optional<Time> again = ParseIso8601(formatted);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *t);
  }
  return 0;
}
