#include "http/access_policy.h"

namespace gosline::http {

bool StaffMayUse(std::string_view staff_role, const Route& route) {
  const bool read_only = route.method == Method::kGet || route.method == Method::kHead;
  switch (route.role) {
    case Role::kPublic:
    case Role::kAuthenticated:
      return true;
    case Role::kOperator:
      return staff_role == "operator" || staff_role == "supervisor" ||
             (read_only && staff_role == "compliance_controller");
    case Role::kSupervisor:
      return staff_role == "supervisor";
    case Role::kAdministrator:
      return staff_role == "administrator";
    case Role::kSecurityAdministrator:
      return staff_role == "security_administrator";
    case Role::kComplianceController:
      return staff_role == "compliance_controller";
    case Role::kReportReader:
      return staff_role == "supervisor" || staff_role == "compliance_controller";
    case Role::kIntegration:
      return false;
  }
  return false;
}

bool ApiKeyMayUse(const security::ScopeSet& scopes, const Route& route) {
  if (route.role == Role::kPublic || route.role == Role::kAuthenticated) return true;
  return !route.scope.empty() && scopes.Has(route.scope);
}

}  // namespace gosline::http
