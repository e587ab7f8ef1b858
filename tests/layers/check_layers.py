#!/usr/bin/env python3
"""Fails when a folder of src/ includes a layer above its own.

Layers, inner to outer (src/CMakeLists.txt links them in this order):

  core                                   pure rules (every core/* folder)
  storage, config, security              the store interfaces and engines, configuration, crypto
  app                                    services over core and the stores
  http, telephony, io, knowledge         adapters at the edge
  cli                                    the composition root

A file may include its own layer and those below it. Within one rank only the
includes listed in PEER_INCLUDES are allowed (they match the link graph: the
security adapters keep their tables through storage, the HTTP layer serves the
knowledge base), so two peers never include each other.

The storage engines (storage/sqlite, storage/postgres) are named only by the
engine itself, the composition root (cli) and tests; everything else takes the interfaces in
storage/. Test files (a name with "test" in it) follow the layer rule too.

Usage: check_layers.py [REPO_ROOT]   (default: two folders up from this file)
Prints one line per violation, file:line first, and exits 1 when there is any.
"""

import pathlib
import re
import sys

RANKS = {
    "core": 0,
    "storage": 1,
    "config": 1,
    "security": 1,
    "app": 2,
    "http": 3,
    "telephony": 3,
    "io": 3,
    "knowledge": 3,
    "cli": 4,
}

# (including layer, included layer) of the same rank that is allowed.
PEER_INCLUDES = {
    ("security", "storage"),
    ("http", "knowledge"),
}

# Folders of storage engines: only these layers (and tests) may include them.
ENGINE_PREFIXES = ("storage/sqlite/", "storage/postgres/")
ENGINE_USERS = ("cli",)

# file -> includes it may have against the rules above, each with the reason.
# An exception that no longer matches an include is reported too, so that it
# goes as soon as the include does.
EXCEPTIONS = {
    ("src/security/sqlite_audit_store.cc", "storage/sqlite/group_commit.h"):
        "the audit log keeps its own SQLite file (security's adapter)",
    ("src/security/sqlite_audit_store.cc", "storage/sqlite/sqlite_connection.h"):
        "the audit log keeps its own SQLite file (security's adapter)",
    ("src/security/staff_store.cc", "storage/sqlite/migrations.h"):
        "staff accounts live in the registry's SQLite file (security's adapter)",
    ("src/security/staff_store.cc", "storage/sqlite/sqlite_connection.h"):
        "staff accounts live in the registry's SQLite file (security's adapter)",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"/]+)/([^"]*)"')


def is_test_file(path):
    return "test" in path.name


def allowed_layers(layer):
    rank = RANKS[layer]
    return sorted(
        [other for other, r in RANKS.items()
         if r < rank or other == layer or (layer, other) in PEER_INCLUDES],
        key=lambda other: (RANKS[other], other))


def check(root, exceptions=None):
    """Returns (violations, stale_exceptions) for the tree under root/src."""
    if exceptions is None:
        exceptions = EXCEPTIONS
    root = pathlib.Path(root)
    src = root / "src"
    violations = []
    used = set()
    files = sorted(p for p in src.rglob("*") if p.suffix in (".h", ".cc") and p.is_file())
    for path in files:
        rel = path.relative_to(root).as_posix()
        layer = path.relative_to(src).parts[0]
        if layer not in RANKS:
            violations.append(f"{rel}:1: folder src/{layer} is in no layer; "
                              f"add it to RANKS in {pathlib.Path(__file__).name}")
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, start=1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target_layer, rest = m.group(1), m.group(2)
            if target_layer not in RANKS:
                continue  # a library's header, not one of ours
            included = f"{target_layer}/{rest}"
            problem = None
            if target_layer not in allowed_layers(layer):
                problem = (f"{layer} includes {included}; {layer} may include "
                           f"{', '.join(allowed_layers(layer))}")
            elif (included.startswith(ENGINE_PREFIXES) and layer not in ENGINE_USERS
                  and not rel.startswith("src/" + included.rsplit("/", 1)[0] + "/")
                  and not is_test_file(path)):
                problem = (f"{layer} names a storage engine ({included}); "
                           f"take the interface in storage/ instead")
            if problem is None:
                continue
            if (rel, included) in exceptions:
                used.add((rel, included))
                continue
            violations.append(f"{rel}:{number}: {problem}")
    stale = [f"{file}: exception for {inc} matches no include any more; remove it from EXCEPTIONS"
             for (file, inc) in sorted(set(exceptions) - used)]
    return violations, stale


def main(argv):
    root = pathlib.Path(argv[1]) if len(argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    if not (root / "src").is_dir():
        print(f"{root}: no src folder", file=sys.stderr)
        return 2
    violations, stale = check(root)
    for line in violations + stale:
        print(line)
    if violations or stale:
        print(f"{len(violations)} layer violation(s), {len(stale)} stale exception(s)")
        return 1
    print("layers hold")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
