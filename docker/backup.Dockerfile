# syntax=docker/dockerfile:1
# Backup image: Node + the app's build (its configuration loader, which the scripts use) + the
# PostgreSQL 15 client, running scripts/backup.mjs and scripts/backup-verify.mjs. Build from the
# repository root:
#   docker build -f docker/backup.Dockerfile -t prepnexus-backup:local .
# A separate image, not a stage of docker/Dockerfile: the API image stays free of pg_dump, and
# building either never builds the other.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true SCARF_ANALYTICS=false NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build \
 && test -f dist/libs/monitoring/src/backup/backup-files.js \
 && npm prune --omit=dev

FROM ${NODE_IMAGE} AS backup
# Debian bookworm's PostgreSQL client is 15, the server's major version (pg_dump must be the
# server's major version or newer: raise it with the server). tini: the scripts spawn pg_dump and
# pg_restore, and PID 1 must reap them and forward SIGTERM.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/backup.mjs /app/scripts/backup-verify.mjs ./scripts/
COPY --from=build /app/scripts/lib/backup ./scripts/lib/backup
USER 1000:1000
ENTRYPOINT ["tini", "--"]
# Backup, then verify the dump just written; run either alone with `node scripts/<name>.mjs`.
CMD ["sh", "-c", "node scripts/backup.mjs && node scripts/backup-verify.mjs"]
