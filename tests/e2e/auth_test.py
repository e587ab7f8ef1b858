"""R19-R21 end to end: staff sign-in with password + TOTP (computed here, RFC 6238
with the standard library), replayed codes refused, lockout, logout, roles,
and `gosline audit verify` catching a record altered behind its back."""
import base64
import hashlib
import hmac
import os
import sqlite3
import struct
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_server import Server  # noqa: E402

PASSWORD = "correct horse battery staple"


def totp(secret_b32, at=None, step=30, digits=6):
    """RFC 6238 with HMAC-SHA-1, as an authenticator app computes it."""
    counter = int((time.time() if at is None else at) // step)
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def secret_of(enrolment_output):
    for line in enrolment_output.splitlines():
        if line.startswith("or enter this URI: "):
            uri = line.split(": ", 1)[1]
            return urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0]
    raise AssertionError("no otpauth URI in:\n" + enrolment_output)


def recovery_codes(enrolment_output):
    lines = enrolment_output.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("Recovery codes"))
    return [l.strip() for l in lines[start + 1:] if l.startswith("  ")]


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    server = Server(sys.argv[1])
    try:
        add = server.cli("user", "add", "ivanova", "--role", "operator", "--name", "Ivanova A.",
                         "--password-stdin", stdin=PASSWORD + "\n")
        secret = secret_of(add.stdout)
        codes = recovery_codes(add.stdout)
        check(len(codes) == 10, "user add prints the otpauth URI, a QR code and 10 recovery codes")
        key_path = os.path.join(server.workdir, "var", "keys", "data.key")
        check(os.path.exists(key_path) and (os.stat(key_path).st_mode & 0o077) == 0,
              "the demo data key file was created owner-only")
        conn = sqlite3.connect(server.db)
        stored = conn.execute("SELECT totp_secret FROM users WHERE login='ivanova'").fetchone()[0]
        conn.close()
        check(stored.startswith("gse1.") and secret not in stored, "TOTP secret stored encrypted")
        audit_secret = secret_of(server.cli("user", "add", "audit", "--role", "compliance_controller",
                                            "--password-stdin", stdin=PASSWORD + "\n").stdout)
        server.start()

        st, _ = server.request("GET", "/api/v1/cases?limit=1", auth=False)
        check(st == 401, "no credentials: 401 (%s)" % st)
        st, _ = server.request("GET", "/api/v1/cases?limit=1",
                               headers={"Authorization": "Bearer " + "A" * 43})
        check(st == 401, "forged token: 401 (%s)" % st)

        code = totp(secret)
        st, body, headers = server.exchange("POST", "/api/v1/auth/login", {
            "login": "ivanova", "password": PASSWORD, "totp": code}, auth=False)
        check(st == 200 and body.get("token_type") == "Bearer", "login with password + TOTP (%s %s)" % (st, body))
        token = body["token"]
        cookie = dict(headers).get("Set-Cookie", "")
        check("HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie,
              "session cookie is HttpOnly; Secure; SameSite=Strict")
        bearer = {"Authorization": "Bearer " + token}
        st, me = server.request("GET", "/api/v1/auth/me", headers=bearer)
        check(st == 200 and me["role"] == "operator" and me["name"] == "ivanova", "me: %s" % me)
        st, case = server.request("POST", "/api/v1/cases", {
            "phone": "+79161234567", "topic": "taxes", "summary": "auth e2e"}, headers=bearer)
        check(st == 201, "operator creates a case (%s)" % st)
        number = case["number"] if st == 201 else "0000000000"
        check(st == 201 and case["history"][0]["actor"] == "user:ivanova",
              "the case history names the signed-in user")
        token_cookie = cookie.split(";", 1)[0]
        st, _ = server.request("GET", "/api/v1/cases/" + number, auth=False,
                               headers={"Cookie": token_cookie})
        check(st == 200, "the cookie alone authenticates (%s)" % st)

        st, _ = server.request("POST", "/api/v1/auth/login", {
            "login": "ivanova", "password": PASSWORD, "totp": code}, auth=False)
        check(st == 401, "replayed TOTP code refused (%s)" % st)

        st, _ = server.request("POST", "/api/v1/auth/login", {
            "login": "ivanova", "password": PASSWORD, "recovery_code": codes[0]}, auth=False)
        check(st == 200, "recovery code works once (%s)" % st)
        st, _ = server.request("POST", "/api/v1/auth/login", {
            "login": "ivanova", "password": PASSWORD, "recovery_code": codes[0]}, auth=False)
        check(st == 401, "the same recovery code again is refused (%s)" % st)

        st, _ = server.request("POST", "/api/v1/auth/logout", headers=bearer)
        check(st == 204, "logout (%s)" % st)
        st, _ = server.request("GET", "/api/v1/auth/me", headers=bearer)
        check(st == 401, "the token is dead after logout (%s)" % st)

        # Compliance controllers read cases but do not change them.
        st, body = server.request("POST", "/api/v1/auth/login", {
            "login": "audit", "password": PASSWORD, "totp": totp(audit_secret)}, auth=False)
        check(st == 200, "compliance controller logs in (%s)" % st)
        cc = {"Authorization": "Bearer " + body["token"]} if st == 200 else {}
        st, _ = server.request("GET", "/api/v1/cases/" + number, headers=cc)
        check(st == 200, "compliance controller reads a case (%s)" % st)
        st, _ = server.request("POST", "/api/v1/cases/%s/notes" % number, {"text": "x"}, headers=cc)
        check(st == 403, "compliance controller may not change it (%s)" % st)

        # Lockout: five wrong passwords lock the account, even for the right one.
        for _ in range(5):
            server.request("POST", "/api/v1/auth/login", {
                "login": "ivanova", "password": "wrong password!", "totp": "000000"}, auth=False)
        st, err = server.request("POST", "/api/v1/auth/login", {
            "login": "ivanova", "password": PASSWORD, "totp": totp(secret)}, auth=False)
        check(st == 429, "account locked after 5 failures (%s %s)" % (st, err))

        # A read-only key may not write.
        ro = server.create_api_key("cases:read")
        st, _ = server.request("POST", "/api/v1/cases", {"phone": "+79161234567", "topic": "taxes"},
                               headers={"Authorization": "Bearer " + ro})
        check(st == 403, "cases:read key may not create (%s)" % st)
    finally:
        server.stop()

    verify = server.cli("audit", "verify", check=False)
    check(verify.returncode == 0, "audit verify ok: " + (verify.stdout + verify.stderr).strip())
    audit_db = server.db + ".audit"
    conn = sqlite3.connect(audit_db)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log")]
    check("login" in actions and "login.failed" in actions and "login.locked" in actions
          and "logout" in actions and "case.read" in actions and "case.change" in actions
          and "access.denied" in actions and "user.add" in actions,
          "logins, failures, lockout, logout, reads, changes and refusals are audited")
    seq = conn.execute("SELECT seq FROM audit_log WHERE action='case.read' LIMIT 1").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor='user:someone-else' WHERE seq=?", (seq,))
    conn.commit()
    conn.close()
    verify = server.cli("audit", "verify", check=False)
    out = verify.stdout + verify.stderr
    check(verify.returncode == 1 and ("record %d:" % seq) in out,
          "a tampered record is found and named (rc %s): %s" % (verify.returncode, out.strip()))

    if failures:
        print(server.log())
    server.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
