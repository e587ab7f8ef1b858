#!/usr/bin/env python3
"""R14/R16: the real server over HTTP, as a portal or a curl user would use it:
create a case, read it, move it through its statuses, escalate it (due time set),
find it by phone, and get JSON errors for bad input."""
import sys

from gosline_server import Server

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def main():
    server = Server(sys.argv[1]).start()
    try:
        st, body = server.request("GET", "/healthz")
        check(st == 200, "healthz 200")
        st, doc = server.request("GET", "/api/v1/openapi.json")
        check(st == 200 and str(doc.get("openapi", "")).startswith("3."), "openapi document served")

        st, case = server.request("POST", "/api/v1/cases", {
            "phone": "8 (916) 123-45-67", "channel": "call", "topic": "certificates",
            "region": "77", "summary": "Нужна справка об отсутствии судимости"})
        check(st == 201, "create case -> 201 (got %s %s)" % (st, case))
        number = case["number"]
        check(len(number) == 10 and number.isdigit(), "case number is 10 digits: %s" % number)
        check(case["phone"] == "+79161234567", "phone normalised to E.164")
        check(case["status"] == "new", "new case has status new")

        st, got = server.request("GET", "/api/v1/cases/" + number)
        check(st == 200 and got["summary"] == case["summary"], "read case back")

        st, got = server.request("POST", "/api/v1/cases/%s/transitions" % number,
                                 {"to": "in_progress", "reason": "operator took it"})
        check(st == 200 and got["status"] == "in_progress", "transition new -> in_progress")
        st, got = server.request("POST", "/api/v1/cases/%s/transitions" % number,
                                 {"to": "escalated", "reason": "needs the agency"})
        check(st == 200 and got["status"] == "escalated" and got.get("due_at"),
              "R16 escalation sets a due time (%s)" % (got.get("due_at") if isinstance(got, dict) else got))
        st, err = server.request("POST", "/api/v1/cases/%s/transitions" % number, {"to": "new"})
        check(st == 409 and err["error"]["code"], "forbidden transition -> 409 JSON error")

        st, got = server.request("POST", "/api/v1/cases/%s/notes" % number,
                                 {"text": "Гражданин перезвонит завтра"})
        check(st in (200, 201), "add note")
        st, got = server.request("GET", "/api/v1/cases/" + number)
        actions = [h["action"] for h in got.get("history", [])]
        check("note" in actions and "created" in actions, "history has created and note: %s" % actions)

        st, page = server.request("GET", "/api/v1/cases?phone=%2B79161234567")
        check(st == 200 and any(c["number"] == number for c in page["items"]), "find by phone")

        st, err = server.request("POST", "/api/v1/cases", b"{not json", )
        check(st == 400 and "error" in err, "malformed JSON -> 400 JSON error")
        st, err = server.request("POST", "/api/v1/cases", {"phone": 42, "topic": "taxes"})
        check(st == 400 and err["error"].get("field") == "phone", "wrong type -> 400 with field")
        st, err = server.request("POST", "/api/v1/cases", {"phone": "+79161234567", "topic": "nope"})
        check(st in (400, 422) and err["error"].get("field") == "topic", "unknown topic -> field topic")
        bad = number[:-1] + str((int(number[-1]) + 1) % 10)
        st, err = server.request("GET", "/api/v1/cases/" + bad)
        check(st == 400 and err["error"].get("field") == "number", "bad check digit -> 400")
        st, err = server.request("POST", "/api/v1/cases", b"x" * (3 << 20))
        check(st == 413, "oversized body -> 413")
        st, err = server.request("GET", "/api/v1/nothing-here")
        check(st == 404 and "error" in err, "unknown route -> 404 JSON")
        st, _ = server.request("GET", "/readyz")
        check(st == 200, "still ready after bad input")
        rc = server.stop()
        check(rc == 0, "SIGTERM stops the server cleanly (rc=%s)" % rc)
    finally:
        server.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
