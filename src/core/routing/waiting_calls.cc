#include "core/routing/waiting_calls.h"

namespace gosline::routing {

size_t WaitingCalls::ChunkFor(const CallKey& key) const {
  const size_t i = size_t(std::lower_bound(lasts_.begin(), lasts_.end(), key) - lasts_.begin());
  return std::min(i, chunks_.size() - 1);
}

void WaitingCalls::Insert(const CallKey& key) {
  ++size_;
  before_fresh_ = false;
  if (chunks_.empty()) {
    chunks_.push_back({key});
    lasts_.push_back(key);
    return;
  }
  const size_t i = ChunkFor(key);
  std::vector<CallKey>& chunk = chunks_[i];
  chunk.insert(std::upper_bound(chunk.begin(), chunk.end(), key), key);
  lasts_[i] = chunk.back();
  if (chunk.size() > 2 * kChunk) {  // split in halves
    std::vector<CallKey> upper(chunk.begin() + kChunk, chunk.end());
    chunk.resize(kChunk);
    lasts_[i] = chunk.back();
    lasts_.insert(lasts_.begin() + long(i) + 1, upper.back());
    chunks_.insert(chunks_.begin() + long(i) + 1, std::move(upper));
  }
}

bool WaitingCalls::Erase(const CallKey& key) {
  if (chunks_.empty()) return false;
  const size_t i = ChunkFor(key);
  std::vector<CallKey>& chunk = chunks_[i];
  auto it = std::lower_bound(chunk.begin(), chunk.end(), key);
  if (it == chunk.end() || !(*it == key)) return false;
  chunk.erase(it);
  --size_;
  before_fresh_ = false;
  if (chunk.empty()) {
    chunks_.erase(chunks_.begin() + long(i));
    lasts_.erase(lasts_.begin() + long(i));
  } else {
    lasts_[i] = chunk.back();
  }
  return true;
}

size_t WaitingCalls::CountBefore(const CallKey& key) const {
  if (chunks_.empty()) return 0;
  if (!before_fresh_) {
    before_.resize(chunks_.size());
    size_t total = 0;
    for (size_t i = 0; i < chunks_.size(); ++i) {
      before_[i] = total;
      total += chunks_[i].size();
    }
    before_fresh_ = true;
  }
  const size_t i = size_t(std::lower_bound(lasts_.begin(), lasts_.end(), key) - lasts_.begin());
  if (i == chunks_.size()) return size_;
  const std::vector<CallKey>& chunk = chunks_[i];
  return before_[i] + size_t(std::lower_bound(chunk.begin(), chunk.end(), key) - chunk.begin());
}

}  // namespace gosline::routing
