#!/usr/bin/env python3
"""Monitoring (R4, R18): the real server's GET /metrics in the Prometheus text
format, read only with a metrics:read key; checked by promtool, scraped by a
real Prometheus; the shipped alert rules and dashboard name only series the
server exports."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from gosline_server import Server, REPO

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def series_names(text):
    """Every family the page declares (even one with no sample yet, like a
    service level before the first call) and every series it has."""
    names = set()
    for line in text.splitlines():
        typed = re.match(r"# TYPE (\S+) (\S+)", line)
        if typed:
            names.add(typed.group(1))
            if typed.group(2) == "histogram":
                names |= {typed.group(1) + s for s in ("_bucket", "_sum", "_count")}
        elif line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def referenced_names(expr):
    """Metric names in a PromQL expression: identifiers that are not functions,
    keywords or label names."""
    expr = re.sub(r'"[^"]*"', '""', expr)          # label values
    expr = re.sub(r"\{[^}]*\}", "", expr)          # matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)         # ranges
    expr = re.sub(r"\((?:[a-z_]+(?:,\s*)?)+\)", "()", expr)  # by (...) / ignoring (...) lists
    words = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr))
    keywords = {"sum", "by", "rate", "increase", "ignoring", "on", "and", "or", "unless", "max",
                "min", "histogram_quantile", "without", "avg", "count", "le"}
    return {w for w in words if w not in keywords and not w.isdigit()}


def main():
    server = Server(sys.argv[1])
    prom_dir = tempfile.mkdtemp(prefix="gosline-prom-")
    prom = None
    try:
        metrics_key = server.create_api_key("metrics:read")
        reports_key = server.create_api_key("reports:read")
        server.start()
        # Traffic the page must show.
        st, _ = server.request("POST", "/api/v1/cases", {
            "phone": "+79161234567", "channel": "call", "topic": "certificates", "region": "77",
            "summary": "metrics"})
        check(st == 201, "a case is created")
        st, _ = server.request("GET", "/made/up/path/" + "x" * 40)
        check(st == 404, "a made-up path is 404")

        st, body = server.request("GET", "/metrics")
        check(st == 403, "a key without metrics:read is refused (%s)" % st)
        st, body = server.request("GET", "/metrics", auth=False)
        check(st == 401, "no key: 401 (%s)" % st)
        st, body, headers = server.exchange(
            "GET", "/metrics", headers={"Authorization": "Bearer " + metrics_key})
        check(st == 200, "metrics:read key reads /metrics (%s)" % st)
        text = body.decode() if isinstance(body, bytes) else str(body)
        ctype = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        check(ctype.startswith("text/plain; version=0.0.4"), "exposition content type (%s)" % ctype)
        check('gosline_http_requests_total{method="POST",route="/api/v1/cases",status="201"} 1'
              in text, "the case creation is counted under its route pattern")
        check('route="unmatched",status="404"' in text and "made/up" not in text,
              "a made-up path is counted as unmatched, never by its path")
        check(re.search(r'^gosline_queue_waiting_calls\{queue="[^"]+"\} 0$', text, re.M) is not None,
              "queue lengths of the demo line")
        check(re.search(r'^gosline_operators\{state="logged_out"\} \d+$', text, re.M) is not None,
              "operators by state")
        rss = re.search(r"^process_resident_memory_bytes (\d+)", text, re.M)
        check(rss is not None and int(rss.group(1)) > 1 << 20, "resident memory reported")
        check(re.search(r"^gosline_audit_appends_total [1-9]", text, re.M) is not None,
              "audit appends counted")

        lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                              text=True, timeout=60)
        check(lint.returncode == 0, "promtool check metrics accepts the page: %s%s" % (
            lint.stdout, lint.stderr))

        # Planning over the same server: staffing and a forecast from its (empty) history.
        planner = {"Authorization": "Bearer " + reports_key}
        st, staffing = server.request(
            "GET", "/api/v1/planning/staffing?calls=100&interval_minutes=30&handle_seconds=180"
            "&within_seconds=20&patience_seconds=120", headers=planner)
        check(st == 200 and staffing["erlang_c"]["operators"] == 14
              and staffing["erlang_a"]["operators"] <= 14,
              "staffing: Erlang C 14 operators for the textbook load (%s)" % staffing)
        st, forecast = server.request("GET", "/api/v1/planning/forecast?days=2&topic=certificates",
                                      headers=planner)
        check(st == 200 and len(forecast["intervals"]) == 2 * 96
              and forecast["intervals"][0]["operators"] == 0,
              "forecast: 2 days of 15-minute intervals from an empty history (%s)"
              % (forecast if st != 200 else forecast["history_calls"]))
        st, _ = server.request("GET", "/api/v1/planning/forecast", headers={
            "Authorization": "Bearer " + metrics_key})
        check(st == 403, "the metrics key may not read the forecast (%s)" % st)

        # The shipped alerts and dashboard: valid, tested, and only about series we export.
        deploy = os.path.join(REPO, "deploy")
        rules = subprocess.run(["promtool", "check", "rules",
                                os.path.join(deploy, "prometheus", "alerts.yml")],
                               capture_output=True, text=True, timeout=60)
        check(rules.returncode == 0, "promtool check rules alerts.yml: %s" % rules.stdout.strip())
        unit = subprocess.run(["promtool", "test", "rules", "alerts_test.yml"],
                              cwd=os.path.join(deploy, "prometheus"), capture_output=True,
                              text=True, timeout=60)
        check(unit.returncode == 0, "promtool test rules alerts_test.yml: %s%s" % (
            unit.stdout.strip(), unit.stderr.strip()))
        exported = series_names(text) | {"up"}
        # Exported only with telephony on (this server runs without it).
        exported |= {"gosline_calls_in_media", "gosline_media_loop_busy_ratio",
                     "gosline_call_records_failed_total", "gosline_call_records_written_total"}
        exprs = re.findall(r"expr: (.+?)\n(?=\s+(?:for|labels):)",
                           open(os.path.join(deploy, "prometheus", "alerts.yml")).read(), re.S)
        with open(os.path.join(deploy, "grafana", "gosline-line.json")) as f:
            dash = json.load(f)
        exprs += [t["expr"] for p in dash["panels"] for t in p["targets"]]
        check(len(exprs) > 15, "alert and dashboard expressions found (%d)" % len(exprs))
        unknown = set()
        for e in exprs:
            unknown |= referenced_names(e) - exported
        check(not unknown, "alerts and dashboard name only exported series (unknown: %s)"
              % sorted(unknown))
        if "gosline_calls_in_media" not in text:
            check(True, "telephony off: calls in media left out")

        # A real Prometheus scrapes the node with the key as its bearer token.
        key_file = os.path.join(prom_dir, "gosline.key")
        with open(key_file, "w") as f:
            f.write(metrics_key)
        os.chmod(key_file, 0o600)
        web_port = free_port()
        with open(os.path.join(prom_dir, "prometheus.yml"), "w") as f:
            f.write("""global:
  scrape_interval: 1s
