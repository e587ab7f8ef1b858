// The `cluster:` section: how one node of a line behaves among several
// behind a SIP front (Kamailio's dispatcher, deploy/kamailio): its name and
// how long it drains on SIGTERM (R4: a node is taken out of service without
// cutting the calls it carries).
#pragma once

#include <string>

namespace gosline {

struct ClusterSettings {
  // The node's name in logs and reports; empty: a single node.
  std::string node_name;
  // SIGTERM: for at most this long the node refuses new calls (503 to INVITE
  // and to the front's OPTIONS probes) while the calls it carries go on; the
  // calls still up after it are ended cleanly (BYE, records written).
  // 0 (a single node, no front to take the new calls): SIGTERM stops at
  // once, like SIGINT, as it always did.
  int drain_seconds = 0;
  // R4: the line's public address, called every probe_interval_seconds with
  // SIP OPTIONS as a citizen would reach it (the SIP front in a cluster);
  // results feed GET /api/v1/reports/availability. Empty: no probing.
  std::string probe_target;          // "sip:115@10.0.0.1:5060"
  int probe_interval_seconds = 60;
  // One queue order for the whole line (R4, R11; docs/cluster.md): the
  // nodes share their waiting calls and the operators' states in the
  // PostgreSQL registry (storage.driver: postgres) and one of them, the
  // routing leader, decides for all; node_name names the node there.
  // false: this node routes its own calls alone, as a single node does.
  bool shared_queue = false;
  // A standby tries to take the leadership over this often: a leader that
  // died is replaced within about this long after its database session ends.
  int leader_poll_ms = 1000;
  // Every node says it is alive this often (the leader checks its lease as often).
  int heartbeat_ms = 1000;
  // A node silent this long is dead: the leader removes its callers.
  int node_timeout_ms = 10000;
};

}  // namespace gosline
