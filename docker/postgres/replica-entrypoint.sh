#!/usr/bin/env bash
# Entrypoint of the read replica (official postgres image, started as root).
# First start (empty data directory): clone the primary with pg_basebackup and mark the clone as a
# hot standby that streams from the primary. Every start: hand over to the image's own entrypoint,
# which drops to the postgres user and runs the server.
set -euo pipefail

: "${PRIMARY_HOST:?PRIMARY_HOST is not set (host name of the primary)}"
: "${REPLICATION_USER:?REPLICATION_USER is not set (streaming-replication role name)}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set (streaming-replication role password)}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_NAME="${REPLICA_NAME:-replica1}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
RUN_AS="${RUN_AS:-gosu postgres}" # overridable only to test this script outside the image

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "replica: waiting for primary ${PRIMARY_HOST}:${PRIMARY_PORT}..."
  for attempt in $(seq 1 60); do
    pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" && break
    if [ "$attempt" -eq 60 ]; then
      echo "replica: primary ${PRIMARY_HOST}:${PRIMARY_PORT} not ready after 120 s" >&2
      exit 1
    fi
    sleep 2
  done

  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  chown postgres:postgres "$PGDATA" 2>/dev/null || true

  echo "replica: cloning ${PRIMARY_HOST}:${PRIMARY_PORT} into ${PGDATA} (pg_basebackup)..."
  # -R writes standby.signal and primary_conninfo (with these credentials and application_name,
  # which is how the primary's pg_stat_replication names this replica). -X stream copies the WAL
  # needed to reach consistency alongside the data files.
  # shellcheck disable=SC2086 # RUN_AS is a command prefix on purpose
  $RUN_AS env PGPASSWORD="$REPLICATION_PASSWORD" PGAPPNAME="$REPLICA_NAME" \
    pg_basebackup --pgdata="$PGDATA" --host="$PRIMARY_HOST" --port="$PRIMARY_PORT" \
    --username="$REPLICATION_USER" --wal-method=stream --write-recovery-conf \
    --checkpoint=fast --no-password --progress
  echo "replica: clone complete, starting as hot standby"
fi

exec "$@"
