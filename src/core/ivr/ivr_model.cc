#include "core/ivr/ivr_model.h"

namespace gosline {

std::string_view ToString(IvrNodeKind k) {
  switch (k) {
    case IvrNodeKind::kPlay: return "play";
    case IvrNodeKind::kMenu: return "menu";
    case IvrNodeKind::kCollectDigits: return "collect_digits";
    case IvrNodeKind::kServiceCode: return "service_code";
    case IvrNodeKind::kCaseStatus: return "case_status";
    case IvrNodeKind::kTypicalAnswer: return "typical_answer";
    case IvrNodeKind::kHoursCheck: return "hours_check";
    case IvrNodeKind::kQueue: return "queue";
    case IvrNodeKind::kLanguageSelect: return "language_select";
    case IvrNodeKind::kHangup: return "hangup";
  }
  return "unknown";
}

const IvrNode* IvrModel::FindNode(std::string_view id) const {
  const auto it = nodes.find(std::string(id));
  return it == nodes.end() ? nullptr : &it->second;
}

}  // namespace gosline