scrape_configs:
  - job_name: gosline
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: %s
    static_configs:
      - targets: ["127.0.0.1:%d"]
""" % (key_file, server.port))
        prom = subprocess.Popen(
            ["prometheus", "--config.file=" + os.path.join(prom_dir, "prometheus.yml"),
             "--storage.tsdb.path=" + os.path.join(prom_dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % web_port],
            stdout=open(os.path.join(prom_dir, "prometheus.log"), "wb"), stderr=subprocess.STDOUT)

        def query(q):
            url = "http://127.0.0.1:%d/api/v1/query?query=%s" % (web_port, urllib.parse.quote(q))
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.load(r)["data"]["result"]

        up = None
        requests = []
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                result = query('up{job="gosline"}')
                up = result[0]["value"][1] if result else None
                requests = query('gosline_http_requests_total{route="/api/v1/cases",status="201"}')
                if up == "1" and requests:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        check(up == "1", "Prometheus scrapes the node: up == 1 (got %s)" % up)
        check(requests and requests[0]["value"][1] == "1",
              "Prometheus holds the case-creation counter (%s)" % requests)
        rc = server.stop()
        check(rc == 0, "server stops cleanly (rc=%s)" % rc)
    finally:
        if prom:
            prom.terminate()
            try:
                prom.wait(timeout=15)
            except subprocess.TimeoutExpired:
                prom.kill()
        if failures and os.path.exists(os.path.join(prom_dir, "prometheus.log")):
            print(open(os.path.join(prom_dir, "prometheus.log")).read()[-3000:])
        shutil.rmtree(prom_dir, ignore_errors=True)
        server.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
