// R20: which cases a member of staff sees, and whether with the full phone
// number. Plain rules over the request's principal and the case itself.
//
//   role (principal_role)    cases listed / readable                   phone
//   operator                 handled by them (they are an actor in     full on the cases they
//                            the case's history) or whose topic one    handle, masked otherwise
//                            of their queues serves (their skills)
//   supervisor               all                                       full
//   compliance_controller    all (read-only routes)                    masked
//   integration (API key)    all, within its scopes                    full
//   administrator, security  no case routes at all (access_policy.h)   -
//   no principal             all (OpenAuthorizer: tests, no sign-in)   full
//
// Masked: "+7 916 ***-**-67" -- enough to tell cases apart on the phone with
// the citizen, not enough to dial.
//
// Threads: any (HTTP threads ask; the configuration editor Updates). mu_
// guards the pointer only: readers copy it and check without the lock.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "core/cases/case.h"
#include "core/common/thread_annotations.h"
#include "core/routing/routing_config.h"
#include "http/http_message.h"

namespace gosline::http {

class CaseVisibility {
 public:
  // operator id -> topics their queues serve (routing skills). Staff log in
  // with their operator id, so principal "user:<id>" is operator <id>.
  using OperatorTopics = std::map<std::string, std::set<std::string>>;

  CaseVisibility() : topics_(std::make_shared<const OperatorTopics>()) {}
  explicit CaseVisibility(OperatorTopics topics)
      : topics_(std::make_shared<const OperatorTopics>(std::move(topics))) {}
  CaseVisibility(const CaseVisibility& other) : topics_(other.Topics()) {}
  CaseVisibility& operator=(const CaseVisibility&) = delete;

  // Each operator's queues' topics: the topics of their routing skills.
  static CaseVisibility FromRouting(const routing::RoutingConfig& routing);
  // An administrator edited the skills (issue 6): the next request sees them.
  void Update(const routing::RoutingConfig& routing);

  bool MayView(const HttpRequest& req, const Case& c) const;
  bool SeesFullPhone(const HttpRequest& req, const Case& c) const;

 private:
  std::shared_ptr<const OperatorTopics> Topics() const;

  mutable Mutex mu_;  // held only to copy or swap the pointer
  std::shared_ptr<const OperatorTopics> topics_ GOSLINE_GUARDED_BY(mu_);
};

// "+79161234567" -> "+7 916 ***-**-67"; other shapes keep only the last two digits.
std::string MaskPhone(std::string_view e164);

// The operator id of a signed-in operator ("user:ivanova" -> "ivanova"), else "".
std::string OperatorIdOf(const HttpRequest& req);

}  // namespace gosline::http
