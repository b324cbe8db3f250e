#!/bin/sh
# Starts Unleash (npm unleash-server, installed in APPDIR with `npm install unleash-server@6.6.0`)
# on a fresh PostgreSQL 15 cluster in WORKDIR (Unix socket only), listening on 127.0.0.1:PORT.
# Two API tokens from the environment (never written here): UNLEASH_ADMIN_TOKEN ("*:*.<secret>",
# an admin token) and UNLEASH_CLIENT_TOKEN ("default:development.<secret>", a client token).
# Version check off: nothing leaves the machine.
# usage: UNLEASH_ADMIN_TOKEN=... UNLEASH_CLIENT_TOKEN=... bench/realapps/unleash.sh APPDIR WORKDIR PORT
set -eu
APPDIR=$1 WORKDIR=$2 PORT=$3
: "${UNLEASH_ADMIN_TOKEN:?}" "${UNLEASH_CLIENT_TOKEN:?}"
. "$(dirname "$0")/pg-cluster.sh"
start_pg_cluster "$WORKDIR" unleash
cd "$APPDIR"
export DATABASE_HOST="$WORKDIR/sock" DATABASE_PORT=5432 DATABASE_USERNAME=unleash DATABASE_NAME=unleash DATABASE_SSL=false
export INIT_ADMIN_API_TOKENS="$UNLEASH_ADMIN_TOKEN" INIT_CLIENT_API_TOKENS="$UNLEASH_CLIENT_TOKEN"
export HTTP_HOST=127.0.0.1 HTTP_PORT="$PORT" CHECK_VERSION=false SEND_TELEMETRY=false LOG_LEVEL=warn
exec node -e 'require("unleash-server").start({ versionCheck: { enable: false } })'
