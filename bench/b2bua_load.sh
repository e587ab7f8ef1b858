#!/usr/bin/env bash
# B2BUA load benchmark: CALLS concurrent callers enter the
# queue (key 0), the test contact centre rings the operators' phone (one sipp
# UAS answering every call), the server bridges and records each call for
# 20 s. Both sipp instances run -rtp_echo, so each leg sends back every
# packet the server sends it: per bridged call the server must receive
# 2 x (bridge ms / 20) packets back; RTP loss is counted by the server from
# sequence gaps of what comes back. Prints the totals for bench/RESULTS.md.
#   bench/b2bua_load.sh [BUILD_DIR] [CALLS] [RATE_PER_S]
set -euo pipefail
BUILD=$(cd "${1:-build/telephony/release}" && pwd)
CALLS=${2:-200}
RATE=${3:-40}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER="$BUILD/src/telephony/gosline_sipd_test_server"
WORK=$(mktemp -d /tmp/gosline-b2bua-load.XXXXXX)
CACHE=${PROMPT_CACHE:-$BUILD/b2bua_bench_prompts}
ulimit -n 65536 2>/dev/null || true
port() { python3 -c 'import socket,sys
for _ in range(100):
    u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); t=socket.socket()
    try:
        u.bind(("127.0.0.1",0)); p=u.getsockname()[1]; t.bind(("127.0.0.1",p)); print(p); sys.exit(0)
    except OSError: pass
    finally: u.close(); t.close()
sys.exit(1)'; }
SIP_PORT=$(port); OP_PORT=$(port); CALLER_PORT=$(port)

"$SERVER" --sip-port "$SIP_PORT" --rtp-min 40000 --rtp-max 41999 --max-calls $((CALLS + 50)) \
  --records "$WORK/records.jsonl" --prompt-cache "$CACHE" --centre-events "$WORK/centre.jsonl" \
  --operator "op=sip:op@127.0.0.1:$OP_PORT" --recordings "$WORK/recordings" \
  >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 600); do grep -q READY "$WORK/server.out" 2>/dev/null && break; sleep 0.2; done
grep -q READY "$WORK/server.out" || { echo "server did not start: $WORK/server.log"; kill $SERVER_PID; exit 1; }

sipp -sf "$ROOT/bench/b2bua_operator.xml" -i 127.0.0.1 -p "$OP_PORT" -mp 42000 -rtp_echo \
  -m "$CALLS" -nostdin -timeout 120s -trace_stat -stf "$WORK/operator_stat.csv" \
  >"$WORK/operator.out" 2>&1 &
OP_PID=$!
sleep 0.5
START=$(date +%s)
CPU0=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
sipp -sf "$ROOT/bench/b2bua_caller.xml" -s 115 "127.0.0.1:$SIP_PORT" -i 127.0.0.1 -p "$CALLER_PORT" \
  -mp 43000 -rtp_echo -m "$CALLS" -l "$CALLS" -r "$RATE" -nostdin -timeout 120s \
  -trace_stat -stf "$WORK/caller_stat.csv" >"$WORK/caller.out" 2>&1 || true
END=$(date +%s)
CPU1=$(awk '{print $14+$15}' /proc/$SERVER_PID/stat)
wait $OP_PID || true
kill -TERM $SERVER_PID; wait $SERVER_PID || true

python3 - "$WORK" "$CALLS" "$((END - START))" "$((CPU1 - CPU0))" <<'PY'
import json, os, re, sys, wave
work, calls, secs, cpu_ticks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
events = [json.loads(l) for l in open(os.path.join(work, 'centre.jsonl')) if l.strip()]
count = lambda kind: sum(1 for e in events if e['event'] == kind)
log = open(os.path.join(work, 'server.out')).read()
rx = re.findall(r'recording \S+ \((\d+) ms; (\d+) caller / (\d+) operator packets, (\d+) late frames, '
                r'lost (\d+) caller / (\d+) operator\)', log)
expected = sum(2 * (int(ms) // 20) for ms, *_ in rx)
received = sum(int(c) + int(o) for _, c, o, *_ in rx)
late = sum(int(r[3]) for r in rx)
lost_caller = sum(int(r[4]) for r in rx)
lost_operator = sum(int(r[5]) for r in rx)
busy = [int(b) for b in re.findall(r'media loop busy (\d+)%', log)]
stereo = 0
for e in events:
    if e['event'] == 'recording' and os.path.exists(e['path']):
        with wave.open(e['path']) as w:
            stereo += w.getnchannels() == 2
print('calls %d: queued %d, operator answered %d, ring failed %d, recordings %d (stereo %d)'
      % (calls, count('enqueued'), count('answered'), count('ring_failed'), count('recording'), stereo))
print('RTP lost (sequence gaps at the server): %d from callers (whole calls), %d from operators'
      % (lost_caller, lost_operator))
print('RTP relayed while bridged: %d of %d packets echoed back (%d not back: in flight at the ends '
      'or lost, %.3f%%), %d late frames' % (received, expected, expected - received,
                                           100.0 * (expected - received) / max(expected, 1), late))
print('server CPU %.1f s over %d s wall (%.0f%% of one core); media loop busy max %s%%'
      % (cpu_ticks / os.sysconf('SC_CLK_TCK'), secs, 100.0 * cpu_ticks / os.sysconf('SC_CLK_TCK') / max(secs, 1),
         max(busy) if busy else '?'))
PY
grep -h "Successful call\|Failed call" "$WORK/caller.out" | tail -2 || true
echo "work dir: $WORK"
