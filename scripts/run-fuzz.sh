#!/usr/bin/env bash
# Runs every fuzz target of a GOSLINE_FUZZ build for a bounded time each and
# prints the executions each made. Usage: scripts/run-fuzz.sh [build-dir]
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  space-separated subset (default: every target of the build)
#   FUZZ_JOBS     targets run at once (default 1)
# Each target starts from its seeds in fuzz/corpus/<target> (read only); what
# it learns goes to <build-dir>/fuzz-corpus/<target>. A crashing, leaking or
# timing-out input is written to fuzz/crashes/<target>/ and the script exits 1
# after the other targets have run.
set -uo pipefail
build="${1:-build/fuzz}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-1}"
targets="${FUZZ_TARGETS:-$(cat "$build/fuzz_targets.txt")}"
logs="$build/fuzz-logs"
mkdir -p "$logs"

run_one() {
  local t="$1"
  local work="$build/fuzz-corpus/$t" crashes="$repo/fuzz/crashes/$t"
  mkdir -p "$work" "$crashes"
  # -max_total_time bounds the run; -timeout flags an input slower than 10 s
  # (a hang); -rss_limit_mb a parser that balloons; leaks are reported by ASan.
  "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" -print_final_stats=1 \
      "$work" "$repo/fuzz/corpus/$t" >"$logs/$t.log" 2>&1
  local rc=$?
  local execs
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$logs/$t.log")
  rmdir "$crashes" 2>/dev/null || true
  printf '%-28s %12s executions  %s\n' "$t" "${execs:-?}" \
    "$([ $rc -eq 0 ] && echo ok || echo "FAILED (rc $rc, see $logs/$t.log, input in fuzz/crashes/$t/)")"
  return $rc
}
export -f run_one
export build repo seconds logs

echo "fuzzing $(echo $targets | wc -w) targets, ${seconds}s each, $jobs at once; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one {}' || status=1
total=$(cat "$logs"/*.log 2>/dev/null | awk '/stat::number_of_executed_units/ {s += $NF} END {print s + 0}')
echo "total: $total executions; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
