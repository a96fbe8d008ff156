#!/usr/bin/env bash
# Installs the Debian packages the portal needs, only those missing, so a second run is instant.
#   scripts/install-system-deps.sh         what `make run` needs (GDAL, SpatiaLite, venv)
#   scripts/install-system-deps.sh --test  plus what the test suite needs (PostGIS, Redis, Chromium)
set -euo pipefail
# gettext: msgfmt compiles the pages' translations (make messages).
packages=(python3 python3-venv binutils libproj-dev gdal-bin libsqlite3-mod-spatialite gettext)
if [ "${1:-}" = "--test" ]; then
  packages+=(postgresql-15-postgis-3 postgresql-client redis-server chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
