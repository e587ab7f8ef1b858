#include "app/contact_centre/routing_applier.h"

#include "config/routing_config_loader.h"

namespace gosline::contact_centre {

CentreOptions CentreOptionsOf(const Config& config) {
  CentreOptions options;
  options.announce_every = config.centre.announce_every;
  options.corrective = config.corrective_actions;
  for (const auto& [id, phone] : config.centre.phones) {
    if (!phone.contact.empty()) options.contacts[id] = phone.contact;
  }
  return options;
}

Status ApplyRoutingConfig(ContactCentre& centre, const Config& config) {
  return centre.Reconfigure(RoutingTopologyOf(config), config.routing, CentreOptionsOf(config));
}

}  // namespace gosline::contact_centre
