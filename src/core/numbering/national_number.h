// A Russian phone number as the ten-digit national number the numbering
// register is keyed by: "+7 (916) 123-45-67", "89161234567", "79161234567"
// and "9161234567" all give 9161234567. Without allocation: it runs once per
// call and millions of times a second in benchmarks.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gosline::numbering {

// nullopt for anything that is not a Russian (+7) number: foreign numbers,
// short numbers, letters.
std::optional<uint64_t> ParseNationalNumber(std::string_view text);

}  // namespace gosline::numbering
