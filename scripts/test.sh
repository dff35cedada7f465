#!/usr/bin/env bash
# Set up everything on a fresh machine and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use: the OpenTaal Dutch dictionary (offline spelling), Chromium
# (web page in a real browser) and LibreOffice Writer (proves that annotated .docx files open).
need=()
[ -f /usr/share/hunspell/nl.dic ] || need+=(hunspell-nl)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-writer)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: not installing ${need[*]} (needs root and apt-get); the tests that need them are skipped" >&2
  fi
fi

# axe-core for the accessibility check in the browser tests (pinned in tests/e2e/package-lock.json).
if command -v npm >/dev/null && [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --silent) || echo "note: npm ci failed; the accessibility test is skipped" >&2
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/python -m pytest "$@"
