#!/usr/bin/env python3
"""R4/R11/R19-R21: two gosline nodes on one PostgreSQL database
(storage.driver: postgres). Cases created on either node at the same time get
unique numbers, each node reads what the other wrote, and the password file is
checked by check-config (refused when others may read it). Staff are one line:
a member of staff signs in (password + TOTP) on node A and the session cookie
works on node B until signed out there; an API key made through node A works
on node B until revoked; the audit records of both nodes, written at the same
time, form one chain that `gosline audit verify` accepts."""
import os
import re
import subprocess
import sys
import threading

from auth_test import PASSWORD, secret_of, totp
from gosline_server import REPO, Server
from postgres_server import BINDIR, PostgresServer

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def postgres_config(path, conninfo, password_file, data_key):
    """The demo configuration with its storage section on PostgreSQL and one
    data key for every node (a node with another key is refused, R22)."""
    with open(os.path.join(REPO, "config", "gosline.yaml"), encoding="utf-8") as f:
        text = f.read()
    storage = ("storage:\n  driver: postgres\n  postgres:\n    conninfo: \"%s\"\n"
               "    password_file: %s\n    max_connections: 4\n" % (conninfo, password_file))
    text, n = re.subn(r"(?m)^storage:\n(?:[ #].*\n|\n)*?(?=^\S)", storage + "\n", text, count=1)
    assert n == 1, "no storage section in the demo configuration"
    text, n = re.subn(r"(?m)^  key_file: var/keys/data.key$", "  key_file: " + data_key, text)
    assert n == 1, "no security.key_file in the demo configuration"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def psql(conninfo, sql):
    """One query's rows (unaligned, | between columns) straight from the database."""
    tool = os.path.join(BINDIR, "psql")
    out = subprocess.run([tool, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return [line for line in out.splitlines() if line]


def staff_across_nodes(a, b, secret, conninfo):
    """R19, R20: sessions and API keys are the line's, not a node's."""
    st, body, headers = a.exchange("POST", "/api/v1/auth/login", {
        "login": "ivanova", "password": PASSWORD, "totp": totp(secret)}, auth=False)
    check(st == 200, "staff sign in on node A with password + TOTP (%s %s)" % (st, body))
    cookie = dict(headers).get("Set-Cookie", "").split(";", 1)[0]
    st, me = b.request("GET", "/api/v1/auth/me", headers={"Cookie": cookie}, auth=False)
    check(st == 200 and isinstance(me, dict) and me.get("name") == "ivanova",
          "node B knows node A's session cookie (%s %s)" % (st, me))
    st, case = b.request("POST", "/api/v1/cases", {
        "phone": "+79165550099", "topic": "taxes", "summary": "filed on B"},
        headers={"Cookie": cookie}, auth=False)
    check(st == 201 and case["history"][0]["actor"] == "user:ivanova",
          "node B files a case as the member signed in on A (%s)" % st)
    st, _ = b.request("POST", "/api/v1/auth/logout", headers={"Cookie": cookie}, auth=False)
    check(st == 204, "sign-out on node B (%s)" % st)
    st, _ = a.request("GET", "/api/v1/auth/me", headers={"Cookie": cookie}, auth=False)
    check(st == 401, "node A refuses the cookie signed out on B (%s)" % st)
    check(psql(conninfo, "SELECT count(*) FROM users WHERE login = 'ivanova'") == ["1"],
          "the account is a row of the shared database")

    key = a.create_api_key("cases:read")
    bearer = {"Authorization": "Bearer " + key}
    st, _ = b.request("GET", "/api/v1/cases?limit=1", headers=bearer)
    check(st == 200, "an API key made through node A works on node B (%s)" % st)
    key_id = key.split("_")[1]
    a.cli("apikey", "revoke", key_id)
    st, _ = b.request("GET", "/api/v1/cases?limit=1", headers=bearer)
    check(st == 401, "revoked through node A, refused on node B (%s)" % st)


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
        config = os.path.join(workdir, "gosline-postgres.yaml")
        postgres_config(config, conninfo, password_file, os.path.join(workdir, "data.key"))

        os.chmod(password_file, 0o644)
        bad = subprocess.run([binary, "check-config", config], capture_output=True, text=True,
                             timeout=60)
        check(bad.returncode != 0 and "chmod 600" in bad.stderr,
              "check-config refuses a password file others may read: %s" % bad.stderr.strip())
        os.chmod(password_file, 0o600)
        good = subprocess.run([binary, "check-config", config], capture_output=True, text=True,
                              timeout=60)
        check(good.returncode == 0, "check-config accepts driver postgres: %s" % good.stderr.strip())

        for _ in range(2):
            nodes.append(Server(binary, config=config))
        add = nodes[0].cli("user", "add", "ivanova", "--role", "operator", "--name", "Ivanova A.",
                           "--password-stdin", stdin=PASSWORD + "\n")
        secret = secret_of(add.stdout)
        for n in nodes:
            n.start()
        a, b = nodes
        check("registry postgres (" in a.log(), "node logs the PostgreSQL registry")
        check("not-needed-with-trust" not in a.log(), "the password is not logged")

        numbers = {0: [], 1: []}
        errors = []

        def create(i):
            for k in range(15):
                st, case = nodes[i].request("POST", "/api/v1/cases", {
                    "phone": "+7916555000%d" % i, "channel": "call", "topic": "certificates",
                    "region": "77", "summary": "node %d case %d" % (i, k)})
                if st != 201:
                    errors.append((i, st, case))
                    return
                numbers[i].append(case["number"])

        threads = [threading.Thread(target=create, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        check(not errors, "every create answered 201 on both nodes: %s" % errors[:3])
        every = numbers[0] + numbers[1]
        check(len(every) == 30 and len(set(every)) == 30,
              "30 cases, 30 distinct numbers across the nodes")

        st, got = a.request("GET", "/api/v1/cases/" + numbers[1][0])
        check(st == 200 and got.get("summary") == "node 1 case 0", "node A reads node B's case")
        st, got = b.request("POST", "/api/v1/cases/%s/transitions" % numbers[0][0],
                            {"to": "in_progress", "reason": "taken on node B"})
        check(st == 200 and got.get("status") == "in_progress", "node B moves node A's case")
        st, got = a.request("GET", "/api/v1/cases/" + numbers[0][0])
        check(st == 200 and got.get("status") == "in_progress", "node A sees the change at once")
        st, page = a.request("GET", "/api/v1/cases?phone=%2B79165550001")
        check(st == 200 and len(page.get("items", [])) == 15, "find by phone on A lists B's cases")

        staff_across_nodes(a, b, secret, conninfo)

        # R21: both nodes appended (the cases above were created on both at
        # once, each audited), and the chain is one, with no fork.
        verify = a.cli("audit", "verify", check=False)
        out = (verify.stdout + verify.stderr).strip()
        check(verify.returncode == 0 and "ok," in out, "audit verify on the shared chain: " + out)
        actions = psql(conninfo, "SELECT convert_from(action, 'UTF8') FROM audit_log ORDER BY seq")
        check("login" in actions and "logout" in actions and "user.add" in actions,
              "sign-in on A, sign-out on B and the account's creation are in one chain")
        seqs = psql(conninfo, "SELECT count(*), count(DISTINCT seq), max(seq) FROM audit_log")
        count = seqs[0].split("|")
        check(count[0] == count[1] == count[2] and int(count[0]) >= 30,
              "every record has its own seq, none skipped: %s" % seqs)
        psql(conninfo, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; "
                       "UPDATE audit_log SET actor = convert_to('user:someone-else', 'UTF8') "
                       "WHERE seq = 2")
        verify = b.cli("audit", "verify", check=False)
        out = (verify.stdout + verify.stderr).strip()
        check(verify.returncode == 1 and "record 2:" in out,
              "a record altered in the database is named (rc %s): %s" % (verify.returncode, out))

        for n in nodes:
            check(n.stop() == 0, "node stops cleanly on SIGTERM")
    finally:
        for n in nodes:
            n.cleanup()
        pg.stop()
        import shutil
        shutil.rmtree(pg.dir + "-nodes", ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
