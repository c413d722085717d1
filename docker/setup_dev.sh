#!/usr/bin/env bash
# Developer setup: PostgreSQL (primary + streaming replica) and Redis, migrated and seeded, and the
# API started once to check it reaches all of them; one summary at the end.
#
#   docker/setup_dev.sh              start the services with docker compose (published on loopback:
#                                    primary 55432, replica 55433, Redis 56379; DEV_*_PORT to change)
#   docker/setup_dev.sh --no-docker  use services that already run: DB_HOST, DB_PORT, DB_NAME, DB_USER,
#                                    DB_PASSWORD, DB_REPLICA_HOSTS, REDIS_HOST, REDIS_PORT (defaults:
#                                    127.0.0.1:5432 prepnexus/prepnexus, no replica, 127.0.0.1:6379);
#                                    a missing role or database is created as the PostgreSQL superuser
#
# Then run the API on the host with the variables it prints (npm run start:dev).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

mode=docker
for arg in "$@"; do
  case "$arg" in
    --no-docker) mode=services ;;
    -h | --help) usage && exit 0 ;;
    *) echo "setup_dev: unknown option $arg" >&2 && usage >&2 && exit 2 ;;
  esac
done

if [[ $mode == docker ]]; then
  if ! command -v docker >/dev/null || ! docker compose version >/dev/null 2>&1; then
    echo "setup_dev: docker compose is not available; start PostgreSQL and Redis yourself and run: $0 --no-docker" >&2
    exit 1
  fi
  # The compose header's recipe: local-only values from .env.example (never used for anything reachable).
  [[ -f docker/.env ]] || { cp .env.example docker/.env && echo "setup: wrote docker/.env from .env.example"; }
  compose=(docker compose -f docker/docker-compose.yml -f docker/docker-compose.dev.yml)
  echo "setup: starting primary, replica and redis (waits until healthy) ..."
  "${compose[@]}" up -d --wait primary replica redis
  # The credentials compose gave the primary (docker/.env, KEY=value lines).
  set -a
  # shellcheck disable=SC1091
  . docker/.env
  set +a
  export DB_HOST=127.0.0.1 DB_PORT="${DEV_PRIMARY_PORT:-55432}" DB_NAME="${DB_NAME:-prepnexus}" DB_USER="${DB_USER:-prepnexus}"
  export DB_REPLICA_HOSTS="127.0.0.1:${DEV_REPLICA_PORT:-55433}" REDIS_HOST=127.0.0.1 REDIS_PORT="${DEV_REDIS_PORT:-56379}"
fi

echo "setup: building (npm run build) ..."
npm run build --silent >/dev/null
exec node scripts/setup-dev.mjs
