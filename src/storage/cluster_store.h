// One queue order for several nodes (R4, R11): what the nodes of a line
// share through the database so that exactly one of them, the routing
// leader, decides which operator takes which call.
//
// Leadership is not consensus of our own: the database grants it (a
// session-level advisory lock held on a connection of its own) and numbers
// it (the term, raised by each new leader). Every decision the leader writes
// carries its term and is refused once a later term exists (fencing), so a
// leader that lost its connection without noticing can no longer ring anyone.
//
// Durable: the calls waiting anywhere in the line (with the node that holds
// them, their original enqueue time and the case filed for them), the states
// the operators asked for, the nodes' heartbeats. Transient: the events the
// nodes report to the leader and the decisions the leader sends to the node
// that holds the call; each node's write changes the durable tables and
// queues its event in one transaction, so a new leader that rebuilds from
// the tables has seen every event the tables reflect.
//
// Thread-safety: ClusterStore's writes may be called from any thread;
// WaitForChange from one thread at a time (it owns a connection). A
// LeaderLease is used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/status.h"
#include "core/common/time.h"

namespace gosline {

// The routing leadership of one node, held while its connection lives.
class LeaderLease {
 public:
  virtual ~LeaderLease() = default;
  // Tries once without waiting. The new term when this node leads from now
  // on (held until Release or the connection is lost), nullopt while
  // another node leads. Unavailable when the database cannot be reached.
  virtual Result<std::optional<int64_t>> TryAcquire() = 0;
  // Ok while this node still leads under `term`; FailedPrecondition once
  // leadership is lost (connection gone, a later term): stop deciding.
  virtual Status Check(int64_t term) = 0;
  // Gives leadership up (drain, shutdown); a standby takes over at once.
  virtual void Release() = 0;
};

// A caller waiting anywhere in the line, as the leader routes it.
struct ClusterCall {
  int64_t id = 0;           // line-wide; the leader's call id
  std::string node_id;      // the node that holds the caller's legs
  uint64_t local_call = 0;  // that node's call number
  Time enqueued_at{};       // when the caller first entered a queue: their place
  std::string state;        // "waiting", "ringing", "connected"
  std::string operator_id;  // ringing or connected: whom
  // What the IVR collected (call_centre_port.h WaitingCall).
  std::string sip_call_id, caller, dialled, caller_region, language, topic, queue, ivr_path;
  std::vector<std::pair<std::string, std::string>> collected;
  Time started_at{};
  // The case filed when the call entered the queue (R9, R14), so a new
  // leader neither files it again nor changes the call's priority.
  std::string case_number;
  bool has_open_case = false;
  std::vector<std::string> earlier_cases;
};

// What a node reports to the leader. Kinds and their fields:
//   enqueued (call), answered, ring_failed (reason), caller_hung_up,
//   operator_hung_up, callback, recording (path, length_ms, key id, size),
//   operator_state (operator_id; fields: state, reason).
struct ClusterEvent {
  int64_t seq = 0;
  std::string node_id;
  int64_t call = 0;  // 0 for operator events
  std::string kind;
  std::string operator_id;
  std::vector<std::string> fields;
  Time at{};
  std::optional<ClusterCall> enqueued;  // kind "enqueued": the call as stored
};

// What the leader tells the node holding a call. Kinds and fields:
//   ring (operator_id; static contact, case, topic, region), cancel_ring,
//   announce (position, estimated wait ms or ""), hangup (reason), release.
struct ClusterDecision {
  int64_t seq = 0;
  int64_t term = 0;
  int64_t call = 0;
  uint64_t local_call = 0;
  std::string kind;
  std::string operator_id;
  std::vector<std::string> fields;
};

struct OperatorStateRow {
  std::string operator_id;
  std::string state;  // "ready", "not_ready", "wrap_up", "logged_out"
  std::string reason;
  Time at{};
};

// Everything a new leader starts from.
struct ClusterSnapshot {
  std::vector<ClusterCall> calls;  // by original enqueue time
  std::vector<OperatorStateRow> operators;
};

class ClusterStore {
 public:
  virtual ~ClusterStore() = default;

  // --- Any node ---------------------------------------------------------------
  // This node is alive (the leader removes the calls of a node whose
  // heartbeat is older than its timeout, by the database's clock).
  virtual Status Heartbeat(const std::string& node_id) = 0;
  // Stores the waiting call (its id assigned here) and tells the leader.
  virtual Result<int64_t> AddCall(ClusterCall call, Time at) = 0;
  // Reports an event of call `call` (AddCall's id) held by `node_id`, and
  // updates the call's row with it (answered: connected; ring failed:
  // waiting; either side hung up, callback: removed). The event goes to the leader even
  // when the row is gone (a recording saved after the hang-up).
  virtual Status ReportCallEvent(const std::string& node_id, int64_t call, const std::string& kind,
                                 std::vector<std::string> fields, Time at) = 0;
  // The state an operator asked for, from whichever node they used.
  virtual Status SetOperatorState(const OperatorStateRow& row, const std::string& node_id) = 0;
  // Hands over (and forgets) the decisions for this node's calls, in the order made.
  virtual Result<std::vector<ClusterDecision>> TakeDecisions(const std::string& node_id) = 0;
  // Waits up to `max` for another node's write that concerns this one
  // (LISTEN/NOTIFY); true when woken, false on timeout. Callers poll too.
  virtual Result<bool> WaitForChange(Duration max) = 0;

  // --- The leader, under its term (FailedPrecondition once fenced) -------------
  // Forgets the queued events and returns the tables they are reflected in.
  virtual Result<ClusterSnapshot> TakeSnapshot(int64_t term) = 0;
  // Hands over (and forgets) the events reported since, in the order reported.
  virtual Result<std::vector<ClusterEvent>> TakeEvents(int64_t term) = 0;
  // Sends a decision to the node that holds the call; a ring marks the call
  // ringing. NotFound when the call is gone.
  virtual Status Decide(int64_t term, ClusterDecision decision) = 0;
  // Removes the calls of nodes whose heartbeat is older than `timeout` and
  // returns their ids.
  virtual Result<std::vector<int64_t>> RemoveCallsOfDeadNodes(int64_t term, Duration timeout) = 0;
};

}  // namespace gosline
