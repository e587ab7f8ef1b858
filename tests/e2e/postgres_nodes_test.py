#!/usr/bin/env python3
"""R4/R11/R19-R21: two gosline nodes on one PostgreSQL database
(storage.driver: postgres). Cases created on either node at the same time get
unique numbers, each node reads what the other wrote, and the password file is
checked by check-config (refused when others may read it). Staff are one line:
a member of staff signs in (password + TOTP) on node A and the session cookie
works on node B until signed out there; an API key made through node A works
on node B until revoked; the audit records of both nodes, written at the same
time, form one chain that `gosline audit verify` accepts. The editable
configuration is the line's: an administrator's edit through node A reaches
node B within 2 s, a stale edit on B is refused, and a node started later with
an older file takes the line's version."""
import os
import re
import shutil
import subprocess
import sys
import threading
import time

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


CONFIG = "/api/v1/admin/config"


def wait_for_block_list(node, block):
    """Node's block list once it is `block`, or the last one read after 2 s
    (the bound within which an edit reaches every node)."""
    deadline = time.monotonic() + 2.0
    value = None
    for _ in range(200):
        st, area = node.request("GET", CONFIG + "/block_list", headers=node.admin)
        value = area.get("value", {}).get("block") if st == 200 else (st, area)
        if value == block or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    return value


def config_across_nodes(a, b, admin_secret, conninfo, config_c, binary):
    """R4: the live-editable configuration is the line's, not a node's."""
    st, body = a.request("POST", "/api/v1/auth/login", {
        "login": "chief", "password": PASSWORD, "totp": totp(admin_secret)}, auth=False)
    check(st == 200, "the administrator signs in on node A (%s)" % st)
    a.admin = b.admin = {"Authorization": "Bearer " + body.get("token", "")}
    st, area = a.request("GET", CONFIG + "/block_list", headers=a.admin)
    check(st == 200, "node A reads its block list (%s)" % st)
    first = ["+78095550001"]
    st, put = a.request("PUT", CONFIG + "/block_list",
                        {"value": {"block": first}, "version": area["version"]}, headers=a.admin)
    check(st == 200 and put.get("changed"), "an edit through node A is accepted (%s %s)" % (st, put))
    seen = wait_for_block_list(b, first)
    check(seen == first, "node B serves node A's edit within 2 s: %s" % seen)
    check("took the line's configuration version 1" in b.log(), "node B logs the version it took")
    rows = psql(conninfo, "SELECT version, author FROM config_versions ORDER BY version")
    check(len(rows) == 1 and rows[0].startswith("1|") and "chief" in rows[0],
          "the edit is version 1 of the shared configuration, with its author: %s" % rows)

    st, _ = b.request("PUT", CONFIG + "/block_list",
                      {"value": {"block": ["+78095550009"]}, "version": area["version"]},
                      headers=b.admin)
    check(st == 409, "an edit on node B made against the old version is refused (%s)" % st)
    st, area_b = b.request("GET", CONFIG + "/block_list", headers=b.admin)
    second = ["+78095550001", "+78095550002"]
    st, put = b.request("PUT", CONFIG + "/block_list",
                        {"value": {"block": second}, "version": area_b["version"]}, headers=b.admin)
    check(st == 200, "node B's own edit on the line's version is accepted (%s %s)" % (st, put))
    seen = wait_for_block_list(a, second)
    check(seen == second, "node A serves node B's edit within 2 s: %s" % seen)

    # A node started later with the file as it was takes the line's version.
    c = Server(binary, config=config_c)
    try:
        c.start()
        c.admin = a.admin
        st, area_c = c.request("GET", CONFIG + "/block_list", headers=c.admin)
        check(st == 200 and area_c["value"]["block"] == second,
              "a node started with an older file serves the line's version (%s %s)" % (
                  st, area_c.get("value")))
        check("using the line's configuration version 2" in c.log(), "and says so in its log")
        with open(config_c, encoding="utf-8") as f:
            check("+78095550002" in f.read(), "its file now says the same")
        check(c.stop() == 0, "node C stops cleanly on SIGTERM")
    finally:
        c.cleanup()


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
        # Each node has its own file, as on its own machine.
        config_b, config_c = config + ".b.yaml", config + ".c.yaml"
        for copy in (config_b, config_c):
            shutil.copy(config, copy)

        for node_config in (config, config_b):
            nodes.append(Server(binary, config=node_config))
        add = nodes[0].cli("user", "add", "ivanova", "--role", "operator", "--name", "Ivanova A.",
                           "--password-stdin", stdin=PASSWORD + "\n")
        secret = secret_of(add.stdout)
        admin_secret = secret_of(nodes[0].cli("user", "add", "chief", "--role", "administrator",
                                              "--password-stdin", stdin=PASSWORD + "\n").stdout)
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
        config_across_nodes(a, b, admin_secret, conninfo, config_c, binary)

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
        shutil.rmtree(pg.dir + "-nodes", ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
