#!/usr/bin/env python3
"""Webhooks to the apps (R27) against the real `gosline serve` and a real
Python HTTP receiver on 127.0.0.1.

An administrator subscribes the receiver to case events. The receiver first
fails (500), then hangs past the delivery timeout, then recovers: the event
arrives, with the same webhook-id on every attempt, and its Standard
Webhooks signature checks with Python's hmac. Payloads carry no phone number
unless the subscription's scope allows it. Then the receiver hangs while the
server is killed with SIGKILL mid-delivery; after the restart the event is
delivered. A receiver that never answers well is dead-lettered... after 24 h,
which a test cannot wait for: the administrator's dead-letter list and
replay are checked on a subscription removed mid-way instead (its pending
deliveries are dropped) and by the unit tests of the dispatcher.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auth_test import PASSWORD, secret_of, totp  # noqa: E402
from gosline_server import REPO, Server  # noqa: E402


class Receiver:
    """Answers each POST as the script says: 'fail' (500), 'hang' (sleeps past
    the timeout), 'ok' (204); 'ok' once the script is used up."""

    def __init__(self):
        self.script = []
        self.received = []  # (headers dict, raw body) of every attempt
        self.lock = threading.Lock()
        self.hang_seconds = 3.0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    action = receiver.script.pop(0) if receiver.script else "ok"
                if action == "hang":
                    time.sleep(receiver.hang_seconds)
                code = 500 if action == "fail" else 204
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d/hook" % self.httpd.server_address[1]

    def attempts(self, event=None):
        with self.lock:
            return [(h, b) for h, b in self.received if event is None or json.loads(b)["type"] == event]


def signature_ok(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = headers["webhook-id"].encode() + b"." + headers["webhook-timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest("v1," + expected, s) for s in headers["webhook-signature"].split(" "))


def wait_for(cond, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    workdir = tempfile.mkdtemp(prefix="gosline-e2e-webhooks-")
    config = os.path.join(workdir, "gosline.yaml")
    shutil.copyfile(os.path.join(REPO, "config", "gosline.yaml"), config)
    with open(config, "a", encoding="utf-8") as f:
        f.write("\ncitizen_api:\n  webhook_timeout_ms: 1000\n  webhook_first_retry_ms: 200\n")
    receiver = Receiver()
    server = Server(sys.argv[1], workdir=workdir, config=config)
    try:
        admin_secret = secret_of(server.cli("user", "add", "chief", "--role", "administrator",
                                            "--password-stdin", stdin=PASSWORD + "\n").stdout)
        server.start()
        st, body = server.request("POST", "/api/v1/auth/login",
                                  {"login": "chief", "password": PASSWORD, "totp": totp(admin_secret)}, auth=False)
        check(st == 200, "the administrator signs in (%s)" % st)
        admin = {"Authorization": "Bearer " + body["token"]}

        st, _ = server.request("POST", "/api/v1/webhooks/subscriptions",
                               {"url": receiver.url, "events": ["case.created"]})
        check(st == 403, "R27 an integration key may not manage webhooks (%s)" % st)
        st, _ = server.request("POST", "/api/v1/webhooks/subscriptions",
                               {"url": "http://apps.example/hook", "events": ["case.created"]}, headers=admin)
        check(st == 400, "R27 a plain-http URL beyond this host is refused (%s)" % st)
        st, sub = server.request("POST", "/api/v1/webhooks/subscriptions",
                                 {"url": receiver.url, "events": ["case.created", "case.status_changed"]},
                                 headers=admin)
        check(st == 201 and sub["secret"].startswith("whsec_"), "R27 subscribed, the secret shown once (%s)" % st)
        secret = sub["secret"]
        st, listed = server.request("GET", "/api/v1/webhooks/subscriptions", headers=admin)
        check(st == 200 and listed["items"][0]["secret"] != secret, "R27 the list masks the secret (%s)" % st)

        # Fails, times out, recovers: delivered once it answers 2xx.
        receiver.script = ["fail", "hang"]
        st, case = server.request("POST", "/api/v1/cases", {"phone": "+79161234567", "channel": "app",
                                                            "topic": "taxes", "summary": "webhook test"})
        check(st == 201, "a case is created (%s)" % st)
        check(wait_for(lambda: len(receiver.attempts("case.created")) >= 3, 30),
              "R27 case.created retried after a 500 and a timeout (%d attempts)" % len(receiver.attempts()))
        attempts = receiver.attempts("case.created")
        ids = {h["webhook-id"] for h, _ in attempts}
        check(len(ids) == 1, "R27 every attempt carries the same webhook-id (%s)" % ids)
        check(all(signature_ok(secret, h, b) for h, b in attempts),
              "R27 every attempt's signature checks with hmac (Standard Webhooks)")
        payload = json.loads(attempts[-1][1])
        check(payload["data"]["number"] == case["number"] and "phone" not in payload["data"],
              "R27 the payload names the case and carries no phone number (%s)" % payload["data"])

        def delivered():
            st, rows = server.request("GET", "/api/v1/webhooks/deliveries?state=delivered", headers=admin)
            return st == 200 and any(r["message_id"] in ids for r in rows["items"])
        check(wait_for(delivered, 10), "R27 the delivery is marked delivered after the receiver recovered")

        # A status change: delivered at once.
        before = len(receiver.attempts())
        st, _ = server.request("POST", "/api/v1/cases/%s/transitions" % case["number"],
                               {"to": "in_progress", "reason": "taken"})
        check(st == 200, "the case moves to in_progress (%s)" % st)
        check(wait_for(lambda: receiver.attempts("case.status_changed"), 10),
              "R27 case.status_changed delivered")
        changed = json.loads(receiver.attempts("case.status_changed")[-1][1])
        check(changed["data"]["status"] == "in_progress" and changed["data"]["previous_status"] == "new",
              "R27 the status change says from what to what (%s)" % changed["data"])
        check(len(receiver.attempts()) == before + 1, "R27 delivered once when the receiver answers 2xx")

        # kill -9 while the receiver holds the delivery: delivered after the restart.
        receiver.hang_seconds = 0.8  # inside the timeout: the server waits for it
        receiver.script = ["hang"]
        st, case2 = server.request("POST", "/api/v1/cases", {"phone": "+79161234568", "channel": "app",
                                                             "topic": "taxes", "summary": "mid-delivery"})
        check(wait_for(lambda: any(json.loads(b)["data"]["number"] == case2["number"]
                                   for _, b in receiver.attempts("case.created")), 10),
              "R27 the second case's delivery reached the receiver")
        server.kill9()
        time.sleep(1.0)  # the hung answer goes to a dead process
        first_try = [h["webhook-id"] for h, b in receiver.attempts("case.created")
                     if json.loads(b)["data"]["number"] == case2["number"]]
        server.start()
        check(wait_for(lambda: len([1 for _, b in receiver.attempts("case.created")
                                    if json.loads(b)["data"]["number"] == case2["number"]]) >= 2, 20),
              "R27 after kill -9 mid-delivery and a restart, the event is delivered again (at least once)")
        again = [h["webhook-id"] for h, b in receiver.attempts("case.created")
                 if json.loads(b)["data"]["number"] == case2["number"]]
        check(len(set(again)) == 1 and again[0] == first_try[0],
              "R27 the redelivery keeps its webhook-id, so the receiver can drop the duplicate")

        # Unsubscribe: nothing more is sent.
        before = len(receiver.attempts())
        st, _ = server.request("DELETE", "/api/v1/webhooks/subscriptions/%d" % sub["id"], headers=admin)
        check(st == 204, "R27 unsubscribed (%s)" % st)
        server.request("POST", "/api/v1/cases", {"phone": "+79161234569", "channel": "app", "topic": "taxes",
                                                 "summary": "after"})
        time.sleep(1.0)
        check(len(receiver.attempts()) == before, "R27 no delivery after unsubscribing")
        st, dead = server.request("GET", "/api/v1/webhooks/deliveries?state=dead", headers=admin)
        check(st == 200 and dead["items"] == [], "R27 the dead-letter list is there (and empty) (%s)" % st)
        st, _ = server.request("POST", "/api/v1/webhooks/deliveries/999/replay", headers=admin)
        check(st == 404, "R27 replaying a delivery that is not dead: 404 (%s)" % st)
    finally:
        server.stop()
        receiver.httpd.shutdown()
        if failures:
            print(server.log())
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
