#!/usr/bin/env bash
# The project's test command: installs what the tests need (safe to re-run), then runs every test.
# Usage: bash scripts/test.sh [pytest arguments], e.g. bash scripts/test.sh -m "not e2e"
# Installing Debian's chromium needs root (as on CI and the project's machines).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Python packages (requirements-dev.txt)"
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Playwright cannot download its own browser here, so the browser tests drive Debian's chromium.
# The emoji font only makes the screenshots honest (page icons are emoji). The store's tests start a
# throw-away PostgreSQL cluster from Debian's postgresql binaries (tests/postgres_server.py).
# The deploy tests run the shipped nginx site with Debian's nginx (tests/nginx_server.py) and check the
# systemd unit with systemd-analyze.
echo "== chromium, postgresql, nginx"
DEBIAN_PACKAGES=(chromium fonts-noto-color-emoji postgresql nginx systemd)
if ! dpkg -s "${DEBIAN_PACKAGES[@]}" >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${DEBIAN_PACKAGES[@]}"
fi
/usr/bin/chromium --version

# folium's maps load these from public CDNs; the browser tests answer those requests from
# .e2e/npm/node_modules (git-ignored). Versions are exactly the ones folium 0.20 and branca 0.8
# put in the generated HTML; keep them in step with tests/e2e/conftest.py.
echo "== npm files for the browser tests (.e2e/npm)"
NPM_PACKAGES=(
    leaflet@1.9.3                # the map itself
    leaflet.markercluster@1.1.0  # folium.plugins.MarkerCluster
    jquery@3.7.1
    bootstrap@5.2.2
    d3@3.5.5                     # branca colour-scale legends
)
missing=0
for package in "${NPM_PACKAGES[@]}"; do
    name="${package%@*}"
    version="${package##*@}"
    manifest=".e2e/npm/node_modules/$name/package.json"
    if ! grep -q "\"version\": \"$version\"" "$manifest" 2>/dev/null; then
        missing=1
    fi
done
if [ "$missing" = 1 ]; then
    mkdir -p .e2e/npm
    npm install --prefix .e2e/npm --no-audit --no-fund --no-save "${NPM_PACKAGES[@]}"
else
    echo "already installed: ${NPM_PACKAGES[*]}"
fi

echo "== pytest"
exec python -m pytest "$@"
