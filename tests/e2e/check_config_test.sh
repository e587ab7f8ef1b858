#!/usr/bin/env bash
# check-config reports every error with file:line and serve refuses a bad config.
set -u
bin="$1"; repo="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

"$bin" check-config "$repo/config/gosline.yaml" >"$tmp/out" 2>&1 && ok "demo config is valid" || { bad "demo config invalid"; cat "$tmp/out"; }

# Break the demo in two places: an unknown key and a bad port.
sed -e '0,/^http:/s//http:\n  colour: blue/' -e 's/^\(\s*port:\).*/\1 99999/' "$repo/config/gosline.yaml" >"$tmp/bad.yaml"
"$bin" check-config "$tmp/bad.yaml" >"$tmp/out" 2>&1; rc=$?
[ $rc -ne 0 ] && ok "bad config exits non-zero" || bad "bad config accepted"
grep -Eq "bad.yaml:[0-9]+:[0-9]+: .*colour" "$tmp/out" && ok "unknown key reported with line" || bad "unknown key not reported: $(cat "$tmp/out")"
grep -Eq "bad.yaml:[0-9]+:[0-9]+: .*port" "$tmp/out" && ok "bad port reported with line" || bad "bad port not reported: $(cat "$tmp/out")"

"$bin" serve --config "$tmp/bad.yaml" --db "$tmp/x.db" >"$tmp/serve" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q "colour" "$tmp/serve" && ok "serve refuses the bad config with the same messages" || bad "serve did not refuse: rc=$rc $(cat "$tmp/serve")"
[ ! -e "$tmp/x.db" ] && ok "no database created for a refused config" || bad "database created"

printf 'service: [\n' >"$tmp/syntax.yaml"
"$bin" check-config "$tmp/syntax.yaml" >"$tmp/out" 2>&1
grep -Eq "syntax.yaml:[0-9]+" "$tmp/out" && ok "YAML syntax error has a line" || bad "syntax error: $(cat "$tmp/out")"
"$bin" check-config "$tmp/none.yaml" >"$tmp/out" 2>&1 && bad "missing file accepted" || ok "missing file is an error"
exit $fail
