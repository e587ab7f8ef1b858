// Citizen phone numbers in E.164. Russian callers dial and present numbers in
// many shapes (8 916..., +7 (916) ..., 7916...); the registry keeps one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gosline {

// Returns "+79161234567" for "+7 916 123-45-67", "89161234567", "79161234567",
// "8 (916) 123 45 67". Non-Russian numbers are accepted when written with '+'
// and 8-15 digits. Returns nullopt for anything else.
std::optional<std::string> NormalizePhone(std::string_view text);

}  // namespace gosline
