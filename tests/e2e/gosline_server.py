"""Start and stop a real `gosline serve` for end-to-end tests (loopback only)."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gosline process on 127.0.0.1 with its own SQLite file in a temp dir."""

    def __init__(self, binary, workdir=None, config=None, extra_args=()):
        self.binary = os.path.abspath(binary)
        self.workdir = workdir or tempfile.mkdtemp(prefix="gosline-e2e-")
        self.config = config or os.path.join(REPO, "config", "gosline.yaml")
        self.db = os.path.join(self.workdir, "gosline.db")
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.proc = None
        self.log_path = os.path.join(self.workdir, "server.log")
        self.api_key = None  # created like an operator would, before the first start

    def cli(self, *args, stdin=None, check=True):
        """Runs `gosline ARGS --config C --db D` in the server's directory."""
        proc = subprocess.run([self.binary] + list(args) + ["--config", self.config, "--db", self.db],
                              cwd=self.workdir, input=stdin, capture_output=True, text=True,
                              timeout=120)
        if check and proc.returncode != 0:
            raise RuntimeError("gosline %s failed (%s):\n%s%s" % (
                " ".join(args), proc.returncode, proc.stdout, proc.stderr))
        return proc

    def create_api_key(self, scopes="cases:read cases:write"):
        return self.cli("apikey", "create", "--scopes", scopes, "--name", "e2e").stdout.strip()

    def auth_headers(self):
        return {"Authorization": "Bearer " + self.api_key} if self.api_key else {}

    def start(self, timeout=30):
        if self.api_key is None:
            self.api_key = self.create_api_key()
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--config", self.config, "--listen", "127.0.0.1",
             "--port", str(self.port), "--db", self.db, "--no-telephony"] + self.extra_args,
            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s:\n%s" % (self.proc.returncode, self.log()))
            try:
                status, _ = self.request("GET", "/readyz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server not ready in %ss:\n%s" % (timeout, self.log()))

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def request(self, method, path, body=None, headers=None, timeout=10, auth=True):
        """One request; with auth, the API key goes along unless headers bring their own."""
        status, payload, _ = self.exchange(method, path, body, headers, timeout, auth)
        return status, payload

    def exchange(self, method, path, body=None, headers=None, timeout=10, auth=True):
        """Like request, also returning the response headers."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            hdrs = {"Content-Type": "application/json"}
            if auth:
                hdrs.update(self.auth_headers())
            hdrs.update(headers or {})
            data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw
            return resp.status, payload, resp.getheaders()
        finally:
            conn.close()

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
