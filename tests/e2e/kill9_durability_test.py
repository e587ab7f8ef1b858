#!/usr/bin/env python3
"""R14/R17 durability: every write the API acknowledged survives kill -9.

Several keep-alive clients create cases and move them to in_progress while the
server is killed with SIGKILL mid-load. After a restart on the same database,
every acknowledged case must be there with the acknowledged content and status.
Bounded: at most 8 s of load or 20,000 requests.
"""
import http.client
import json
import random
import sqlite3
import sys
import threading
import time

from gosline_server import Server

TOPICS = ["registration", "certificates", "tech_support", "pensions_benefits", "taxes"]


def client(server, idx, acked, stop, lock):
    rnd = random.Random(idx)
    conn = None
    n = 0
    while not stop.is_set() and n < 5000:
        n += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            body = {"phone": "+7916%07d" % rnd.randrange(10**7), "channel": "app",
                    "topic": rnd.choice(TOPICS), "summary": "durability %d-%d" % (idx, n)}
            conn.request("POST", "/api/v1/cases", json.dumps(body),
                         dict({"Content-Type": "application/json"}, **server.auth_headers()))
            resp = conn.getresponse()
            data = json.loads(resp.read())
            if resp.status != 201:
                raise RuntimeError("create failed %s %s" % (resp.status, data))
            number = data["number"]
            with lock:
                acked[number] = {"summary": body["summary"], "phone": body["phone"],
                                 "topic": body["topic"], "status": "new"}
            if n % 2 == 0:
                conn.request("POST", "/api/v1/cases/%s/transitions" % number,
                             json.dumps({"to": "in_progress", "reason": "taken"}),
                             dict({"Content-Type": "application/json"}, **server.auth_headers()))
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    with lock:
                        acked[number]["status"] = "in_progress"
        except (OSError, http.client.HTTPException, ValueError):
            # The server was killed: whatever was not acknowledged may be lost.
            if conn is not None:
                conn.close()
            conn = None
            if stop.is_set():
                break
            time.sleep(0.01)


def main():
    binary = sys.argv[1]
    server = Server(binary).start()
    try:
        acked, lock, stop = {}, threading.Lock(), threading.Event()
        threads = [threading.Thread(target=client, args=(server, i, acked, stop, lock))
                   for i in range(4)]
        for t in threads:
            t.start()
        deadline = time.time() + 8
        while time.time() < deadline:
            with lock:
                if len(acked) >= 1000:
                    break
            time.sleep(0.05)
        server.kill9()  # mid-load: clients still have requests in flight
        stop.set()
        for t in threads:
            t.join(timeout=10)
        print("acknowledged before kill -9: %d cases" % len(acked))
        if len(acked) < 50:
            print("FAIL: too few acknowledged writes to test durability")
            return 1

        con = sqlite3.connect(server.db)
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        if integrity != "ok":
            print("FAIL: integrity_check after kill -9: %s" % integrity)
            return 1

        server.start()
        missing, wrong = [], []
        for number, want in acked.items():
            status, got = server.request("GET", "/api/v1/cases/%s" % number)
            if status != 200:
                missing.append(number)
                continue
            for key in ("summary", "phone", "topic"):
                if got.get(key) != want[key]:
                    wrong.append((number, key, want[key], got.get(key)))
            if want["status"] == "in_progress" and got.get("status") != "in_progress":
                wrong.append((number, "status", want["status"], got.get("status")))
        print("checked %d acknowledged cases: %d missing, %d wrong" %
              (len(acked), len(missing), len(wrong)))
        for m in missing[:10]:
            print("  missing", m)
        for w in wrong[:10]:
            print("  wrong", w)
        return 0 if not missing and not wrong else 1
    finally:
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
