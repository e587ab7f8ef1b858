// A citizen's phone number as shown to whoever may not have it in full.
#pragma once

#include <string>
#include <string_view>

namespace gosline {

// "+79161234567" -> "+7 916 ***-**-67"; other shapes keep only the last two
// digits. Enough to tell cases (or log lines) apart with the citizen on the
// phone, not enough to dial: what staff without the right see (R20), and
// the only form a caller's number takes in the logs (R22).
std::string MaskPhone(std::string_view e164);

}  // namespace gosline
