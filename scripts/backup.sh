#!/usr/bin/env bash
# Back up the portal's PostGIS database to one file in pg_dump's custom format (compressed; every
# table, the audit history included). pg_restore reads it back: scripts/restore.sh.
#   scripts/backup.sh [FILE]      default: var/backups/portal-YYYYmmdd-HHMMSS.dump
# The database is DATABASE_URL (postgis://user:password@host:port/name).
set -euo pipefail
url="${DATABASE_URL:-}"
case "$url" in
  postgis://*|postgres://*|postgresql://*) ;;
  "") echo "backup: DATABASE_URL is not set; point it at the PostGIS database to back up." >&2; exit 2 ;;
  *) echo "backup: DATABASE_URL is not PostGIS (${url%%://*}://); only PostGIS is backed up this way." >&2; exit 2 ;;
esac
libpq_url="postgresql://${url#*://}"
file="${1:-var/backups/portal-$(date -u +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$file")"
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT
# --no-owner/--no-privileges: the file restores into a database owned by any role.
pg_dump --dbname="$libpq_url" --format=custom --compress=6 --no-owner --no-privileges --file="$tmp"
# A dump that pg_restore cannot list is no backup: check before keeping it.
if ! listing=$(pg_restore --list "$tmp"); then
  echo "backup: pg_restore cannot read the dump just written ($tmp); nothing kept." >&2
  exit 1
fi
tables=$(grep -c " TABLE DATA " <<<"$listing" || true)
mv "$tmp" "$file"
trap - EXIT
echo "backup: wrote $file ($(du -h "$file" | cut -f1), $tables tables with data)"
