"""Operators and queues over the real API of `gosline serve
--no-telephony` (R12, R20, R21). Operators sign in (password + TOTP), go
ready, cannot change another operator's state (403); a supervisor lists the
operators and the queues; bad input gets a 4xx with a JSON error; state
changes are in the audit log."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_server import Server  # noqa: E402
from auth_test import PASSWORD, secret_of, totp  # noqa: E402


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    server = Server(sys.argv[1])
    try:
        secrets = {}
        for login, role in (("ivanova", "operator"), ("petrov", "operator"), ("boss", "supervisor")):
            secrets[login] = secret_of(server.cli("user", "add", login, "--role", role,
                                                  "--password-stdin", stdin=PASSWORD + "\n").stdout)
        server.start()

        def login(name):
            st, body = server.request("POST", "/api/v1/auth/login", {
                "login": name, "password": PASSWORD, "totp": totp(secrets[name])}, auth=False)
            check(st == 200, "%s signs in (%s)" % (name, st))
            return {"Authorization": "Bearer " + body["token"]} if st == 200 else {}

        ivanova, boss = login("ivanova"), login("boss")

        st, body = server.request("POST", "/api/v1/operators/ivanova/state", {"state": "ready"},
                                  headers=ivanova)
        check(st == 200 and body["state"] == "ready", "operator goes ready (%s %s)" % (st, body))
        st, body = server.request("GET", "/api/v1/operators/ivanova", headers=ivanova)
        check(st == 200 and body["state"] == "ready" and body["centre"] == "federal",
              "operator reads themself (%s)" % st)
        st, body = server.request("POST", "/api/v1/operators/petrov/state", {"state": "ready"},
                                  headers=ivanova)
        check(st == 403 and "error" in body, "operator cannot change another operator (%s)" % st)
        st, _ = server.request("GET", "/api/v1/operators/petrov", headers=ivanova)
        check(st == 403, "operator cannot read another operator (%s)" % st)
        st, _ = server.request("GET", "/api/v1/queues", headers=ivanova)
        check(st == 403, "operator cannot list the queues (%s)" % st)
        st, _ = server.request("GET", "/api/v1/operators", headers=ivanova)
        check(st == 403, "operator cannot list the operators (%s)" % st)

        st, body = server.request("POST", "/api/v1/operators/ivanova/state",
                                  {"state": "not_ready", "reason": "lunch"}, headers=ivanova)
        check(st == 200 and body["state"] == "not_ready" and body["reason"] == "lunch",
              "not ready with a reason (%s %s)" % (st, body))
        st, body = server.request("POST", "/api/v1/operators/ivanova/state", {"state": "on_call"},
                                  headers=ivanova)
        check(st == 400 and body["error"]["field"] == "state", "unknown state: 400 (%s %s)" % (st, body))
        st, body = server.request("POST", "/api/v1/operators/ivanova/state", b"{not json",
                                  headers=ivanova)
        check(st == 400 and "error" in body, "malformed JSON: 400 (%s)" % st)
        st, body = server.request("POST", "/api/v1/operators/ivanova/state", {"state": 7},
                                  headers=ivanova)
        check(st == 400, "wrong type: 400 (%s)" % st)
        st, body = server.request("GET", "/api/v1/operators/ivanova/call", headers=ivanova)
        check(st == 404 and "error" in body, "no call: 404 (%s)" % st)
        st, body = server.request("POST", "/api/v1/calls/12345/transfer", {"queue": "federal-taxes"},
                                  headers=boss)
        check(st == 404 and "error" in body, "transfer of an unknown call: 404 (%s %s)" % (st, body))
        st, body = server.request("POST", "/api/v1/calls/abc/transfer", {"queue": "federal-taxes"},
                                  headers=boss)
        check(st == 400, "transfer of a malformed call id: 400 (%s)" % st)

        st, body = server.request("POST", "/api/v1/operators/petrov/state", {"state": "ready"},
                                  headers=boss)
        check(st == 200 and body["state"] == "ready", "supervisor sets petrov ready (%s)" % st)
        st, body = server.request("POST", "/api/v1/operators/nobody/state", {"state": "ready"},
                                  headers=boss)
        check(st == 404, "unknown operator: 404 (%s)" % st)
        st, body = server.request("GET", "/api/v1/operators", headers=boss)
        states = {o["id"]: o["state"] for o in body["items"]} if st == 200 else {}
        check(states.get("ivanova") == "not_ready" and states.get("petrov") == "ready"
              and states.get("smirnova") == "logged_out", "supervisor lists operators (%s)" % states)
        st, body = server.request("GET", "/api/v1/queues", headers=boss)
        queues = {q["id"]: q for q in body["items"]} if st == 200 else {}
        reg = queues.get("federal-registration", {})
        check(st == 200 and reg.get("waiting") == 0 and reg["operators"]["ready"] == 1
              and reg["operators"]["not_ready"] == 1 and "statistics" in reg,
              "supervisor lists queues with operators by state (%s)" % reg)
        st, body = server.request("POST", "/api/v1/operators/ivanova/state", {"state": "logged_out"},
                                  headers=ivanova)
        check(st == 200 and body["state"] == "logged_out", "operator logs out (%s)" % st)
    finally:
        server.stop()
    conn = sqlite3.connect(server.db + ".audit")
    rows = conn.execute("SELECT action, object FROM audit_log").fetchall()
    conn.close()
    check(("operator.change", "operator:ivanova") in rows, "state changes are audited")
    check(("access.denied", "operator:petrov") in rows, "the refused change is audited")
    server.cleanup()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
