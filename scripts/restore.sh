#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database DATABASE_URL names.
#   scripts/restore.sh FILE
# The database must exist (createdb NAME); an empty one is filled as it is. One that already holds
# tables is replaced only with FORCE=1 (its tables are dropped first). Runs as one transaction:
# on any error nothing is changed.
set -euo pipefail
file="${1:-}"
if [ -z "$file" ] || [ ! -f "$file" ]; then
  echo "restore: give the backup file: make restore FILE=var/backups/portal-....dump" >&2
  exit 2
fi
url="${DATABASE_URL:-}"
case "$url" in
  postgis://*|postgres://*|postgresql://*) ;;
  *) echo "restore: DATABASE_URL must name the PostGIS database to restore into." >&2; exit 2 ;;
esac
libpq_url="postgresql://${url#*://}"
pg_restore --list "$file" >/dev/null || { echo "restore: $file is not a pg_dump custom-format file." >&2; exit 2; }
existing=$(psql "$libpq_url" -XAtc "select count(*) from pg_tables where schemaname = 'public'")
clean=()
if [ "$existing" != "0" ]; then
  if [ "${FORCE:-0}" != "1" ]; then
    echo "restore: the target database already has $existing tables; FORCE=1 replaces them." >&2
    exit 3
  fi
  clean=(--clean --if-exists)
fi
pg_restore --dbname="$libpq_url" --no-owner --no-privileges --exit-on-error --single-transaction \
  "${clean[@]}" "$file"
tables=$(psql "$libpq_url" -XAtc "select count(*) from pg_tables where schemaname = 'public'")
echo "restore: $file restored ($tables tables)"
