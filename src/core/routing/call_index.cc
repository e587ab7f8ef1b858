#include "core/routing/call_index.h"

namespace gosline::routing {

size_t CallIndex::Home(CallId id) const {
  // splitmix64's finaliser: adapters' ids are often sequential.
  uint64_t x = id + 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return size_t(x) & (table_.size() - 1);
}

uint32_t CallIndex::Find(CallId id) const {
  if (table_.empty()) return kMissing;
  const size_t mask = table_.size() - 1;
  for (size_t i = Home(id);; i = (i + 1) & mask) {
    const Entry& e = table_[i];
    if (e.slot == kMissing) return kMissing;
    if (e.id == id) return e.slot;
  }
}

bool CallIndex::Insert(CallId id, uint32_t slot) {
  if ((size_ + 1) * 2 > table_.size()) Grow();
  const size_t mask = table_.size() - 1;
  for (size_t i = Home(id);; i = (i + 1) & mask) {
    Entry& e = table_[i];
    if (e.slot == kMissing) {
      e = Entry{id, slot};
      ++size_;
      return true;
    }
    if (e.id == id) return false;
  }
}

bool CallIndex::Erase(CallId id) {
  if (table_.empty()) return false;
  const size_t mask = table_.size() - 1;
  size_t i = Home(id);
  while (true) {
    if (table_[i].slot == kMissing) return false;
    if (table_[i].id == id) break;
    i = (i + 1) & mask;
  }
  // Backward shift: pull later entries of the run into the hole when their
  // home is not between the hole and them, so no tombstones are needed.
  size_t hole = i;
  for (size_t j = (hole + 1) & mask; table_[j].slot != kMissing; j = (j + 1) & mask) {
    const size_t home = Home(table_[j].id);
    const bool home_after_hole = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_after_hole) {
      table_[hole] = table_[j];
      hole = j;
    }
  }
  table_[hole] = Entry{};
  --size_;
  return true;
}

void CallIndex::Grow() {
  std::vector<Entry> old;
  old.swap(table_);
  table_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
  size_ = 0;
  for (const Entry& e : old) {
    if (e.slot != kMissing) Insert(e.id, e.slot);
  }
}

}  // namespace gosline::routing
