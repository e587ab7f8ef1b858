#!/usr/bin/env bash
# Clang's thread-safety analysis over gosline's non-test sources: every
# GOSLINE_GUARDED_BY member read or written without its lock, every
# GOSLINE_REQUIRES helper called without it, fails the check.
#
#   scripts/thread-safety-check.sh BUILD_DIR
#
# BUILD_DIR is a configured GCC build (its compile_commands.json gives each
# file's -I/-D flags). Only files that include core/common/thread_annotations.h,
# directly or through project headers, are compiled: the analysis has nothing
# to check elsewhere. First a known-bad snippet must fail and a known-good one
# pass, so the check cannot pass by checking nothing.
set -euo pipefail

build_dir=${1:?usage: $0 BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
clang=${CLANGXX:-clang++}
command -v "$clang" >/dev/null || { echo "thread-safety: $clang not found (apt: clang)" >&2; exit 1; }
[ -f "$build_dir/compile_commands.json" ] || { echo "thread-safety: no $build_dir/compile_commands.json" >&2; exit 1; }

flags=(-fsyntax-only -std=c++20 -Wthread-safety -Werror)

if "$clang" "${flags[@]}" -I"$root/src" "$root/tests/thread_safety/unguarded_read.cc" 2>/dev/null; then
  echo "thread-safety: tests/thread_safety/unguarded_read.cc compiled: the analysis is not running" >&2
  exit 1
fi
"$clang" "${flags[@]}" -I"$root/src" "$root/tests/thread_safety/guarded_read.cc"

# One line per source: the clang command (shell-quoted), from the GCC build's flags.
commands=$(python3 - "$root" "$build_dir/compile_commands.json" "$clang" "${flags[*]}" <<'PY'
import json, os, re, shlex, sys
root, db, clang, flags = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
src = os.path.join(root, "src")
include_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
memo = {}
def annotated(path, seen):
    # Whether path includes thread_annotations.h through project headers.
    if path in memo: return memo[path]
    if path in seen: return False
    seen.add(path)
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return False
    found = False
    for inc in include_re.findall(text):
        if inc == "core/common/thread_annotations.h":
            found = True
            break
        for base in (src, os.path.dirname(path)):
            cand = os.path.join(base, inc)
            if os.path.isfile(cand) and annotated(cand, seen):
                found = True
                break
        if found: break
    memo[path] = found
    return found
done = set()
for entry in json.load(open(db)):
    f = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    if not f.startswith(src + os.sep) or f.endswith("_test.cc") or f in done:
        continue
    done.add(f)
    if not annotated(f, set()):
        continue
    args = entry.get("arguments") or shlex.split(entry["command"])
    keep, i = [], 1
    while i < len(args):
        a = args[i]
        if a in ("-I", "-isystem", "-D", "-include") and i + 1 < len(args):
            keep += [a, args[i + 1]]; i += 2; continue
        if a.startswith(("-I", "-isystem", "-D")):
            keep.append(a)
        i += 1
    print(" ".join(shlex.quote(x) for x in [clang] + flags + keep + [f]))
PY
)
count=$(printf '%s\n' "$commands" | grep -c . || true)
[ "$count" -gt 0 ] || { echo "thread-safety: no annotated sources found" >&2; exit 1; }
printf '%s\n' "$commands" | xargs -d '\n' -n1 -P "${JOBS:-$(nproc)}" sh -c 'eval "$1"' _
echo "thread-safety: $count sources clean"
