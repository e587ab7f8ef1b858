"""Administration: live configuration editing against the real `gosline serve`.
An administrator signs in with TOTP, reads the IVR, has a broken IVR refused
(422, with the line in the submitted text), adds a blocked number, changes the
hours and adds holidays (200, no restart), and the public status page follows at
once. The file on disk keeps its comments and passes `gosline check-config`; an
operator gets 403; the audit log holds config.change records."""
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auth_test import PASSWORD, secret_of, totp  # noqa: E402
from gosline_server import REPO, Server  # noqa: E402

CONFIG = "/api/v1/admin/config"


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    workdir = tempfile.mkdtemp(prefix="gosline-e2e-config-")
    config = os.path.join(workdir, "gosline.yaml")
    shutil.copyfile(os.path.join(REPO, "config", "gosline.yaml"), config)
    with open(config, encoding="utf-8") as f:
        original = f.read()
    server = Server(sys.argv[1], workdir=workdir, config=config)
    try:
        admin_secret = secret_of(server.cli("user", "add", "chief", "--role", "administrator",
                                            "--password-stdin", stdin=PASSWORD + "\n").stdout)
        op_secret = secret_of(server.cli("user", "add", "ivanova", "--role", "operator",
                                         "--password-stdin", stdin=PASSWORD + "\n").stdout)
        server.start()

        def sign_in(login, secret):
            st, body = server.request("POST", "/api/v1/auth/login", {
                "login": login, "password": PASSWORD, "totp": totp(secret)}, auth=False)
            check(st == 200, "%s signs in with password + TOTP (%s)" % (login, st))
            return {"Authorization": "Bearer " + body["token"]} if st == 200 else {}

        admin = sign_in("chief", admin_secret)
        operator = sign_in("ivanova", op_secret)

        st, _ = server.request("GET", CONFIG, headers=operator)
        check(st == 403, "an operator may not read the configuration (%s)" % st)
        st, _ = server.request("PUT", CONFIG + "/block_list", {"value": {"block": []}, "version": "x"},
                               headers=operator)
        check(st == 403, "an operator may not change it (%s)" % st)
        st, _ = server.request("GET", CONFIG)
        check(st == 403, "nor may an integration key (%s)" % st)

        st, areas = server.request("GET", CONFIG, headers=admin)
        check(st == 200 and [a["id"] for a in areas["areas"]] == [
            "numbers", "hours", "holidays", "queues", "skills", "overflow", "ivr",
            "corrective_actions", "block_list"],
            "the administrator lists the areas (%s)" % st)
        st, ivr = server.request("GET", CONFIG + "/ivr", headers=admin)
        check(st == 200 and ivr["value"]["start"] == "greeting" and "# 1: registration" in ivr["yaml"],
              "the IVR as JSON and as written, comments included (%s)" % st)
        version = ivr["version"]

        # A menu option that leads nowhere: refused with its line in the submitted text.
        wrong = "on_fail: hours_other          # no choice: an operator helps"
        text = ivr["yaml"]
        line = text[:text.find(wrong)].count("\n") + 1
        broken = text.replace(wrong, "on_fail: no_such_node")
        st, body = server.request("POST", CONFIG + "/ivr/check", {"yaml": broken}, headers=admin)
        check(st == 200 and body["ok"] is False, "check finds the broken IVR (%s)" % st)
        st, body = server.request("PUT", CONFIG + "/ivr", {"yaml": broken, "version": version},
                                  headers=admin)
        lines = [e.get("area_line") for e in (body or {}).get("errors", []) if "no_such_node" in e["message"]]
        check(st == 422 and lines == [line],
              "a broken IVR is refused with 422 at line %d of the text (%s %s)" % (line, st, lines))
        with open(config, encoding="utf-8") as f:
            check(f.read() == original, "nothing was written for the refused change")

        # A blocked number.
        st, body = server.request("PUT", CONFIG + "/block_list", {
            "value": {"block": ["+79001234567"]}, "version": version}, headers=admin)
        check(st == 200 and body["changed"] and body["version"] != version,
              "a blocked number is added (%s %s)" % (st, body))
        version = body["version"] if st == 200 else version
        st, _ = server.request("PUT", CONFIG + "/block_list", {
            "value": {"block": []}, "version": ivr["version"]}, headers=admin)
        check(st == 409, "a change made against an old version is a conflict (%s)" % st)

        # Business hours around the clock, then today (and tomorrow) a holiday:
        # licences and permits (business hours) open, then closed, without a restart.
        st, hours = server.request("GET", CONFIG + "/hours", headers=admin)
        day = '"09:00-18:00"'
        new_hours = hours["yaml"].replace(day, '"00:00-24:00"').replace(
            "sat: closed", 'sat: "00:00-24:00"').replace("sun: closed", 'sun: "00:00-24:00"', 1)
        st, body = server.request("PUT", CONFIG + "/hours", {"yaml": new_hours, "version": version},
                                  headers=admin)
        check(st == 200 and body["changed"], "business hours edited as YAML (%s %s)" % (st, body))
        version = body["version"] if st == 200 else version

        def licences():
            st, status = server.request("GET", "/api/v1/public/status", auth=False)
            topic = next(t for t in status["topics"] if t["id"] == "licences_permits")
            return st, topic

        st, topic = licences()
        check(st == 200 and topic["open"] is True and topic["hours"]["weekly"][0]["open"] == "00:00",
              "the public status shows the new hours at once (%s)" % topic)
        moscow = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=3))).date()
        st, holidays = server.request("GET", CONFIG + "/holidays", headers=admin)
        value = holidays["value"]
        value["dates"] += [str(moscow), str(moscow + datetime.timedelta(days=1))]
        st, body = server.request("PUT", CONFIG + "/holidays", {"value": value, "version": version},
                                  headers=admin)
        check(st == 200 and body["changed"], "today is made a holiday (%s %s)" % (st, body))
        version = body["version"] if st == 200 else version
        st, topic = licences()
        check(st == 200 and topic["open"] is False,
              "the public status shows the holiday at once: closed (%s)" % topic)

        # Skills reach the running contact centre (the routing applier): ivanova
        # takes taxes from now on, without a restart.
        st, skills = server.request("GET", CONFIG + "/skills", headers=admin)
        operators = skills["value"]
        mine = next(o for o in operators if o["id"] == "ivanova")
        mine["skills"]["taxes"] = 4
        st, body = server.request("PUT", CONFIG + "/skills", {"value": operators, "version": version},
                                  headers=admin)
        check(st == 200 and body["changed"], "ivanova is given taxes, level 4 (%s %s)" % (st, body))
        version = body["version"] if st == 200 else version
        st, me = server.request("GET", "/api/v1/operators/ivanova", headers=operator)
        check(st == 200 and me.get("skills", {}).get("taxes") == 4,
              "the running centre routes taxes to ivanova now (%s %s)" % (st, me.get("skills")))

        # An edit that would strand live work is refused by the centre, and
        # nothing is written: ivanova is signed in and ready.
        st, _ = server.request("POST", "/api/v1/operators/ivanova/state", {"state": "ready"},
                               headers=operator)
        check(st == 200, "ivanova goes ready (%s)" % st)
        with open(config, encoding="utf-8") as f:
            before = f.read()
        without = [o for o in operators if o["id"] != "ivanova"]
        st, body = server.request("PUT", CONFIG + "/skills", {"value": without, "version": version},
                                  headers=admin)
        message = " ".join(e.get("message", "") for e in body.get("errors", [])) if st != 200 else ""
        check(st == 422 and "ivanova" in message and "contact centre" in message,
              "removing a ready operator is refused by the centre (%s %s)" % (st, message))
        with open(config, encoding="utf-8") as f:
            check(f.read() == before, "the refused edit left the file as it was")
        st, me = server.request("GET", "/api/v1/operators/ivanova", headers=operator)
        check(st == 200 and me.get("state") == "ready", "ivanova is still ready (%s)" % me.get("state"))
    finally:
        rc = server.stop()
    check(rc == 0, "serve stops cleanly (exit %s; sanitizers report here)" % rc)

    with open(config, encoding="utf-8") as f:
        now = f.read()
    check('      - "+79001234567"' in now, "the blocked number is in the file")
    for comment in ["# --- Telephony: the SIP endpoint", "# Never limited. +79161234567",
                    "# 2027, PROVISIONAL", "# transferred from Sat Jan 3", "# e.g. [\"+79001234567\""]:
        check(comment in now, "the comment %r is kept" % comment)
    check(os.path.exists(config + ".prev"), "the previous file is kept as .prev")
    proc = subprocess.run([server.binary, "check-config", config], capture_output=True, text=True,
                          timeout=60)
    check(proc.returncode == 0, "check-config passes on the edited file: " + proc.stdout + proc.stderr)

    conn = sqlite3.connect(server.db + ".audit")
    rows = conn.execute("SELECT actor, object, detail FROM audit_log WHERE action='config.change'").fetchall()
    refused = conn.execute("SELECT count(*) FROM audit_log WHERE action='config.refused'").fetchone()[0]
    conn.close()
    check([r[1] for r in rows] == ["block_list", "hours", "holidays", "skills"] and
          all(r[0] == "user:chief" for r in rows) and "->" in rows[0][2],
          "every change is audited as config.change: %s" % rows)
    check(refused >= 2, "refused changes are audited too (%s)" % refused)

    if failures:
        print(server.log())
        print("%d failure(s)" % len(failures))
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
