#include "config/config_vocabulary.h"

namespace gosline {

ConfigVocabulary::ConfigVocabulary(const Config& config) {
  for (const Topic& t : config.topics) topic_agency_.emplace(t.id, t.agency);
  for (const Agency& a : config.agencies) agencies_.insert(a.id);
  for (const Region& r : config.regions) regions_.insert(r.code);
}

bool ConfigVocabulary::HasTopic(const std::string& id) const { return topic_agency_.contains(id); }
bool ConfigVocabulary::HasAgency(const std::string& id) const { return agencies_.contains(id); }
bool ConfigVocabulary::HasRegion(const std::string& code) const { return regions_.contains(code); }

std::string ConfigVocabulary::DefaultAgency(const std::string& topic) const {
  auto it = topic_agency_.find(topic);
  return it == topic_agency_.end() ? std::string() : it->second;
}

}  // namespace gosline
