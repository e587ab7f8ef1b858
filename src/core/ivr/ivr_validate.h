// Checks a menu tree once, at load, so that a call never meets a broken one:
// unknown node references, unreachable nodes, loops the caller cannot leave
// by a key, prompts without a text in some language, impossible settings.
#pragma once

#include <string>
#include <vector>

#include "core/common/status.h"
#include "core/ivr/ivr_model.h"

namespace gosline {

struct IvrModelIssue {
  std::string node;     // node id ("" = the model as a whole)
  std::string path;     // "nodes.main_menu.options.7", "prompts.greeting.en"
  std::string message;  // "unknown node 'case_stauts'"
};

// Every problem, in a stable order (by node id, then field).
std::vector<IvrModelIssue> FindIvrModelIssues(const IvrModel& model);

// Ok, or InvalidArgument naming the first problem's path (field) and the count.
Status ValidateIvrModel(const IvrModel& model);

}  // namespace gosline
