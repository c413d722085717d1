#!/usr/bin/env bash
# PrepNexus database backup: pg_dump (custom format) -> verify with pg_restore --list -> keep the
# newest BACKUP_KEEP files -> one-glance summary.
#
# Environment (names shared with the API's configuration; `.env` in the working directory fills in
# what the environment does not set, as for the app):
#   DB_HOST      required   PostgreSQL server (the primary)
#   DB_USER      required   role that can read every table
#   BACKUP_DIR   required   directory for the dumps (created if missing)
#   DB_PORT      optional   default 5432
#   DB_NAME      optional   default prepnexus
#   DB_PASSWORD  optional   omit for trust/peer auth or ~/.pgpass
#   BACKUP_KEEP  optional   how many dumps of DB_NAME to keep, default 7
#
# Output: BACKUP_DIR/<DB_NAME>_<UTC timestamp>.dump, mode 0600. Restore with, for example:
#   pg_restore --clean --if-exists --no-owner -h HOST -U USER -d DB_NAME FILE
# Exit codes: 1 bad configuration, 2 cannot connect, 3 dump failed, 4 verification failed.
set -euo pipefail

readonly PROGRAM="${0##*/}"

die() {
  local code="$1"
  shift
  printf '%s: error: %s\n' "$PROGRAM" "$*" >&2
  exit "$code"
}

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
}

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  usage
  exit 0
