// The `ivr:` section of the configuration (R5): the menu tree, already checked
// by ValidateIvrModel, shared read-only by every call's IvrSession.
#pragma once

#include <memory>

#include "core/ivr/ivr_model.h"

namespace gosline {

struct IvrConfig {
  // null when the file has no ivr section (the telephony adapter then plays a
  // fixed greeting) or when the section has errors.
  std::shared_ptr<const IvrModel> model;
};

}  // namespace gosline
