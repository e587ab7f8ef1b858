// Russian function words ("и", "в", "как", "из", ...) that the search leaves
// out: with all words required, "как восстановить пароль" must not need an
// article to contain "как". Xapian ships no stop-word lists, so here is one
// (after the Snowball project's Russian list, shortened).
#pragma once

#include <string_view>
#include <vector>

namespace gosline::knowledge {

const std::vector<std::string_view>& RussianStopwords();

}  // namespace gosline::knowledge
