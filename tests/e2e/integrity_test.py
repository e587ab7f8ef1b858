"""Integrity of the installed software (R22): `gosline verify` and `gosline serve`
check the binary, the web bundle and the default data against the manifest the
release key signed.

The test makes an installation of its own in a temporary folder (a copy of the
binary, of the web bundle and of data/), a release key, and signs it with
`gosline release sign`, as the build does. The untouched copy verifies and
serves; with one byte of the web bundle altered, verify names the file and
exits 3, serve refuses to start (exit 3) and starts only with
--allow-unverified, which leaves an audit record."""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_server import REPO, Server  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok:", what)


def run(args, cwd, timeout=120):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def make_installation(built_binary, root):
    """A copy of what `make run` serves: bin/gosline with web/dist beside it, data/."""
    os.makedirs(os.path.join(root, "bin"))
    binary = os.path.join(root, "bin", "gosline")
    shutil.copy2(built_binary, binary)
    web = os.path.join(root, "bin", "web", "dist")
    built_web = os.path.join(os.path.dirname(os.path.abspath(built_binary)), "web", "dist")
    if os.path.isfile(os.path.join(built_web, "index.html")):
        shutil.copytree(built_web, web)
    else:
        # No npm on this machine: a bundle of the same shape stands in for it.
        os.makedirs(os.path.join(web, "assets"))
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>gosline</title><script src=/assets/app.js></script>\n")
        with open(os.path.join(web, "assets", "app.js"), "w") as f:
            f.write("console.log('gosline');\n")
    shutil.copytree(os.path.join(REPO, "data"), os.path.join(root, "data"))
    return binary


def serve_exit_code(binary, root, pub, extra=(), timeout=60):
    """Starts serve and returns its exit code when it stops by itself, None when it runs."""
    proc = subprocess.Popen(
        [binary, "serve", "--config", os.path.join(REPO, "config", "gosline.yaml"), "--listen",
         "127.0.0.1", "--port", "0", "--db", os.path.join(root, "refused.db"), "--no-telephony",
         "--release-key", pub] + list(extra),
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, ""


def main():
    built = os.path.abspath(sys.argv[1])
    root = tempfile.mkdtemp(prefix="gosline-integrity-")
    try:
        binary = make_installation(built, root)
        keys = os.path.join(root, "release-key")
        pub = os.path.join(keys, "release.pub")
        made = run([binary, "release", "keygen", "--dir", keys], root)
        check(made.returncode == 0 and os.path.isfile(pub), "release keygen made a key pair")
        check(oct(os.stat(os.path.join(keys, "release.key")).st_mode & 0o777) == "0o600",
              "the secret key is readable by its owner only")
        signed = run([binary, "release", "sign", "--secret-key", os.path.join(keys, "release.key"),
                      "--data-root", root], root)
        check(signed.returncode == 0, "release sign: " + signed.stdout + signed.stderr)
        manifest = os.path.join(root, "bin", "gosline.manifest")
        with open(manifest) as f:
            listed = f.read()
        check("  bin/gosline\n" in listed and "  web/index.html\n" in listed
              and "  data/knowledge/" in listed, "the manifest lists binary, web bundle and data")

        ok = run([binary, "verify", "--release-key", pub], root)
        check(ok.returncode == 0, "the untouched copy verifies: " + ok.stdout + ok.stderr)

        server = Server(binary, workdir=root, extra_args=["--release-key", pub])
        try:
            server.start()
            check(True, "the untouched copy serves with --release-key")
        finally:
            server.stop()

        # One byte of the web bundle altered.
        index = os.path.join(root, "bin", "web", "dist", "index.html")
        with open(index, "r+b") as f:
            first = f.read(1)
            f.seek(0)
            f.write(bytes([first[0] ^ 0x20]))
        bad = run([binary, "verify", "--release-key", pub], root)
        check(bad.returncode == 3, "verify fails with exit code 3 (got %s)" % bad.returncode)
        check("changed: web/index.html" in bad.stderr, "verify names the file: " + bad.stderr)

        code, out = serve_exit_code(binary, root, pub)
        check(code == 3, "serve refuses to start (exit %s)" % code)
        check("changed: web/index.html" in out and "--allow-unverified" in out,
              "serve says which file and how to start anyway")

        # Another key does not verify the manifest even when the files match.
        other = os.path.join(root, "other-key")
        run([binary, "release", "keygen", "--dir", other], root)
        with open(index, "r+b") as f:
            f.seek(0)
            f.write(first)
        check(run([binary, "verify", "--release-key", pub], root).returncode == 0,
              "the restored byte verifies again")
        foreign = run([binary, "verify", "--release-key", os.path.join(other, "release.pub")], root)
        check(foreign.returncode == 3 and "signature" in foreign.stderr,
              "a manifest signed by another key is refused")

        # Starting unverified is possible, and audited.
        with open(index, "r+b") as f:
            f.write(bytes([first[0] ^ 0x20]))
        allowed = Server(binary, workdir=root, extra_args=["--release-key", pub, "--allow-unverified"])
        try:
            allowed.start()
            check(True, "--allow-unverified starts the altered copy")
        finally:
            allowed.stop()
        audit = sqlite3.connect(allowed.db + ".audit")
        rows = audit.execute(
            "SELECT detail FROM audit_log WHERE action = 'integrity.start_unverified'").fetchall()
        audit.close()
        check(len(rows) == 1 and "web/index.html" in rows[0][0],
              "the unverified start is in the audit log with what did not match")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("integrity e2e: all checks passed")


if __name__ == "__main__":
    main()
