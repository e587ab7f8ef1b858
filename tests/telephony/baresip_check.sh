#!/usr/bin/env bash
# Manual check: the softphone baresip (Debian package
# baresip-core, in scripts/apt-packages.txt; no ctest needs it) calls
# sip:115@127.0.0.1 on the server that `make run` started, and walks the
# Russian menu: greeting, main menu, 7 (status of an application), the case
# number, the status read out, 0 (an operator), the queue message; then hangs
# up. Keys go to baresip's console module over UDP; baresip sends them as
# RFC 4733 telephone-events. What baresip heard is dumped to a WAV file and
# measured; the call record is read from the registry.
#   tests/telephony/baresip_check.sh [REPO_DIR]     (the directory `make run` runs in)
set -euo pipefail
REPO=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
WORK=$(mktemp -d /tmp/gosline-baresip.XXXXXX)
mkdir -p "$WORK/dump"

# A case to ask about, opened over the API with the demo's key.
KEY=$(cat "$REPO/var/demo-credentials")
NUMBER=$(curl -sf -XPOST localhost:8080/api/v1/cases -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' \
  -d '{"phone":"8 916 123-45-67","channel":"call","topic":"application_status","summary":"Где моё заявление?"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
echo "case $NUMBER opened (status new)"

# The caller sends a quiet 300 Hz tone, so its audio path runs (baresip sends
# telephone-events from it) and the server's media timeout never fires.
python3 - "$WORK/caller.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b''.join(struct.pack('<h', int(200 * math.sin(2 * math.pi * 300 * i / 8000))) for i in range(8000 * 60)))
PY
cat >"$WORK/config" <<CFG
poll_method	epoll
sip_listen	127.0.0.1:5070
sip_transports	udp
audio_player	aubridge,line
audio_source	aufile,$WORK/caller.wav
audio_alert	aubridge,line
rtp_ports	24000-24100
module_path	/usr/lib/baresip/modules
module	g711.so
module	aubridge.so
module	aufile.so
module	sndfile.so
module	cons.so
module_app	account.so
module_app	menu.so
snd_path	$WORK/dump
cons_listen	127.0.0.1:5555
CFG
echo '<sip:79161234567@127.0.0.1>;regint=0;audio_codecs=PCMA,PCMU' >"$WORK/accounts"

baresip -f "$WORK" -t 45 -e "/dial sip:115@127.0.0.1" >"$WORK/baresip.log" 2>&1 &
BARESIP=$!
python3 - "$NUMBER" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
def key(k, pause):
    s.sendto(k.encode(), ('127.0.0.1', 5555)); time.sleep(pause)
time.sleep(4)                  # the greeting and "For English, press 9"
key('1', 1.5)                  # any other key: Russian, on to the main menu
key('7', 1.5)                  # 7: the status of an application
for d in sys.argv[1]:
    key(d, 0.6)                # the ten digits of the case number
time.sleep(14)                 # "Статус обращения номер ... зарегистрировано ..."
key('0', 7)                    # 0: an operator; the queue messages play
key('b', 1)                    # hang up
PY
wait "$BARESIP" || true
tr '\r' '\n' <"$WORK/baresip.log" | grep -aE "Call established|send DTMF|terminated|incoming rtp" || true
python3 - "$WORK"/dump/*-dec.wav <<'PY'
import struct, sys, wave
w = wave.open(sys.argv[1]); rate = w.getframerate(); n = w.getnframes()
pcm = struct.unpack('<%dh' % (n * w.getnchannels()), w.readframes(n))
frame = rate // 50
loud = sum(1 for i in range(0, len(pcm) - frame, frame)
           if (sum(v * v for v in pcm[i:i + frame]) / frame) ** 0.5 > 300)
print('heard %.1f s of audio, %.1f s of it speech (20 ms frames above RMS 300): %s'
      % (n / rate, loud / 50, sys.argv[1]))
PY
sqlite3 -line "$REPO/var/gosline.db" "SELECT call_id, from_number, dialled, region, end_reason, sip_status,
  ivr_path, topic, queue, case_number, digits, ivr_end, prompts FROM call_records ORDER BY id DESC LIMIT 1"
echo "work dir: $WORK"
