#include "app/admin/shared_config_follower.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

namespace gosline::admin {

SharedConfigFollower::SharedConfigFollower(ConfigEditor& editor, ConfigVersionStore& store,
                                           std::chrono::milliseconds interval)
    : editor_(editor), store_(store), interval_(interval) {}

SharedConfigFollower::~SharedConfigFollower() { Stop(); }

void SharedConfigFollower::PollOnce(bool at_start) {
  Result<std::optional<ConfigVersion>> latest = store_.Latest();
  if (!latest.ok()) {
    if (!store_failing_) {
      spdlog::warn("cannot read the line's configuration: {} (trying again)",
                   latest.status().message());
    }
    store_failing_ = true;
    return;
  }
  if (store_failing_) spdlog::info("the line's configuration can be read again");
  store_failing_ = false;
  if (!latest->has_value()) return;
  const ConfigVersion& v = **latest;
  if (v.version <= editor_.SharedVersion()) return;
  Result<bool> changed = editor_.ApplyShared(v.version, v.document, v.author);
  if (!changed.ok()) {
    refused_.fetch_add(1);
    spdlog::error("line configuration version {} by {} not applied on this node: {}", v.version,
                  v.author, changed.status().message());
    return;
  }
  if (!*changed) return;
  taken_.fetch_add(1);
  if (at_start) {
    spdlog::info("using the line's configuration version {} by {}: newer than {}; the file now "
                 "says the same",
                 v.version, v.author, editor_.path());
  } else {
    spdlog::info("took the line's configuration version {} by {}", v.version, v.author);
  }
}

void SharedConfigFollower::Start() {
  MutexLock lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void SharedConfigFollower::Stop() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

void SharedConfigFollower::Run() {
  for (;;) {
    {
      MutexLock lock(mu_);
      const auto deadline = std::chrono::steady_clock::now() + interval_;
      while (!stop_ && wake_.WaitUntil(mu_, deadline)) {
      }
      if (stop_) return;
    }
    PollOnce();
  }
}

}  // namespace gosline::admin
