#include "app/case_visibility.h"

#include "core/cases/case_handlers.h"

namespace gosline {
namespace {

bool IsOperator(const CaseViewer& viewer) { return viewer.role == "operator"; }

}  // namespace

constexpr std::string_view kUser = "user:";

std::string OperatorIdOf(const CaseViewer& viewer) {
  if (!IsOperator(viewer) || viewer.principal.compare(0, kUser.size(), kUser) != 0) return "";
  return viewer.principal.substr(kUser.size());
}

std::string OperatorPrincipal(std::string_view operator_id) {
  return std::string(kUser) + std::string(operator_id);
}

namespace {
CaseVisibility::OperatorTopics TopicsOf(const routing::RoutingConfig& routing) {
  CaseVisibility::OperatorTopics topics;
  for (const routing::OperatorProfile& op : routing.operators) {
    for (const auto& [topic, level] : op.skills) {
      if (level > 0) topics[op.id].insert(topic);
    }
  }
  return topics;
}
}  // namespace

CaseVisibility CaseVisibility::FromRouting(const routing::RoutingConfig& routing) {
  return CaseVisibility(TopicsOf(routing));
}

void CaseVisibility::Update(const routing::RoutingConfig& routing) {
  auto next = std::make_shared<const OperatorTopics>(TopicsOf(routing));
  MutexLock lock(mu_);
  topics_ = std::move(next);
}

std::shared_ptr<const CaseVisibility::OperatorTopics> CaseVisibility::Topics() const {
  MutexLock lock(mu_);
  return topics_;
}

bool CaseVisibility::MayView(const CaseViewer& viewer, const Case& c) const {
  if (!IsOperator(viewer)) return true;  // other roles: the route's role check is the rule
  if (IsHandledBy(c, viewer.principal)) return true;
  const std::shared_ptr<const OperatorTopics> topics = Topics();
  auto it = topics->find(OperatorIdOf(viewer));
  return it != topics->end() && it->second.count(c.topic) > 0;
}

bool CaseVisibility::SeesFullPhone(const CaseViewer& viewer, const Case& c) const {
  if (viewer.role == "compliance_controller") return false;
  if (IsOperator(viewer)) return IsHandledBy(c, viewer.principal);
  return true;
}

std::optional<CaseScope> CaseVisibility::ScopeFor(const CaseViewer& viewer) const {
  if (!IsOperator(viewer)) return std::nullopt;
  CaseScope scope{viewer.principal, {}};
  const std::shared_ptr<const OperatorTopics> topics = Topics();
  if (auto it = topics->find(OperatorIdOf(viewer)); it != topics->end()) {
    scope.topics.assign(it->second.begin(), it->second.end());
  }
  return scope;
}

}  // namespace gosline
