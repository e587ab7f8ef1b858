#!/usr/bin/env bash
# SIP load benchmark (issue 3 item 6): sipp places calls to 115 that hear 5 s
# of prompt and hang up, against gosline_sipd_test_server on 127.0.0.1.
#   bench/sip_load.sh [BUILD_DIR] [RATE_PER_S] [SECONDS]
# Prints sipp's totals (successful/failed calls) and the server's media busy
# share; figures go to bench/RESULTS.md.
set -euo pipefail
BUILD=${1:-build/release}
RATE=${2:-300}
SECONDS_TO_RUN=${3:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER="$BUILD/src/telephony/gosline_sipd_test_server"
WORK=$(mktemp -d /tmp/gosline-sip-load.XXXXXX)
SIP_PORT=${SIP_PORT:-25060}
CALLS=$((RATE * SECONDS_TO_RUN))
ulimit -n 65536 || true

"$SERVER" --sip-port "$SIP_PORT" --transports udp --rtp-min 30000 --rtp-max 59999 \
  --max-calls 20000 --records "$WORK/records.jsonl" --prompt-cache "$ROOT/var/prompts" \
  >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q READY "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done

echo "rate=$RATE/s calls=$CALLS (5 s each, ~$((RATE * 5)) concurrent)"
set +e
sipp -sf "$ROOT/bench/sip_load_uac.xml" -s 115 "127.0.0.1:$SIP_PORT" -r "$RATE" -m "$CALLS" \
  -l $((RATE * 8)) -p 25070 -mp 40000 -nostdin -timeout $((SECONDS_TO_RUN + 60))s \
  -trace_stat -stf "$WORK/stat.csv" -fd 5 >"$WORK/sipp.out" 2>&1
RC=$?
set -e
grep -E "Successful call|Failed call|Response Time|Call Length" "$WORK/sipp.out" | tail -4 || true
echo "sipp exit $RC; records written: $(wc -l <"$WORK/records.jsonl")"
echo "end reasons: $(grep -o '"end_reason":"[a-z_]*"' "$WORK/records.jsonl" | sort | uniq -c | tr '\n' ' ')"
echo "work dir: $WORK"
