#!/bin/sh
# Starts Directus (npm directus, installed in APPDIR with `npm install directus@11.3.5`; its
# isolated-vm addon builds against the local Node headers: `npm_config_nodedir=/usr`) on a fresh
# PostgreSQL 15 cluster in WORKDIR (Unix socket only), listening on 127.0.0.1:PORT, files stored
# in WORKDIR/uploads. The first admin's e-mail, password and static API token come from the
# environment (never written here): DIRECTUS_ADMIN_EMAIL, DIRECTUS_ADMIN_PASSWORD,
# DIRECTUS_ADMIN_TOKEN. Telemetry off, and the CLI is started past its npm update check
# (node_modules/directus/cli.js), so nothing leaves the machine.
# usage: DIRECTUS_ADMIN_EMAIL=... DIRECTUS_ADMIN_PASSWORD=... DIRECTUS_ADMIN_TOKEN=... bench/realapps/directus.sh APPDIR WORKDIR PORT
set -eu
APPDIR=$1 WORKDIR=$2 PORT=$3
: "${DIRECTUS_ADMIN_EMAIL:?}" "${DIRECTUS_ADMIN_PASSWORD:?}" "${DIRECTUS_ADMIN_TOKEN:?}"
. "$(dirname "$0")/pg-cluster.sh"
start_pg_cluster "$WORKDIR" directus
mkdir -p "$WORKDIR/uploads" "$WORKDIR/extensions"
cd "$APPDIR"
export DB_CLIENT=pg DB_HOST="$WORKDIR/sock" DB_PORT=5432 DB_DATABASE=directus DB_USER=directus
export SECRET="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ADMIN_EMAIL="$DIRECTUS_ADMIN_EMAIL" ADMIN_PASSWORD="$DIRECTUS_ADMIN_PASSWORD" ADMIN_TOKEN="$DIRECTUS_ADMIN_TOKEN"
export HOST=127.0.0.1 PORT="$PORT" PUBLIC_URL="http://127.0.0.1:$PORT"
export STORAGE_LOCATIONS=local STORAGE_LOCAL_ROOT="$WORKDIR/uploads" EXTENSIONS_PATH="$WORKDIR/extensions"
export TELEMETRY=false LOG_LEVEL=warn
cli=node_modules/@directus/api/dist/cli/run.js
node "$cli" bootstrap >"$WORKDIR/bootstrap.log"
exec node "$cli" start
