// The case vocabulary (topics, agencies, regions) as the configuration
// defines it. Copies what it needs, so it does not depend on the Config
// object staying alive; rebuild it when the configuration is reloaded.
#pragma once

#include <map>
#include <set>
#include <string>

#include "config/config.h"
#include "core/cases/case_workflow.h"

namespace gosline {

class ConfigVocabulary final : public CaseVocabulary {
 public:
  explicit ConfigVocabulary(const Config& config);

  bool HasTopic(const std::string& id) const override;
  bool HasAgency(const std::string& id) const override;
  bool HasRegion(const std::string& code) const override;
  std::string DefaultAgency(const std::string& topic) const override;

 private:
  std::map<std::string, std::string> topic_agency_;  // topic id -> default agency
  std::set<std::string> agencies_;
  std::set<std::string> regions_;
};

}  // namespace gosline
