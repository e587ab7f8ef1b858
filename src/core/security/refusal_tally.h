// R21 without a write per refusal: refused requests (401/403) are counted per
// client address and per minute, and each address's minute becomes one audit
// record with its count. A client that hammers protected routes then costs
// the audit log one append a minute instead of one per request.
//
// The first refusal of an address in a minute is kept as its example (who,
// what), so the record still names what was tried. At most `max_addresses`
// addresses are counted per minute; refusals from further addresses go to
// one more entry (address "*"), so memory stays bounded whatever the number
// of addresses. Pure: times are passed in; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time.h"

namespace gosline::security {

struct Refusal {
  std::string address;  // the client's address
  std::string actor;    // the principal, "anonymous" when none
  std::string object;   // what was asked for
  std::string detail;   // route, method, status, request id
};

// One address's refusals in one minute.
struct RefusalCount {
  Time minute{};     // start of the minute
  uint64_t count = 0;
  Refusal first;     // the minute's first refusal from this address
};

class RefusalTally {
 public:
  static constexpr std::string_view kOverflowAddress = "*";

  explicit RefusalTally(size_t max_addresses = 10'000);

  // Counts one refusal at `now`. A refusal in a later minute than the one
  // being counted closes that minute (see TakeFinished).
  void Add(const Refusal& refusal, Time now);
  // The counts of the minutes that ended before `now`; they are forgotten here.
  std::vector<RefusalCount> TakeFinished(Time now);
  // Every count, the current minute's too (at shutdown).
  std::vector<RefusalCount> TakeAll();

  size_t addresses_counted() const { return current_.size(); }

 private:
  static Time MinuteOf(Time t);
  void CloseCurrent();

  size_t max_addresses_;
  Time minute_{};
  std::map<std::string, RefusalCount> current_;
  std::vector<RefusalCount> finished_;
};

}  // namespace gosline::security