fi
[[ $# -eq 0 ]] || die 1 "unexpected argument '$1' (configuration is by environment; see --help)"

# ---- configuration: report every problem at once ---------------------------------------------
# The app's rule (libs/config/src/read-environment.ts): `.env` in the working directory supplies
# what the environment does not set (set, even empty, wins); NODE_ENV=test ignores it.
# KEY=value lines; surrounding quotes are removed, `#` starts a comment outside quotes.
load_env_file() {
  [[ -f .env && "${NODE_ENV:-}" != test ]] || return 0
  local line key value
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    value="${BASH_REMATCH[3]}"
    [[ -v "$key" ]] && continue
    if [[ "$value" =~ ^\"(.*)\"[[:space:]]*(#.*)?$ || "$value" =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      value="${BASH_REMATCH[1]}"
    else
      value="${value%%#*}"
      value="${value%"${value##*[![:space:]]}"}"
    fi
    export "$key=$value"
  done <.env
}
load_env_file

problems=()
[[ -n "${DB_HOST:-}" ]] || problems+=("DB_HOST is not set (PostgreSQL host to back up)")
[[ -n "${DB_USER:-}" ]] || problems+=("DB_USER is not set (role used to connect)")
[[ -n "${BACKUP_DIR:-}" ]] || problems+=("BACKUP_DIR is not set (directory for the dump files)")
DB_PORT="${DB_PORT:-5432}"
DB_NAME="${DB_NAME:-prepnexus}"
BACKUP_KEEP="${BACKUP_KEEP:-7}"
[[ "$DB_PORT" =~ ^[0-9]+$ ]] && ((DB_PORT >= 1 && DB_PORT <= 65535)) ||
  problems+=("DB_PORT must be a port number, got '$DB_PORT'")
[[ "$BACKUP_KEEP" =~ ^[0-9]+$ ]] && ((10#$BACKUP_KEEP >= 1)) ||
  problems+=("BACKUP_KEEP must be a whole number >= 1, got '$BACKUP_KEEP'")
[[ "$DB_NAME" =~ ^[A-Za-z_][A-Za-z0-9_$-]*$ ]] ||
  problems+=("DB_NAME '$DB_NAME' is not a plain database name")
for tool in pg_dump pg_restore psql; do
  command -v "$tool" >/dev/null 2>&1 ||
    problems+=("$tool not found on PATH (install the PostgreSQL client, same major version as the server or newer)")
done
if ((${#problems[@]} > 0)); then
  printf '%s: error: invalid configuration (%d problem(s)):\n' "$PROGRAM" "${#problems[@]}" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  printf 'Run %s --help for the variables it reads.\n' "$PROGRAM" >&2
  exit 1
fi
BACKUP_KEEP=$((10#$BACKUP_KEEP))

# libpq reads these; nothing secret ends up on a command line (visible in ps).
export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER" PGDATABASE="$DB_NAME"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}" PGAPPNAME="prepnexus-backup"
if [[ -n "${DB_PASSWORD:-}" ]]; then export PGPASSWORD="$DB_PASSWORD"; fi

# ---- helpers ----------------------------------------------------------------------------------
human_size() { # bytes -> "12.3 MiB"
  local bytes="$1" unit=0 units=(B KiB MiB GiB TiB)
  local scaled=$((bytes * 10))
  while ((scaled >= 10240 && unit < 4)); do
    scaled=$((scaled / 1024))
    unit=$((unit + 1))
  done
  if ((unit == 0)); then printf '%d B' "$bytes"; else printf '%d.%d %s' $((scaled / 10)) $((scaled % 10)) "${units[unit]}"; fi
}

clock() { printf '%02d:%02d' $(($1 / 60)) $(($1 % 60)); }

file_bytes() { if [[ -f "$1" ]]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }

# ---- preflight --------------------------------------------------------------------------------
umask 077
mkdir -p "$BACKUP_DIR" || die 1 "cannot create BACKUP_DIR '$BACKUP_DIR'"
[[ -w "$BACKUP_DIR" ]] || die 1 "BACKUP_DIR '$BACKUP_DIR' is not writable"

info_sql="select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
                    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'),
                 pg_database_size(current_database()),
                 split_part(current_setting('server_version'), ' ', 1)"
if ! info="$(psql --no-psqlrc --quiet --tuples-only --no-align --field-separator=' ' \
  --command="$info_sql" 2>&1)"; then
  die 2 "cannot connect to ${DB_USER}@${DB_HOST}:${DB_PORT}/${DB_NAME}: ${info//$'\n'/ }"
fi
read -r table_total db_bytes server_version <<<"$info"

timestamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="${BACKUP_DIR%/}/${DB_NAME}_${timestamp}.dump"
partial="${final}.partial"
[[ ! -e "$final" ]] || die 1 "$final already exists (two backups in the same second?)"
log="$(mktemp "${TMPDIR:-/tmp}/prepnexus-backup.XXXXXX")"
cleanup() {
  rm -f "$partial" "$log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

printf 'Backing up %s@%s:%s/%s (PostgreSQL %s, %s tables, %s on disk)\n' \
  "$DB_USER" "$DB_HOST" "$DB_PORT" "$DB_NAME" "$server_version" "$table_total" "$(human_size "$db_bytes")"
printf '  -> %s\n' "$final"

# ---- dump, with progress from pg_dump --verbose -----------------------------------------------
SECONDS=0
progress() {
  # Reads pg_dump's verbose stderr: one line per table as its data is written, a size ticker
  # while a big table is in flight, errors and warnings passed straight through.
  local part="" buf="" line eof=0 done_tables=0 table
  while ((eof == 0)); do
    if IFS= read -r -t 10 part; then
      line="$buf$part"
      buf=""
    elif (($? > 128)); then # timeout: no news for 10 s, show that bytes are still flowing
      buf+="$part"
      printf '  %*s %-40s %10s written  %s\n' $((${#table_total} * 2 + 3)) "" "  ..." \
        "$(human_size "$(file_bytes "$partial")")" "$(clock "$SECONDS")"
      continue
    else # end of input; keep a last line that had no newline
      eof=1
      line="$buf$part"
      [[ -n "$line" ]] || break
    fi
    printf '%s\n' "$line" >>"$log"
    if [[ "$line" == *'dumping contents of table "'* ]]; then
      table="${line#*dumping contents of table \"}"
      table="${table%\"*}"
      done_tables=$((done_tables + 1))
      printf '  [%*d/%s] %-40s %10s written  %s\n' "${#table_total}" "$done_tables" "$table_total" \
        "$table" "$(human_size "$(file_bytes "$partial")")" "$(clock "$SECONDS")"
    elif [[ "$line" == *'error:'* || "$line" == *'warning:'* || "$line" == *'FATAL'* ]]; then
      printf '  %s\n' "$line" >&2
    fi
  done
}

set +e
pg_dump --format=custom --verbose --no-password --lock-wait-timeout=30s \
  --file="$partial" 2>&1 | progress
dump_status="${PIPESTATUS[0]}"
set -e
if ((dump_status != 0)); then
  printf '%s: last pg_dump messages:\n' "$PROGRAM" >&2
  tail -n 5 "$log" | sed 's/^/  /' >&2
  die 3 "pg_dump failed (exit $dump_status); no backup written"
fi
dump_seconds=$SECONDS

# ---- verify: the archive's table of contents must be readable and hold every table's data -----
if ! toc="$(pg_restore --list "$partial" 2>&1)"; then
  die 4 "verification failed, pg_restore --list cannot read the dump: ${toc//$'\n'/ }"
fi
toc_entries="$(grep -c '^[0-9]' <<<"$toc" || true)"
tables_in_toc="$(grep -c '^[0-9][0-9]*; [0-9]* [0-9]* TABLE DATA ' <<<"$toc" || true)"
tables_dumped="$(grep -c 'dumping contents of table "' "$log" || true)"
if ((tables_in_toc != tables_dumped)); then
  die 4 "verification failed: pg_dump wrote $tables_dumped tables but the archive lists $tables_in_toc"
fi
mv "$partial" "$final"

# ---- retention: keep the newest BACKUP_KEEP dumps of this database -----------------------------
mapfile -t existing < <(find "$BACKUP_DIR" -maxdepth 1 -type f \
  -name "${DB_NAME}_[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z.dump" \
  -print | sort -r)
removed=0
for old in "${existing[@]:BACKUP_KEEP}"; do
  rm -f -- "$old"
  removed=$((removed + 1))
done
kept=$((${#existing[@]} - removed))

# ---- summary ----------------------------------------------------------------------------------
size_bytes="$(file_bytes "$final")"
printf '\nBackup OK\n'
printf '  file       %s\n' "$final"
printf '  size       %s (database %s on disk)\n' "$(human_size "$size_bytes")" "$(human_size "$db_bytes")"
printf '  duration   %s (dump %s)\n' "$(clock "$SECONDS")" "$(clock "$dump_seconds")"
printf '  tables     %s with data, verified by pg_restore --list (%s archive entries)\n' \
  "$tables_in_toc" "$toc_entries"
printf '  retention  %s kept (BACKUP_KEEP=%s), %s older removed\n' "$kept" "$BACKUP_KEEP" "$removed"
