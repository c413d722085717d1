#!/usr/bin/env bash
# Creates the role and databases the tests and the conformance run use (idempotent).
# PostgreSQL on 127.0.0.1 uses trust auth on these machines; the superuser is `postgres`.
set -euo pipefail
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGSUPERUSER:-postgres}" -d postgres -v ON_ERROR_STOP=1 -qtA)

if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'prepnexus'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE ROLE prepnexus LOGIN CREATEDB PASSWORD 'prepnexus'"
fi
for db in prepnexus prepnexus_test prepnexus_conformance prepnexus_bench; do
  if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    "${PSQL[@]}" -c "CREATE DATABASE $db OWNER prepnexus"
  fi
done
echo "role prepnexus and databases ready"
