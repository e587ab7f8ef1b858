#include "app/contact_centre/recording_sealer.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace gosline::contact_centre {
namespace {

// The centre's side, as the sealer sees it: what arrived, in order.
struct SeenPort final : CallCentrePort {
  std::mutex mu;
  std::vector<std::string> seen;
  void Add(std::string s) {
    std::lock_guard lock(mu);
    seen.push_back(std::move(s));
  }
  void CallEnqueued(WaitingCall call, Time) override { Add("enqueued " + std::to_string(call.id)); }
  void OperatorAnswered(CallId call, Time) override { Add("answered " + std::to_string(call)); }
  void OperatorRingFailed(CallId call, std::string reason, Time) override {
    Add("ring_failed " + std::to_string(call) + " " + reason);
  }
  void CallerHungUp(CallId call, Time) override { Add("caller_hung_up " + std::to_string(call)); }
  void OperatorHungUp(CallId call, Time) override { Add("operator_hung_up " + std::to_string(call)); }
  void CallbackRequested(CallId call, Time) override { Add("callback " + std::to_string(call)); }
  void RecordingSaved(CallId call, std::string path, Duration) override {
    Add("recording " + std::to_string(call) + " " + path);
  }
};

TEST(RecordingSealerTest, R22EveryRecordingIsSealedBeforeTheCentreLinksIt) {
  SeenPort centre;
  std::vector<std::string> errors;
  {
    RecordingSealer sealer(
        centre,
        [](const std::string& path, CallId call) -> Result<std::string> {
          if (path.find("broken") != std::string::npos) return Status::IoError("disk full");
          return path + ".sealed-for-call-" + std::to_string(call);
        },
        [&errors](const std::string& path, const Status& st) { errors.push_back(path + ": " + st.message()); });
    WaitingCall call;
    call.id = 7;
    sealer.CallEnqueued(std::move(call), Time{});
    sealer.OperatorAnswered(7, Time{});
    sealer.OperatorHungUp(7, Time{});
    sealer.RecordingSaved(7, "var/recordings/a.wav", std::chrono::seconds(3));
    sealer.RecordingSaved(8, "var/recordings/broken.wav", std::chrono::seconds(1));
  }  // the destructor finishes what is queued
  std::vector<std::string> seen = centre.seen;
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0], "enqueued 7");
  EXPECT_EQ(seen[1], "answered 7");
  EXPECT_EQ(seen[2], "operator_hung_up 7");
  EXPECT_EQ(seen[3], "recording 7 var/recordings/a.wav.sealed-for-call-7");
  // A recording that could not be sealed is still linked (never lost), and the error is told.
  EXPECT_EQ(seen[4], "recording 8 var/recordings/broken.wav");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "var/recordings/broken.wav: disk full");
}

}  // namespace
}  // namespace gosline::contact_centre
