#include "core/routing/call_index.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace gosline::routing {
namespace {

// Random inserts and erases (sequential and scattered ids, so runs of
// collisions form), checked against std::unordered_map.
TEST(CallIndexTest, BehavesAsAMap) {
  std::mt19937_64 rng(5);
  CallIndex index;
  std::unordered_map<CallId, uint32_t> model;
  CallId next = 1;
  for (int step = 0; step < 50'000; ++step) {
    if (model.empty() || rng() % 100 < 60) {
      const CallId id = rng() % 2 == 0 ? next++ : rng();
      const uint32_t slot = uint32_t(rng() % 1'000'000);
      EXPECT_EQ(index.Insert(id, slot), model.emplace(id, slot).second);
    } else {
      auto it = model.begin();
      std::advance(it, long(rng() % std::min<size_t>(model.size(), 8)));
      EXPECT_TRUE(index.Erase(it->first));
      model.erase(it);
      EXPECT_FALSE(index.Erase(rng() | (uint64_t(1) << 63)));  // never inserted
    }
    ASSERT_EQ(index.size(), model.size());
    if (step % 101 == 0) {
      for (const auto& [id, slot] : model) ASSERT_EQ(index.Find(id), slot) << id;
    }
  }
  size_t seen = 0;
  index.ForEach([&](CallId id, uint32_t slot) {
    EXPECT_EQ(model.at(id), slot);
    ++seen;
  });
  EXPECT_EQ(seen, model.size());
  EXPECT_EQ(index.Find(0), model.count(0) ? model[0] : CallIndex::kMissing);
}

}  // namespace
}  // namespace gosline::routing
