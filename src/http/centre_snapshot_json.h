// The contact centre's views (app/contact_centre/centre_snapshot.h) as the
// API and the live feed send them: ids and states as strings, times in
// ISO 8601, durations in whole seconds, null where there is no value.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "app/contact_centre/centre_snapshot.h"

namespace gosline::http {

nlohmann::json ToJson(const contact_centre::OperatorView& o);
nlohmann::json ToJson(const contact_centre::QueueView& q);
// {"type":"centre","at":...,"queues":[...],"operators":[...]}: the wallboard's message.
nlohmann::json ToJson(const contact_centre::CentreSnapshot& s);

}  // namespace gosline::http
