#include "http/address_slots.h"

namespace gosline::http {

std::shared_ptr<AddressSlots> AddressSlots::Create(size_t max_per_address) {
  return std::shared_ptr<AddressSlots>(new AddressSlots(max_per_address));
}

std::shared_ptr<AddressSlots::Slot> AddressSlots::TryTake(const std::string& address) {
  {
    MutexLock lock(mu_);
    size_t& held = counts_[address];
    if (held >= max_) return nullptr;
    ++held;
  }
  return std::make_shared<Slot>(shared_from_this(), address);
}

void AddressSlots::Release(const std::string& address) {
  MutexLock lock(mu_);
  auto it = counts_.find(address);
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
}

size_t AddressSlots::held_by(const std::string& address) const {
  MutexLock lock(mu_);
  auto it = counts_.find(address);
  return it == counts_.end() ? 0 : it->second;
}

size_t AddressSlots::addresses() const {
  MutexLock lock(mu_);
  return counts_.size();
}

}  // namespace gosline::http
