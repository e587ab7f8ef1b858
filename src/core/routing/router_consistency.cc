// Router::CheckConsistency: the incremental state recounted from scratch.
#include <string>

#include "core/routing/router.h"

namespace gosline::routing {

Status Router::CheckConsistency() const {
  auto fail = [](std::string what) { return Status::Internal("routing state: " + what); };
  std::vector<PoolState> expected(pools_.size());
  for (uint32_t op = 0; op < operators_.size(); ++op) {
    const OperatorRec& o = operators_[op];
    const bool logged_in = o.state != OperatorState::kLoggedOut;
    const bool working = logged_in && o.state != OperatorState::kNotReady;
    const bool ready = o.state == OperatorState::kReady;
    for (uint32_t m = o.first_membership; m < o.membership_end; ++m) {
      expected[ready_.pool_of(m)].logged_in += logged_in;
      expected[ready_.pool_of(m)].working += working;
    }
    for (uint32_t g : plan_.operators()[op].general_pools) {
      expected[g].all_logged_in += logged_in;
      expected[g].all_working += working;
      expected[g].all_ready += ready;
    }
    const bool has_call = o.state == OperatorState::kRinging || o.state == OperatorState::kOnCall;
    if (has_call != (o.call != kNone)) return fail("operator " + plan_.operators()[op].id + " call link");
    if (o.call != kNone && calls_[o.call].op != op) {
      return fail("operator " + plan_.operators()[op].id + " and its call disagree");
    }
  }
  size_t entries = 0;
  for (uint32_t p = 0; p < pools_.size(); ++p) {
    const PoolState& have = pools_[p];
    const PoolState& want = expected[p];
    if (have.logged_in != want.logged_in || have.working != want.working ||
        have.all_logged_in != want.all_logged_in || have.all_working != want.all_working ||
        have.all_ready != want.all_ready) {
      return fail("counts of pool " + std::to_string(p));
    }
    if (ready_.ready_count(p) > 0 && !have.calls.empty()) {
      return fail("pool " + std::to_string(p) + " has a free operator and a waiting call");
    }
    entries += have.calls.size();
  }
  size_t expected_entries = 0;
  std::string wrong;
  call_index_.ForEach([&](CallId id, uint32_t slot) {
    const CallRec& c = calls_[slot];
    if (!wrong.empty()) return;
    if (!c.live || c.id != id) wrong = "call index of " + std::to_string(id);
    if ((c.state == CallState::kWaiting) == (c.op != kNone)) {
      wrong = "call " + std::to_string(id) + " operator link";
    }
    if (c.state != CallState::kWaiting) return;
    expected_entries += c.pools.size();
    for (uint32_t p : c.pools) {
      const size_t before = pools_[p].calls.CountBefore(c.key);
      CallKey after = c.key;
      ++after.seq_slot;  // the next possible key: only c.key lies between
      if (pools_[p].calls.CountBefore(after) != before + 1) {
        wrong = "call " + std::to_string(id) + " missing from pool " + std::to_string(p);
      }
    }
  });
  if (!wrong.empty()) return fail(wrong);
  if (entries != expected_entries) return fail("stray entries in pools");
  return Status::Ok();
}

}  // namespace gosline::routing
