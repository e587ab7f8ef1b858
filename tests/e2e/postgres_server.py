"""A throwaway PostgreSQL 15 for end-to-end tests, like the C++ tests' fixture
(src/storage/postgres/testing/postgres_server.h): initdb in a fresh directory,
a server on a unix socket in that directory only (no TCP port), run as the
`postgres` user when the test runs as root (PostgreSQL refuses root).
Missing binaries raise with the package to install: never a silent skip."""
import errno
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

BINDIR = os.environ.get("GOSLINE_PG_BINDIR", "/usr/lib/postgresql/15/bin")


OWNER_FILE = "owner.pid"


def _owner_is_gone(path):
    try:
        with open(os.path.join(path, OWNER_FILE)) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return False  # not ours, or still being set up
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.ESRCH
    return False


def stop_servers_of_dead_tests():
    """A server whose test died without stopping it (a timeout, an abort) is
    stopped by the next test, so leaked servers do not pile up on CI."""
    tmp = tempfile.gettempdir()
    for path in glob.glob(os.path.join(tmp, "gosline-pg-*")) + glob.glob(os.path.join(tmp, "gosline-e2e-pg-*")):
        if not _owner_is_gone(path):
            continue
        if os.path.exists(os.path.join(path, "data", "postmaster.pid")):
            args = [BINDIR + "/pg_ctl", "-D", path + "/data", "-m", "immediate", "-w", "-t", "30", "stop"]
            if os.geteuid() == 0:
                args = ["runuser", "-u", "postgres", "--"] + args
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(path, ignore_errors=True)


class PostgresServer:
    def __init__(self):
        for tool in ("initdb", "pg_ctl", "postgres"):
            if not os.access(os.path.join(BINDIR, tool), os.X_OK):
                raise RuntimeError("PostgreSQL server binary %s/%s not found: install postgresql-15 "
                                   "(scripts/install-deps.sh, run by make test)" % (BINDIR, tool))
        stop_servers_of_dead_tests()
        self.dir = tempfile.mkdtemp(prefix="gosline-e2e-pg-")
        with open(os.path.join(self.dir, OWNER_FILE), "w") as f:
            f.write("%d\n" % os.getpid())
        self.running = False

    def _run(self, args, log):
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--"] + args
        with open(os.path.join(self.dir, log), "ab") as out:
            return subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, timeout=120).returncode

    def start(self):
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        rc = self._run([BINDIR + "/initdb", "-D", self.dir + "/data", "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], "initdb.log")
        if rc != 0:
            raise RuntimeError("initdb failed: " + self.tail("initdb.log"))
        opts = "-k %s -c listen_addresses='' -c fsync=off" % self.dir
        rc = self._run([BINDIR + "/pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/server.log",
                        "-w", "-t", "60", "-o", opts, "start"], "pg_ctl.log")
        if rc != 0:
            raise RuntimeError("pg_ctl start failed: " + self.tail("pg_ctl.log"))
        self.running = True
        return self

    def conninfo(self, dbname="postgres"):
        return "host=%s port=5432 user=postgres dbname=%s" % (self.dir, dbname)

    def create_database(self, name):
        psql = os.path.join(BINDIR, "psql")
        if not os.access(psql, os.X_OK):
            psql = shutil.which("psql") or psql
        subprocess.run([psql, "-v", "ON_ERROR_STOP=1", "-q", "-d", self.conninfo(), "-c",
                        "CREATE DATABASE %s" % name], check=True, timeout=60,
                       capture_output=True)
        return self.conninfo(name)

    def tail(self, log):
        try:
            with open(os.path.join(self.dir, log), "rb") as f:
                return f.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""

    def stop(self):
        if self.running:
            self.running = False
            self._run([BINDIR + "/pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "-w", "stop"],
                      "pg_ctl.log")
        shutil.rmtree(self.dir, ignore_errors=True)
