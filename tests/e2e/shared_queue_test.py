#!/usr/bin/env python3
"""R4/R11: one queue order across gosline nodes on one PostgreSQL database
(cluster.shared_queue, docs/cluster.md), with real processes.

Two `gosline serve` nodes (node-a, node-b) share the queue. Twenty callers
wait on a third node, node-c, which this test plays at the database level
exactly as a node's ClusterCallPort does (the call rows and their events, in
one transaction, with NOTIFY; node-c's heartbeat): their original enqueue
times are seven seconds apart, in the past, and two of them have an open case
(R9). Nobody is ready, so nobody is rung. Then:
  * the leader (node-a) is killed with SIGKILL; node-b takes over: it logs
    the 20 calls rebuilt under term 2 (the time it took is printed);
  * a supervisor sets ivanova ready through node-b's API; the leader's
    decisions for node-c ring ivanova for each caller in turn (node-c answers
    and hangs up each, as its telephony would report), and the 20 are rung
    in their original order with the open-case priority, none dropped;
  * check-config refuses shared_queue without PostgreSQL.
What is not real here: node-c's SIP side (callers, the operator's phone);
the SIP path on one node is covered by tests/telephony.
"""
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_server import REPO, Server  # noqa: E402
from postgres_server import BINDIR, PostgresServer  # noqa: E402
from postgres_nodes_test import postgres_config  # noqa: E402
from auth_test import PASSWORD, secret_of, totp  # noqa: E402

