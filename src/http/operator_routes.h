// The operators' REST API (R12, R20): list and read operators,
// change one's state (ready / not ready with a reason / logged out), the
// screen pop of the current call and transfers. Each route declares its role;
// an operator may read and change only themself (403 otherwise). Every
// request is audited by the router's audit hook (R21).
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "app/contact_centre/contact_centre.h"
#include "core/common/status.h"
#include "http/router.h"

namespace gosline::http {

// A federal subject's name from its code ("77" -> "Москва"); "" when unknown.
using RegionNameOf = std::function<std::string(const std::string& code)>;

// `centre` may be null (built or started without a contact centre): the
// routes then answer 503, so the API and its document stay the same.
// `region_name` names the caller's region in the screen pop (empty: codes only).
Status AddOperatorRoutes(Router& router, contact_centre::ContactCentre* centre,
                         RegionNameOf region_name = {});

// The JSON schemas of these routes and of queue_routes.h, for openapi.cc.
void AddContactCentreSchemas(nlohmann::json& schemas);

}  // namespace gosline::http
