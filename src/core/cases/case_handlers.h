// R20: who handles a case. An operator handles a case they opened, one
// assigned to them, or one whose call they answered; those are the cases
// whose citizen they deal with, so they see the full phone number. Writing on
// a case (a note, a link, a change) does not make one its handler: anyone who
// may see a case may write on it, and a note must not unmask a number.
#pragma once

#include <array>
#include <string_view>

#include "core/cases/case.h"

namespace gosline {

// History actions whose actor handles the case from then on.
inline constexpr std::string_view kAssignedAction = "assigned";
inline constexpr std::string_view kAnsweredAction = "answered";
inline constexpr std::array<std::string_view, 3> kHandlingActions = {"created", kAssignedAction,
                                                                     kAnsweredAction};

bool IsHandlingAction(std::string_view action);

// Whether `principal` ("user:ivanova") handles the case, by its history.
bool IsHandledBy(const Case& c, std::string_view principal);

}  // namespace gosline
