// Connections at once per client address (HTTP): one host may hold at most
// `max_per_address` of the server's connections, so a single client cannot
// take them all (and with them the file descriptors) before authenticating.
// A slot is taken at accept and given back when the connection's last
// owner (the HTTP session, or the live feed it was handed to) goes away.
//
// Threads: any (the acceptors take slots, sessions on any I/O thread give
// them back). mu_ guards counts_; held only to count.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/common/thread_annotations.h"

namespace gosline::http {

class AddressSlots : public std::enable_shared_from_this<AddressSlots> {
 public:
  // Held while the connection lives; gives the slot back when destroyed.
  class Slot {
   public:
    Slot(std::shared_ptr<AddressSlots> owner, std::string address)
        : owner_(std::move(owner)), address_(std::move(address)) {}
    ~Slot() { owner_->Release(address_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    std::shared_ptr<AddressSlots> owner_;
    std::string address_;
  };

  static std::shared_ptr<AddressSlots> Create(size_t max_per_address);

  // A slot for one more connection from `address`, or null when it already
  // holds max_per_address.
  std::shared_ptr<Slot> TryTake(const std::string& address) GOSLINE_EXCLUDES(mu_);
  size_t held_by(const std::string& address) const GOSLINE_EXCLUDES(mu_);
  size_t addresses() const GOSLINE_EXCLUDES(mu_);

 private:
  explicit AddressSlots(size_t max_per_address) : max_(max_per_address == 0 ? 1 : max_per_address) {}
  void Release(const std::string& address) GOSLINE_EXCLUDES(mu_);

  const size_t max_;
  mutable Mutex mu_;
  // Only addresses with a connection open: the map is as large as the
  // number of client hosts connected now, never more.
  std::unordered_map<std::string, size_t> counts_ GOSLINE_GUARDED_BY(mu_);
};

}  // namespace gosline::http
