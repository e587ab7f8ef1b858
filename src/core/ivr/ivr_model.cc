#include "core/ivr/ivr_model.h"

#include <type_traits>

namespace gosline {
namespace {

// IvrNode::kind() relies on the variant listing the specs in IvrNodeKind order.
template <IvrNodeKind K, typename Spec>
constexpr bool kSpecAt =
    std::is_same_v<std::variant_alternative_t<static_cast<size_t>(K), decltype(IvrNode::spec)>, Spec>;
static_assert(kSpecAt<IvrNodeKind::kPlay, IvrPlayNode>);
static_assert(kSpecAt<IvrNodeKind::kMenu, IvrMenuNode>);
static_assert(kSpecAt<IvrNodeKind::kCollectDigits, IvrCollectDigitsNode>);
static_assert(kSpecAt<IvrNodeKind::kServiceCode, IvrServiceCodeNode>);
static_assert(kSpecAt<IvrNodeKind::kCaseStatus, IvrCaseStatusNode>);
static_assert(kSpecAt<IvrNodeKind::kTypicalAnswer, IvrTypicalAnswerNode>);
static_assert(kSpecAt<IvrNodeKind::kHoursCheck, IvrHoursCheckNode>);
static_assert(kSpecAt<IvrNodeKind::kQueue, IvrQueueNode>);
static_assert(kSpecAt<IvrNodeKind::kLanguageSelect, IvrLanguageSelectNode>);
static_assert(kSpecAt<IvrNodeKind::kHangup, IvrHangupNode>);
static_assert(kSpecAt<IvrNodeKind::kListen, IvrListenNode>);
static_assert(std::variant_size_v<decltype(IvrNode::spec)> == 11);

}  // namespace

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
    case IvrNodeKind::kListen: return "listen";
  }
  return "unknown";
}

const IvrListenIntent* IvrListenNode::FindIntent(std::string_view id) const {
  for (const IvrListenIntent& i : intents) {
    if (i.id == id) return &i;
  }
  return nullptr;
}

const IvrListenIntent* IvrListenNode::FindKey(char key) const {
  for (const IvrListenIntent& i : intents) {
    if (i.key == key) return &i;
  }
  return nullptr;
}

std::map<std::string, std::vector<std::string>> IvrListenNode::PhrasesIn(
    const std::string& language) const {
  std::map<std::string, std::vector<std::string>> out;
  for (const IvrListenIntent& i : intents) {
    const auto it = i.phrases.find(language);
    if (it != i.phrases.end() && !it->second.empty()) out[i.id] = it->second;
  }
  return out;
}

const IvrNode* IvrModel::FindNode(std::string_view id) const {
  const auto it = nodes.find(std::string(id));
  return it == nodes.end() ? nullptr : &it->second;
}

}  // namespace gosline
