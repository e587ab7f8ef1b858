#include "app/case_status_lookup.h"

#include <algorithm>

namespace gosline {
namespace {

CaseLookupResultEvent Outcome(CaseLookupOutcome outcome) {
  CaseLookupResultEvent r;
  r.outcome = outcome;
  return r;
}

// Whether `phone` (E.164) ends in the 4 digits the caller keyed. Every digit
// is compared whatever the first ones give; a case without a phone matches
// nothing.
bool PhoneEndsIn(const std::string& phone, const std::string& last4) {
  if (last4.size() != 4 || phone.size() < 4) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < 4; ++i) {
    diff |= static_cast<unsigned char>(phone[phone.size() - 4 + i]) ^
            static_cast<unsigned char>(last4[i]);
  }
  return diff == 0;
}

}  // namespace

CaseStatusLookup::CaseStatusLookup(CaseService& cases, Options opts)
    : cases_(cases), opts_(opts) {
  for (int i = 0; i < std::max(1, opts_.workers); ++i) workers_.emplace_back([this] { Work(); });
}

CaseStatusLookup::~CaseStatusLookup() { Stop(); }

void CaseStatusLookup::Lookup(const std::string& case_number, const std::string& phone_last4,
                              Done done) {
  {
    MutexLock lock(mu_);
    if (!stopping_ && pending_.size() < opts_.max_pending) {
      pending_.push_back(Request{case_number, phone_last4, std::move(done)});
      cv_.NotifyOne();
      return;
    }
  }
  done(Outcome(CaseLookupOutcome::kError));  // overloaded or stopping: the IVR says so
}

void CaseStatusLookup::Stop() {
  std::deque<Request> left;
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.NotifyAll();
  for (std::thread& t : workers_) t.join();
  {
    MutexLock lock(mu_);
    left.swap(pending_);
  }
  for (Request& r : left) r.done(Outcome(CaseLookupOutcome::kError));
}

CaseLookupResultEvent CaseStatusLookup::LookupNow(const std::string& case_number,
                                                  const std::string& phone_last4) {
  Result<Case> c = cases_.Get(case_number);
  if (c.ok() && !PhoneEndsIn(c->phone, phone_last4)) {
    return Outcome(CaseLookupOutcome::kNotFound);  // as an unknown case: no oracle
  }
  if (c.ok()) {
    CaseLookupResultEvent r = Outcome(CaseLookupOutcome::kFound);
    r.status = c->status;
    r.topic = c->topic;
    return r;
  }
  return Outcome(c.status().code() == Status::Code::kNotFound ? CaseLookupOutcome::kNotFound
                                                              : CaseLookupOutcome::kError);
}

void CaseStatusLookup::Work() {
  MutexLock lock(mu_);
  while (true) {
    while (!stopping_ && pending_.empty()) cv_.Wait(mu_);
    if (stopping_) return;  // Stop() answers what is left
    Request r = std::move(pending_.front());
    pending_.pop_front();
    lock.Unlock();
    CaseLookupResultEvent result = LookupNow(r.number, r.phone_last4);
    r.done(std::move(result));
    lock.Lock();
  }
}

}  // namespace gosline
