// The private state of one IvrSession. Invariant: at most one playback, one
// timer, one case lookup and one speech turn are outstanding at a time; an event naming any
// other id is stale and ignored.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/ivr/ivr_model.h"
#include "core/ivr/ivr_trace.h"

namespace gosline {

struct IvrSessionState {
  std::shared_ptr<const IvrModel> model;
  bool started = false;
  bool finished = false;
  std::string language;
  IvrTrace trace;
  std::map<std::string, std::string> data;  // handed to the queue
  uint64_t last_id = 0;                     // playback, timer and lookup ids share it

  const IvrNode* node = nullptr;  // current node (points into *model)
  uint64_t playback_id = 0;       // 0 = nothing playing
  bool barge_in = false;          // of the current playback
  uint64_t timer_id = 0;          // 0 = no timer
  uint64_t lookup_id = 0;         // 0 = no lookup
  uint64_t listen_id = 0;         // 0 = not listening for speech
  int attempts = 0;               // failed attempts at the current node
  int phase = 0;                  // step-specific sub-state, reset on entering a node
  std::string collected;          // keys collected at the current node
  std::string pending_case;       // case status: the number, while its phone digits are keyed
  int case_lookups = 0;           // per call: case-status lookups asked for

  // Work the driver still has to do for the current event (ivr_session.cc).
  std::string goto_node;
  bool has_goto = false;
  bool prompt_end_pending = false;  // a Play with nothing to play ends at once
  int node_entries = 0;             // per call; bounded by the loop guard
};

}  // namespace gosline
