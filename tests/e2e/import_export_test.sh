#!/usr/bin/env bash
# R17: import historical cases (all or nothing, every bad row reported with its
# line), export them, re-import the export into a fresh registry, and serve
# the imported cases over HTTP.
set -u
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; repo="$(cd "$(dirname "$0")/../.." && pwd)"
cfg="$repo/config/gosline.yaml"; data="$repo/tests/data/import"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1  # the demo's key and credential files land here, not in the build tree
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

"$bin" import "$data/bad.csv" --config "$cfg" --db "$tmp/a.db" >"$tmp/out" 2>&1; rc=$?
[ $rc -ne 0 ] && ok "bad file refused (rc=$rc)" || bad "bad file accepted"
n=$(grep -Ec "bad.csv:[0-9]+: " "$tmp/out")
[ "$n" -ge 5 ] && ok "every rejected row reported with its line ($n lines)" || bad "report: $(cat "$tmp/out")"
"$bin" export --config "$cfg" --db "$tmp/a.db" --format csv >"$tmp/empty.csv" 2>"$tmp/err"
[ "$(wc -l <"$tmp/empty.csv")" -le 1 ] && ok "nothing written by the refused import" || bad "refused import wrote cases"

"$bin" import "$data/good.csv" --config "$cfg" --db "$tmp/a.db" >"$tmp/out" 2>&1 \
  && ok "good file imported: $(tail -1 "$tmp/out")" || bad "good import failed: $(cat "$tmp/out")"
"$bin" export --config "$cfg" --db "$tmp/a.db" --out "$tmp/export.csv" >/dev/null 2>&1 || bad "export csv"
"$bin" export --config "$cfg" --db "$tmp/a.db" --out "$tmp/export.jsonl" >/dev/null 2>&1 || bad "export jsonl"
rows=$(python3 -c 'import csv,sys;print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$tmp/export.csv")
[ "$rows" = "20" ] && ok "export has the 20 imported cases" || bad "export rows: $rows"
lines=$(wc -l <"$tmp/export.jsonl")
[ "$lines" = "20" ] && ok "JSON Lines export has 20 cases" || bad "jsonl lines: $lines"

"$bin" import "$tmp/export.jsonl" --config "$cfg" --db "$tmp/b.db" >"$tmp/out" 2>&1 \
  && ok "JSON Lines export re-imports into a fresh registry" || bad "re-import: $(cat "$tmp/out")"
"$bin" export --config "$cfg" --db "$tmp/b.db" --out "$tmp/export2.csv" >/dev/null 2>&1
cmp -s "$tmp/export.csv" "$tmp/export2.csv" && ok "round trip gives the identical CSV" || bad "round trip differs: $(diff "$tmp/export.csv" "$tmp/export2.csv" | head -5)"

"$bin" import "$data/good.csv" --config "$cfg" --db "$tmp/a.db" >"$tmp/out" 2>&1
[ $? -ne 0 ] && grep -q "already" "$tmp/out" && ok "importing the same file twice is refused (numbers exist)" || bad "second import: $(head -3 "$tmp/out")"

"$bin" audit verify --config "$cfg" --db "$tmp/a.db" >"$tmp/out" 2>&1 \
  && grep -c "" "$tmp/out" >/dev/null && ok "imports and exports audited: $(cat "$tmp/out" | cut -c1-80)" \
  || bad "audit verify: $(cat "$tmp/out")"

# The imported cases are served by the API, to a caller with a key.
key=$("$bin" apikey create --scopes "cases:read" --config "$cfg" --db "$tmp/a.db" 2>/dev/null)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$bin" serve --config "$cfg" --db "$tmp/a.db" --port "$port" --no-telephony >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
num=$(python3 -c 'import csv,sys;print(next(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))["number"])' "$tmp/export.csv")
curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/v1/cases/$num" | grep -q "\"number\":\"$num\"" \
  && ok "imported case $num served over HTTP" || bad "imported case $num not served"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/cases/$num")
[ "$code" = "401" ] && ok "no credentials: 401" || bad "without credentials: $code"
kill $pid; wait $pid 2>/dev/null
exit $fail