failures = []
CALLERS = 20
SPACING_S = 7
OPEN_CASE = {9, 15}        # callers with an open case
OPEN_CASE_WEIGHT_S = 60    # the demo's routing.open_case_priority_weight_seconds


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def psql(conninfo, sql):
    tool = os.path.join(BINDIR, "psql")
    out = subprocess.run([tool, "-v", "ON_ERROR_STOP=1", "-q", "-At", "-d", conninfo, "-c", sql],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("psql: " + out.stderr)
    return [line for line in out.stdout.splitlines() if line]


def node_config(path, base, node, shared=True):
    with open(base, encoding="utf-8") as f:
        text = f.read()
    # Every operator is free again at once; nobody is promoted by aging during
    # the test; a ring waits for the test's node-c.
    for key, value in (("wrap_up_seconds", 0), ("no_answer_seconds", 600),
                       ("aging_promote_after_seconds", 3600)):
        text, n = re.subn(r"(?m)^  %s: \d+$" % key, "  %s: %d" % (key, value), text)
        assert n == 1, key
    text += ("\ncluster:\n  node_name: %s\n  shared_queue: %s\n  leader_poll_ms: 500\n"
             "  heartbeat_ms: 500\n  node_timeout_ms: 600000\n" % (node, "true" if shared else "false"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def wait_for(what, pred, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    check(False, "timed out waiting for " + what)
    return None


def add_callers(conninfo, now_ms):
    """node-c's calls, as its ClusterCallPort writes them, in shuffled order."""
    t0 = now_ms - 150_000
    order = list(range(CALLERS))
    random.Random(7).shuffle(order)
    statements = ["INSERT INTO cluster_nodes (node_id, heartbeat_at) VALUES ('node-c', now()) "
                  "ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()"]
    for i in order:
        statements.append(
            "WITH c AS (INSERT INTO cluster_calls (node_id, local_call, enqueued_at_ms, state, "
            "operator_id, sip_call_id, caller, dialled, caller_region, language, topic, queue, "
            "ivr_path, collected, started_at_ms, case_number, has_open_case, earlier_cases) VALUES "
            "('node-c', %d, %d, 'waiting', '', 'sq-%d@node-c', '+7916100%04d', '115', '77', 'ru', "
            "'registration', 'federal-registration', 'main queue_registration', '', %d, '', %s, '') "
            "RETURNING id) INSERT INTO cluster_events (node_id, call_id, kind, operator_id, fields, at_ms) "
            "SELECT 'node-c', id, 'enqueued', '', '', %d FROM c"
            % (i + 1, t0 + i * SPACING_S * 1000, i + 1, i + 1, t0 + i * SPACING_S * 1000,
               "true" if i in OPEN_CASE else "false", now_ms))
    statements.append("SELECT pg_notify('gosline_cluster', 'events')")
    psql(conninfo, "BEGIN; " + "; ".join(statements) + "; COMMIT;")


def expected_order():
    def key(i):
        return (i * SPACING_S - (OPEN_CASE_WEIGHT_S if i in OPEN_CASE else 0), i)
    return [i + 1 for i in sorted(range(CALLERS), key=key)]


def take_rings(conninfo):
    """What node-c's ClusterNode does: takes its decisions; returns the rings."""
    rows = psql(conninfo, "DELETE FROM cluster_decisions WHERE node_id = 'node-c' "
                          "RETURNING seq, local_call, kind, operator_id, term")
    rows = sorted((r.split("|") for r in rows), key=lambda r: int(r[0]))
    return [(int(r[1]), r[3], int(r[4])) for r in rows if r[2] == "ring"]


def report(conninfo, local_call, kind, now_ms):
    """node-c's ClusterCallPort reporting an event of one of its calls."""
    delete = ("DELETE FROM cluster_calls WHERE node_id = 'node-c' AND local_call = %d; "
              % local_call) if kind == "operator_hung_up" else ""
    update = ("UPDATE cluster_calls SET state = 'connected' WHERE node_id = 'node-c' AND "
              "local_call = %d; " % local_call) if kind == "answered" else ""
    psql(conninfo,
         "BEGIN; INSERT INTO cluster_events (node_id, call_id, kind, operator_id, fields, at_ms) "
         "SELECT 'node-c', id, '%s', '', '', %d FROM cluster_calls WHERE node_id = 'node-c' AND "
         "local_call = %d; %s%sSELECT pg_notify('gosline_cluster', 'events'); COMMIT;"
         % (kind, now_ms, local_call, update, delete))


def main():
    binary = sys.argv[1]
    pg = PostgresServer().start()
    nodes = []
    try:
        conninfo = pg.create_database("gosline")
        workdir = pg.dir + "-nodes"
        os.makedirs(workdir, exist_ok=True)
        password_file = os.path.join(workdir, "postgres.pass")
        with open(password_file, "w") as f:
            f.write("not-needed-with-trust\n")
        os.chmod(password_file, 0o600)
        base = os.path.join(workdir, "base.yaml")
        postgres_config(base, conninfo, password_file, os.path.join(workdir, "data.key"))
        configs = {}
        for node in ("node-a", "node-b"):
            configs[node] = os.path.join(workdir, node + ".yaml")
            node_config(configs[node], base, node)

        good = subprocess.run([binary, "check-config", configs["node-a"]], capture_output=True,
                              text=True, timeout=60)
        check(good.returncode == 0, "check-config accepts a shared queue on PostgreSQL: %s"
              % good.stderr.strip()[-300:])
        sqlite_config = os.path.join(workdir, "sqlite.yaml")
        node_config(sqlite_config, os.path.join(REPO, "config", "gosline.yaml"), "node-a")
        bad = subprocess.run([binary, "check-config", sqlite_config], capture_output=True,
                             text=True, timeout=60)
        check(bad.returncode != 0 and "shared_queue" in bad.stderr,
              "check-config refuses a shared queue without PostgreSQL")

        a = Server(binary, config=configs["node-a"])
        nodes.append(a)
        a.start()
        check(wait_for("node-a to lead", lambda: "node-a leads the routing (term 1)" in a.log())
              is not None, "the first node leads the routing (term 1)")
        b = Server(binary, config=configs["node-b"])
        boss_secret = secret_of(b.cli("user", "add", "boss", "--role", "supervisor",
                                      "--password-stdin", stdin=PASSWORD + "\n").stdout)
        nodes.append(b)
        b.start()

        add_callers(conninfo, int(time.time() * 1000))
        check(wait_for("the leader to take the callers",
                       lambda: psql(conninfo, "SELECT count(*) FROM cluster_events") == ["0"])
              is not None, "the leader took the 20 callers in")
        check("leads the routing" not in b.log(), "the second node is a standby")
        check(take_rings(conninfo) == [], "nobody is rung while no operator is ready")

        killed_at = time.monotonic()
        a.kill9()
        took = wait_for("node-b to take over",
                        lambda: "node-b leads the routing (term 2): %d calls waiting" % CALLERS
                        in b.log())
        print("takeover after kill -9 of the leader: %.1f s (leader_poll_ms 500)"
              % (time.monotonic() - killed_at), flush=True)
        check(took is not None, "the standby took over with the %d callers waiting" % CALLERS)

        st, body = b.request("POST", "/api/v1/auth/login", {
            "login": "boss", "password": PASSWORD, "totp": totp(boss_secret)}, auth=False)
        check(st == 200, "the supervisor signs in on node-b (%s)" % st)
        boss = {"Authorization": "Bearer " + body["token"]} if st == 200 else {}
        st, body = b.request("POST", "/api/v1/operators/ivanova/state", {"state": "ready"},
                             headers=boss)
        check(st == 200, "ivanova is set ready through node-b (%s %s)" % (st, body))
        check(psql(conninfo, "SELECT state FROM cluster_operators WHERE operator_id = 'ivanova'")
              == ["ready"], "the state is in the shared table")

        rung = []
        for n in range(CALLERS):
            rings = wait_for("ring %d" % (n + 1), lambda: take_rings(conninfo), timeout=30)
            if not rings:
                break
            check(len(rings) == 1 and rings[0][1] == "ivanova" and rings[0][2] == 2,
                  "ring %d: one ring, ivanova, term 2 (%s)" % (n + 1, rings))
            call = rings[0][0]
            rung.append(call)
            now_ms = int(time.time() * 1000)
            report(conninfo, call, "answered", now_ms)
            report(conninfo, call, "operator_hung_up", now_ms)
        print("rung:     %s" % rung)
        print("expected: %s" % expected_order())
        check(rung == expected_order(),
              "the %d callers are rung in their original order, open cases first by the weight"
              % CALLERS)
        check(psql(conninfo, "SELECT count(*) FROM cluster_calls") == ["0"], "no caller is left over")
    finally:
        for n in nodes:
            n.cleanup()
        pg.stop()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
