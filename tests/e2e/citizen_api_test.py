#!/usr/bin/env python3
"""The citizens' API (R14, R16, R24, R26) against the real `gosline serve`.

The test is the state identity provider: it generates an RSA and a P-256 key
(openssl), serves them as a JWKS on 127.0.0.1 and signs citizens' access
tokens. It checks that bad tokens get 401 JSON errors (bad signature, wrong
audience or issuer, expired, alg none, HS256 signed with the public key,
unknown kid, garbage), that one citizen never sees another's case, that a
POST retried with the same Idempotency-Key gets the first answer (and 422
with another body, also after a restart), and that the routes are in the
OpenAPI document.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gosline_server import REPO, Server  # noqa: E402

ISSUER = "https://esia.test.gov"
AUDIENCE = "gosline-app"


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64u(n, length=None):
    length = length or (n.bit_length() + 7) // 8
    return b64u(n.to_bytes(length, "big"))


class Provider:
    """Keys made by openssl, published as a JWKS, signing tokens."""

    def __init__(self, workdir):
        self.keys = {}
        rsa_pem = os.path.join(workdir, "rsa.pem")
        ec_pem = os.path.join(workdir, "ec.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", rsa_pem], check=True, capture_output=True)
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-out", ec_pem], check=True, capture_output=True)
        for kid, path in (("rsa-1", rsa_pem), ("ec-1", ec_pem)):
            with open(path, "rb") as f:
                self.keys[kid] = serialization.load_pem_private_key(f.read(), None)
        self.published = ["rsa-1", "ec-1"]

    def jwk(self, kid):
        key = self.keys[kid].public_key()
        nums = key.public_numbers()
        if kid.startswith("rsa"):
            return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
                    "n": int_b64u(nums.n), "e": int_b64u(nums.e)}
        return {"kty": "EC", "kid": kid, "crv": "P-256", "x": int_b64u(nums.x, 32), "y": int_b64u(nums.y, 32)}

    def jwks(self):
        return {"keys": [self.jwk(k) for k in self.published]}

    def token(self, sub="portal-anna", phone="+79161112233", kid="rsa-1", alg=None, header=None, **claims):
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 600,
                "phone_number": phone, "phone_number_verified": True}
        body.update(claims)
        body = {k: v for k, v in body.items() if v is not None}
        alg = alg or ("RS256" if kid.startswith("rsa") else "ES256")
        head = header or {"alg": alg, "kid": kid, "typ": "JWT"}
        signing_input = (b64u(json.dumps(head).encode()) + "." + b64u(json.dumps(body).encode())).encode()
        key = self.keys[kid]
        if alg == "RS256":
            sig = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256":
            r, s = utils.decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        elif alg == "HS256":  # keyed with the public key's bytes: the confusion attack
            secret = json.dumps(self.jwk(kid)).encode()
            sig = hmac.new(secret, signing_input, hashlib.sha256).digest()
        else:
            sig = b""
        return signing_input.decode() + "." + b64u(sig)


def serve_jwks(provider):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            data = json.dumps(provider.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def citizen_config(workdir, jwks_port, extra=""):
    config = os.path.join(workdir, "gosline.yaml")
    shutil.copyfile(os.path.join(REPO, "config", "gosline.yaml"), config)
    with open(config, "a", encoding="utf-8") as f:
        f.write("\ncitizen_api:\n  issuer: %s\n  audience: %s\n"
                "  jwks_url: \"http://127.0.0.1:%d/jwks\"\n"
                "  requests_per_minute_per_subject: 600\n  requests_per_minute_per_address: 6000\n%s"
                % (ISSUER, AUDIENCE, jwks_port, extra))
    return config


def main():
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    workdir = tempfile.mkdtemp(prefix="gosline-e2e-citizen-")
    provider = Provider(workdir)
    jwks = serve_jwks(provider)
    server = Server(sys.argv[1], workdir=workdir, config=citizen_config(workdir, jwks.server_address[1]))
    try:
        server.start()

        def call(method, path, token=None, body=None, headers=None):
            hdrs = dict(headers or {})
            if token is not None:
                hdrs["Authorization"] = "Bearer " + token
            return server.exchange(method, "/api/v1/citizen" + path, body, hdrs, auth=False)

        # Tokens that must not pass, each a 401 with a JSON error.
        now = int(time.time())
        other_dir = os.path.join(workdir, "impostor")
        os.mkdir(other_dir)
        other = Provider(other_dir)  # same kids, keys never published
        bad = {
            "no token": None,
            "garbage": "not-a-token",
            "bad signature": other.token(kid="rsa-1"),
            "wrong audience": provider.token(aud="someone-else"),
            "wrong issuer": provider.token(iss="https://evil.example"),
            "expired": provider.token(exp=now - 3600),
            "not yet valid": provider.token(nbf=now + 3600),
            "alg none": provider.token(alg="none", header={"alg": "none", "kid": "rsa-1"}),
            "HS256 with the public key": provider.token(alg="HS256", header={"alg": "HS256", "kid": "rsa-1"}),
            "unknown kid": provider.token(header={"alg": "RS256", "kid": "rsa-9"}),
        }
        for what, token in bad.items():
            st, body, hdrs = call("GET", "/cases", token)
            check(st == 401 and isinstance(body, dict) and body.get("error", {}).get("code") == "unauthenticated",
                  "R26 %s: 401 JSON error (%s %s)" % (what, st, body))
        st, body, _ = call("GET", "/cases", provider.token(kid="ec-1"))
        check(st == 200 and body == {"items": []}, "R26 an ES256 token passes (%s %s)" % (st, body))

        # A rotated key: the provider publishes a new kid; its first token fetches it.
        provider.keys["rsa-2"] = other.keys["rsa-1"]
        provider.published.append("rsa-2")
        # At most one fetch per 5 s, however many unknown kids arrive: a few tries.
        deadline = time.time() + 15
        while True:
            st, _, _ = call("GET", "/cases", provider.token(kid="rsa-2"))
            if st == 200 or time.time() > deadline:
                break
            time.sleep(1)
        check(st == 200, "R26 a key published after the start is fetched on a token that names it (%s)" % st)

        anna = provider.token(sub="portal-anna", phone="+79161112233")
        boris = provider.token(sub="portal-boris", phone="+79164445566")

        st, status, _ = call("GET", "/status", anna)
        check(st == 200 and status["topics"] and "estimated_wait_seconds" in status["topics"][0],
              "R26 line status with the estimated wait per topic (%s)" % st)

        # A callback, retried with the same key: one case, the same answer.
        req = {"topic": "pensions_benefits", "window_from": "2030-01-10T09:00:00Z",
               "window_to": "2030-01-10T12:00:00Z"}
        key = {"Idempotency-Key": "cb-0001"}
        st1, first, h1 = call("POST", "/callbacks", anna, req, key)
        check(st1 == 201 and first["channel"] == "callback" and "phone" not in first,
              "R26 a callback request opens a callback case (%s %s)" % (st1, first))
        st2, again, h2 = call("POST", "/callbacks", anna, req, key)
        check(st2 == 201 and again == first and ("Idempotent-Replayed", "true") in h2,
              "R26 the same Idempotency-Key gets the first answer (%s)" % st2)
        st3, body, _ = call("POST", "/callbacks", anna, dict(req, topic="taxes"), key)
        check(st3 == 422 and body["error"]["code"] == "idempotency_key_reused",
              "R26 the same key with another body: 422 (%s)" % st3)
        st, boris_cb, _ = call("POST", "/callbacks", boris, req, key)
        check(st == 201 and boris_cb["number"] != first["number"],
              "R26 keys are per citizen: Boris's same key is his own request (%s)" % st)
        st, mine, _ = call("GET", "/cases", anna)
        check(st == 200 and [c["number"] for c in mine["items"]] == [first["number"]],
              "R14 Anna lists exactly her case (%s %s)" % (st, mine))

        # Another citizen's case is never shown, not even its existence.
        number = first["number"]
        st, body, _ = call("GET", "/cases/" + number, boris)
        check(st == 404, "R26 Boris cannot read Anna's case (%s)" % st)
        st, body, _ = call("GET", "/cases/000000000", boris)
        check(st == 404, "R26 an unknown number reads the same (%s)" % st)
        st, body, _ = call("POST", "/call-contexts", boris, {"case_number": number}, {"Idempotency-Key": "cc-b"})
        check(st == 404, "R26 Boris cannot get a call code for Anna's case (%s)" % st)
        st, case, _ = call("GET", "/cases/" + number, anna)
        check(st == 200 and case["history"] and case["history"][0]["action"] == "created" and "phone" not in case,
              "R16 Anna reads her case with its history (%s)" % st)

        # Consent and data requests for the verified phone (R24).
        st, consent, _ = call("POST", "/consents", anna, {"channel": "sms", "granted": True}, {"Idempotency-Key": "c-1"})
        check(st == 201 and consent["granted"] is True, "R24 consent recorded (%s %s)" % (st, consent))
        unverified = provider.token(sub="portal-x", phone=None, phone_number_verified=None)
        st, _, _ = call("POST", "/consents", unverified, {"channel": "sms", "granted": True})
        check(st == 403, "R24 no consent without a verified phone (%s)" % st)
        st, dr, _ = call("POST", "/data-requests", anna, {"kind": "export"}, {"Idempotency-Key": "dr-1"})
        check(st == 201 and dr["topic"] == "data_request" and dr["reply_due_at"],
              "R24 a data request is a case due in 5 business days (%s %s)" % (st, dr))

        st, ctx, _ = call("POST", "/call-contexts", anna, {"case_number": number}, {"Idempotency-Key": "cc-a"})
        check(st == 201 and len(ctx["code"]) == 6 and ctx["topic"] == "pensions_benefits",
              "R26 a call-context code for her case (%s %s)" % (st, ctx))

        # The staff API still refuses a citizen's token: it is not a staff credential.
        st, _ = server.request("GET", "/api/v1/cases/" + number, headers={"Authorization": "Bearer " + anna},
                               auth=False)
        check(st == 401, "a citizen's token opens no staff route (%s)" % st)

        st, doc = server.request("GET", "/api/v1/openapi.json", auth=False)
        paths = doc.get("paths", {}) if isinstance(doc, dict) else {}
        check(all(p in paths for p in ("/api/v1/citizen/callbacks", "/api/v1/citizen/cases/{number}",
                                       "/api/v1/webhooks/subscriptions")),
              "R26 the citizens' and webhook routes are in the OpenAPI document")

        # Idempotency keys are durable: after a restart the retry still gets the first answer.
        server.kill9()
        server.start()
        st, after, h = call("POST", "/callbacks", anna, req, key)
        check(st == 201 and after == first, "R26 after kill -9 and restart, the retry gets the first answer (%s)" % st)
    finally:
        server.stop()
        jwks.shutdown()
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
