#!/usr/bin/env bash
# Runs every benchmark against a Release build and prints the figures that
# bench/RESULTS.md records. Usage: scripts/run-bench.sh [build-dir]
# Bounded: each benchmark has its own count/time limits.
set -euo pipefail
build="${1:-build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the server runs in a temp dir
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${GOSLINE_BENCH_OUT:-$build/bench-results}"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
echo "results in $out"

if [ -x "$build/bench/gosline_case_store_bench" ]; then
  echo "== registry (CaseStore, SQLite, 1,000,000 cases)"
  "$build/bench/gosline_case_store_bench" --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true | tee "$out/case_store.txt"
fi

if [ -x "$build/bench/gosline_routing_bench" ]; then
  echo "== routing core"
  "$build/bench/gosline_routing_bench" --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true | tee "$out/routing.txt"
fi

if [ -x "$build/bench/gosline_planning_bench" ]; then
  echo "== capacity planning (day simulator, Erlang A)"
  "$build/bench/gosline_planning_bench" | tee "$out/planning.txt"
fi

if [ -x "$build/bench/gosline_http_load" ] && [ -x "$build/gosline" ]; then
  echo "== HTTP API (real gosline serve, keep-alive clients)"
  tmp="$(mktemp -d)"
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  key=$(cd "$tmp" && "$build/gosline" apikey create --scopes cases:write \
    --config "$repo/config/gosline.yaml" --db "$tmp/bench.db" 2>/dev/null)
  (cd "$tmp" && exec "$build/gosline" serve --config "$repo/config/gosline.yaml" --port "$port" \
    --db "$tmp/bench.db" --no-telephony >"$tmp/server.log" 2>&1) &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  for sync in full; do
    "$build/bench/gosline_http_load" --connect "127.0.0.1:$port" --connections 32 \
      --requests 30000 --api-key "$key" | tee "$out/http_$sync.txt"
  done
  kill $pid; wait $pid 2>/dev/null || true
fi

if [ -x "$repo/bench/sip_load.sh" ] && [ -x "$build/gosline" ]; then
  echo "== SIP load (sipp)"
  "$repo/bench/sip_load.sh" "$build/gosline" | tee "$out/sip.txt"
fi
