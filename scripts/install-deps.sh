#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/apt-packages.txt that are not
# installed yet. Idempotent and quiet when nothing is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mapfile -t wanted < <(grep -v '^\s*#' "$here/apt-packages.txt" | grep -v '^\s*$')
missing=()
for line in "${wanted[@]}"; do
  read -r p option _ <<<"$line"
  # "if-missing:CMD": another install of CMD (not from Debian) is good enough.
  if [[ "$option" == if-missing:* ]] && command -v "${option#if-missing:}" >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
