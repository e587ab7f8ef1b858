#!/bin/sh
# Creates the demo's self-signed TLS pair (R22, in transit) if it is missing:
#   <dir>/server.crt, <dir>/server.key   HTTPS (http.tls)
#   <dir>/sip/agent.pem, <dir>/sip/cafile.pem   SIP over TLS (Sofia-SIP's
#       certificate directory layout: agent.pem = key + certificate,
#       cafile.pem = the CAs it trusts; here the certificate itself)
# Usage: scripts/make-demo-certs.sh [dir]   (default var/tls). Idempotent.
# For production, put a certificate from a real CA at the same paths.
set -eu
dir=${1:-var/tls}
mkdir -p "$dir/sip"
if [ ! -s "$dir/server.crt" ] || [ ! -s "$dir/server.key" ]; then
  umask 077
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
    -subj "/CN=localhost/O=gosline demo" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/server.key.tmp" -out "$dir/server.crt.tmp" 2>/dev/null
  mv "$dir/server.key.tmp" "$dir/server.key"
  mv "$dir/server.crt.tmp" "$dir/server.crt"
  rm -f "$dir/sip/agent.pem" "$dir/sip/cafile.pem"
  echo "make-demo-certs: created a self-signed pair in $dir"
fi
if [ ! -s "$dir/sip/agent.pem" ] || [ ! -s "$dir/sip/cafile.pem" ]; then
  umask 077
  cat "$dir/server.key" "$dir/server.crt" > "$dir/sip/agent.pem"
  cp "$dir/server.crt" "$dir/sip/cafile.pem"
fi
