"""Runs the real `gosline serve` (SIP + HTTP + SQLite) for the telephony tests.

The server runs in its own work directory on random free loopback ports:
`data` there links to the repository's data/ (the numbering register the
configuration names), var/prompts to a prompt cache kept between runs, so
only the first run pays for speech synthesis. Every wait is bounded.
"""
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import time

HOST = '127.0.0.1'
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port(udp_and_tcp=True):
    for _ in range(200):
        port = random.randrange(20000, 60000)
        socks = []
        try:
            socks.append(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
            if udp_and_tcp:
                socks.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            for s in socks:
                s.bind((HOST, port))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError('no free port')


def free_range(size):
    for _ in range(100):
        base = random.randrange(20000, 60000 - size) & ~1
        ok = True
        for p in range(base, base + size, 2):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                s.bind((HOST, p))
            except OSError:
                ok = False
            s.close()
            if not ok:
                break
        if ok:
            return base, base + size - 1
    raise RuntimeError('no free RTP range')


class GoslineServe:
    def __init__(self, binary, workdir, prompt_cache, config=None, rtp_ports=200):
        self.binary = os.path.abspath(binary)
        self.workdir = os.path.abspath(workdir)
        self.config = config or os.path.join(REPO, 'config', 'gosline.yaml')
        os.makedirs(os.path.join(self.workdir, 'var'), exist_ok=True)
        os.makedirs(prompt_cache, exist_ok=True)
        for link, target in (('data', os.path.join(REPO, 'data')),
                             (os.path.join('var', 'prompts'), os.path.abspath(prompt_cache))):
            path = os.path.join(self.workdir, link)
            if os.path.islink(path) or os.path.exists(path):
                os.remove(path)
            os.symlink(target, path)
        self.db = os.path.join(self.workdir, 'gosline.db')
        for suffix in ('', '-wal', '-shm', '.audit', '.audit-wal', '.audit-shm'):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        self.sip_port = free_port()
        # HTTP takes any free port (--port 0), read back from the log: a port picked
        # here could be taken by someone else while the prompts are synthesised.
        self.http_port = None
        self.rtp_min, self.rtp_max = free_range(rtp_ports)
        self.log_path = os.path.join(self.workdir, 'server.log')
        self.proc = None
        self.api_key = None

    def start(self, timeout=300):
        """Starts and waits for /readyz (telephony starts before HTTP, so SIP is up too)."""
        if self.api_key is None:  # the API needs credentials (R19): a key, as an operator makes one
            self.api_key = subprocess.run(
                [self.binary, 'apikey', 'create', '--scopes', 'cases:read cases:write',
                 '--config', self.config, '--db', self.db], cwd=self.workdir, check=True,
                capture_output=True, text=True, timeout=60).stdout.strip()
        log = open(self.log_path, 'w')
        cmd = [self.binary, 'serve', '--config', self.config, '--port', '0',
               '--db', self.db, '--sip-port', str(self.sip_port),
               '--rtp-ports', '%d-%d' % (self.rtp_min, self.rtp_max)]
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout  # the first run synthesises every prompt
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.http_port is None:
                found = re.search(r'HTTP on http://[0-9.]+:(\d+)', self.log())
                if found is None:
                    time.sleep(0.2)
                    continue
                self.http_port = int(found.group(1))
            try:
                status, _ = self.request('GET', '/readyz')
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30):
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def log(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def request(self, method, path, body=None, timeout=10):
        conn = http.client.HTTPConnection(HOST, self.http_port, timeout=timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {'Content-Type': 'application/json'}
            if self.api_key:
                headers['Authorization'] = 'Bearer ' + self.api_key
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw
            return resp.status, payload
        finally:
            conn.close()

    def records(self, where='1', args=()):
        """Call records committed to the registry, as dicts (oldest first)."""
        if not os.path.exists(self.db):
            return []
        conn = sqlite3.connect('file:%s?mode=ro' % self.db, uri=True, timeout=5)
        try:
            conn.row_factory = sqlite3.Row
            rows = conn.execute('SELECT * FROM call_records WHERE %s ORDER BY id' % where, args)
            return [dict(r) for r in rows]
        except sqlite3.OperationalError:
            return []  # table not there yet
        finally:
            conn.close()

    def record_for(self, call_id, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            rows = self.records('call_id = ?', (call_id,))
            if rows:
                return rows[-1]
            time.sleep(0.1)
        return None

    def log_matches(self, pattern):
        return re.findall(pattern, self.log())
