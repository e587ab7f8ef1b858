#include "core/ivr/ivr_step.h"

namespace gosline {

const IvrStep& StepFor(IvrNodeKind kind) {
  switch (kind) {
    case IvrNodeKind::kPlay: return PlayStep();
    case IvrNodeKind::kMenu: return MenuStep();
    case IvrNodeKind::kCollectDigits: return CollectDigitsStep();
    case IvrNodeKind::kServiceCode: return ServiceCodeStep();
    case IvrNodeKind::kCaseStatus: return CaseStatusStep();
    case IvrNodeKind::kTypicalAnswer: return TypicalAnswerStep();
    case IvrNodeKind::kHoursCheck: return HoursCheckStep();
    case IvrNodeKind::kQueue: return QueueStep();
    case IvrNodeKind::kLanguageSelect: return LanguageSelectStep();
    case IvrNodeKind::kHangup: return HangupStep();
    case IvrNodeKind::kListen: return ListenStep();
  }
  return HangupStep();  // unreachable: every kind is listed above
}

}  // namespace gosline
