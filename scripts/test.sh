#!/usr/bin/env bash
# Set up everything on a fresh machine and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use: the OpenTaal Dutch dictionary (offline spelling).
need=()
[ -f /usr/share/hunspell/nl.dic ] || need+=(hunspell-nl)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: not installing ${need[*]} (needs root and apt-get); the tests that need them are skipped" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/python -m pytest "$@"
