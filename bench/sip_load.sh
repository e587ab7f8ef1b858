#!/usr/bin/env bash
# SIP load benchmark against the real `gosline serve` on the
# demo configuration: sipp places calls to 115 that enter the IVR, hear
# HOLD_MS of prompt and hang up. Their SDP sends the server's RTP to
# gosline_sip_rtp_timing, which measures packet intervals per stream at the
# receiver (kernel timestamps). Prints sipp's totals, the server's end
# reasons from the registry, the RTP timing, the server's CPU and the load
# average; figures go to bench/RESULTS.md.
#   bench/sip_load.sh [BUILD_DIR] [RATE_PER_S] [SECONDS] [HOLD_MS]
set -euo pipefail
BUILD=$(cd "${1:-build/release}" && pwd)
RATE=${2:-300}
SECONDS_TO_RUN=${3:-20}
HOLD_MS=${4:-5000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GOSLINE="$BUILD/gosline"
[ -x "$GOSLINE" ] || GOSLINE="$BUILD/src/cli/gosline"
RX="$BUILD/bench/gosline_sip_rtp_timing"
WORK=$(mktemp -d /tmp/gosline-sip-load.XXXXXX)
CALLS=$((RATE * SECONDS_TO_RUN))
LIMIT=$((RATE * (HOLD_MS / 1000 + 3)))
ulimit -n 65536 2>/dev/null || true
port() { python3 -c 'import socket,sys
for _ in range(100):
    u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); t=socket.socket()
    try:
        u.bind(("127.0.0.1",0)); p=u.getsockname()[1]; t.bind(("127.0.0.1",p)); print(p); sys.exit(0)
    except OSError: pass
    finally: u.close(); t.close()
sys.exit(1)'; }
SIP_PORT=$(port); HTTP_PORT=$(port); SIPP_PORT=$(port); RX_PORT=$(port)

# The server in its own directory: data/ for the numbering register, the
# repository's prompt cache (var/prompts, as `make run` uses it).
mkdir -p "$WORK/var" "$ROOT/var/prompts"
ln -s "$ROOT/data" "$WORK/data"
ln -s "$ROOT/var/prompts" "$WORK/var/prompts"
(cd "$WORK" && exec "$GOSLINE" serve --config "$ROOT/config/gosline.yaml" --port "$HTTP_PORT" \
  --db "$WORK/bench.db" --sip-port "$SIP_PORT" --rtp-ports 30000-39999 --max-calls 5000 \
  >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
RX_PID=
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$RX_PID" ] && kill "$RX_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 1200); do
  grep -q "serving" "$WORK/server.log" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.1
done
grep "telephony: SIP on" "$WORK/server.log" | sed 's/.*telephony: /server: /'

"$RX" --port "$RX_PORT" --seconds $((SECONDS_TO_RUN + HOLD_MS / 1000 + 60)) >"$WORK/rx.out" 2>&1 &
RX_PID=$!
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
CPU0=$(cpu_ticks); T0=$(date +%s.%N)
echo "rate=$RATE/s calls=$CALLS hold=${HOLD_MS}ms (~$((RATE * HOLD_MS / 1000)) concurrent in media)"
( sleep $((SECONDS_TO_RUN / 2 + HOLD_MS / 2000)); echo "load average mid-run: $(cut -d' ' -f1-3 /proc/loadavg)" ) &
set +e
sipp -sf "$ROOT/bench/sip_load_uac.xml" -s 115 "127.0.0.1:$SIP_PORT" -i 127.0.0.1 \
  -r "$RATE" -m "$CALLS" -l "$LIMIT" -d "$HOLD_MS" -p "$SIPP_PORT" -key media_rx "$RX_PORT" \
  -nostdin -timeout $((SECONDS_TO_RUN + HOLD_MS / 1000 + 60))s -max_socket 65000 \
  -trace_stat -stf "$WORK/stat.csv" -fd 5 >"$WORK/sipp.out" 2>&1
RC=$?
set -e
CPU1=$(cpu_ticks); T1=$(date +%s.%N)
wait "$RX_PID" 2>/dev/null; RX_PID=
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Successful call|Failed call|Retransmissions|Call Length" "$WORK/sipp.out" | tail -4 || true
echo "sipp exit $RC"
awk -v c0="$CPU0" -v c1="$CPU1" -v t0="$T0" -v t1="$T1" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "server CPU: %.0f%% of one core over %.0f s\n", 100 * (c1 - c0) / hz / (t1 - t0), t1 - t0 }'
grep -E "^RESULT" "$WORK/rx.out" | sed 's/^RESULT/rtp at the receiver:/'
grep -E "active_streams" "$WORK/rx.out" | sort -t= -k3 -n | tail -1 | sed 's/^/peak second: /'
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
echo "server: $(grep -o 'telephony stopped.*' "$WORK/server.log")"
python3 - "$WORK/bench.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT end_reason, sip_status, COUNT(*) FROM call_records GROUP BY 1, 2 ORDER BY 3 DESC").fetchall()
print("call records:", ", ".join("%s/%s: %d" % r for r in rows))
PY
echo "work dir: $WORK"
