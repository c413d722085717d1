#!/usr/bin/env bash
# Runs once, on the primary's first start (mounted into /docker-entrypoint-initdb.d/ of the
# official postgres image, executed by its entrypoint as the postgres user while a temporary,
# socket-only server is up). Creates the streaming-replication role and lets it connect.
# If the file loses its executable bit the entrypoint *sources* it instead, so it sticks to the
# entrypoint's own shell options (no `set -u`) and never calls `exit` on success.
set -Eeo pipefail

: "${REPLICATION_USER:?REPLICATION_USER is not set (streaming-replication role name)}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set (streaming-replication role password)}"
: "${PGDATA:?PGDATA is not set}"

psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v repl_user="$REPLICATION_USER" -v repl_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SQL

# Replication connections match only the `replication` keyword in pg_hba.conf, never `all`.
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
echo "primary-init: replication role '${REPLICATION_USER}' created and allowed in pg_hba.conf"
