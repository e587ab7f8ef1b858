#include "io/case_row.h"

namespace gosline {

std::optional<std::string>* CaseRow::TextField(std::string_view name) {
  if (name == "number") return &number;
  if (name == "phone") return &phone;
  if (name == "portal_account_id") return &portal_account_id;
  if (name == "channel") return &channel;
  if (name == "topic") return &topic;
  if (name == "agency") return &agency;
  if (name == "region") return &region;
  if (name == "priority") return &priority;
  if (name == "status") return &status;
  if (name == "summary") return &summary;
  if (name == "created_at") return &created_at;
  if (name == "updated_at") return &updated_at;
  if (name == "due_at") return &due_at;
  return nullptr;
}

}  // namespace gosline
