// Applies an edited configuration's routing to the running contact centre
// (queues, skills, overflow, operators' phones and announcements
// changed without a restart). The config editor calls it with the new Config
// once it passed the same checks as `check-config`.
#pragma once

#include "app/contact_centre/contact_centre.h"
#include "config/config.h"

namespace gosline::contact_centre {

// What the centre takes from the configuration beyond the routing core:
// operators' static contacts and the announcement interval (the rest of
// CentreOptions keeps its defaults).
CentreOptions CentreOptionsOf(const Config& config);

// ContactCentre::Reconfigure with the configuration's topology, `routing:`
// section and centre settings; its Status (nothing changes on an error).
Status ApplyRoutingConfig(ContactCentre& centre, const Config& config);

}  // namespace gosline::contact_centre
