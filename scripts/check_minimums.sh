#!/usr/bin/env bash
# Proves the lower bounds in requirements.txt: installs exactly those versions (name>=X → name==X) into
# a fresh virtual environment and runs the non-browser tests there. CI runs it after scripts/test.sh.
# Usage: bash scripts/check_minimums.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${OVOP_MINIMUMS_VENV:-.e2e/minimums}"
pins="$(mktemp)"
trap 'rm -f "$pins"' EXIT
# Runtime packages at their stated minimum; test-only packages (requirements-dev.txt) as usual.
sed -E -n 's/^([A-Za-z0-9_.-]+)>=([^ #]+).*/\1==\2/p' requirements.txt >"$pins"
grep -v '^-r' requirements-dev.txt >>"$pins"
echo "== minimum versions"
grep '==' "$pins"

rm -rf "$venv"
python -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins"

echo "== pytest (non-browser tests) on the minimum versions"
exec "$venv/bin/python" -m pytest -m "not e2e" -p no:cacheprovider -q "$@"
