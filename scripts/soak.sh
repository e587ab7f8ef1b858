#!/bin/bash
# scripts/soak.sh MINUTES: builds gosline (Release, build/release) and runs the
# soak test (scripts/soak.py) against `gosline serve` for MINUTES minutes: IVR
# callers, queued callers answered and hung up by a sipp operator phone, HTTP
# clients; RSS, file descriptors, threads and failed calls sampled every 10 s
# into build/soak/soak.csv. Exit 1 on growth, a failed call or a lost record.
# GOSLINE_BIN=path uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:?usage: scripts/soak.sh MINUTES}"
bin="${GOSLINE_BIN:-}"
if [ -z "$bin" ]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOSLINE_BUILD_BENCH=OFF \
    -DGOSLINE_BUILD_TESTS=OFF >/dev/null
  cmake --build build/release --target gosline
  bin=build/release/gosline
fi
exec python3 scripts/soak.py "$minutes" --gosline "$bin" --workdir build/soak \
  --prompt-cache build/soak-prompts --csv build/soak/soak.csv
