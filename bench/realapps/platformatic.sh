#!/bin/sh
# Starts Platformatic DB (npm @platformatic/db, installed in APPDIR with
# `npm install @platformatic/db@2.61.0`, the last release for Node 20) on a fresh PostgreSQL 15
# cluster in WORKDIR (Unix socket only), listening on 127.0.0.1:PORT. Platformatic DB is a REST
# API made from a database schema, as PostgREST is (PostgREST itself is not packaged for this
# Debian). The schema is platformatic-schema.sql beside this script (a bookshop: accounts,
# authors, books, reviews, a restock() function behind the route of platformatic-plugin.cjs).
# Authorization: anonymous callers read; a JWT (HS256) with role "writer" writes, and a review
# is changed or deleted only by the account that wrote it. The JWT secret is made here at each
# start and never written outside WORKDIR; two writer tokens, for the seeded accounts alice (id 1)
# and bob (id 2), are written to WORKDIR/alice.jwt and WORKDIR/bob.jwt (mode 600).
# No telemetry, no update check: nothing leaves the machine.
# usage: bench/realapps/platformatic.sh APPDIR WORKDIR PORT
set -eu
APPDIR=$1 WORKDIR=$2 PORT=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-cluster.sh"
start_pg_cluster "$WORKDIR" bookshop
psql -q -v ON_ERROR_STOP=1 -h "$WORKDIR/sock" -U bookshop bookshop -f "$here/platformatic-schema.sql" >"$WORKDIR/schema.log"
sock=$(printf %s "$WORKDIR/sock" | sed 's#/#%2F#g')
umask 077
PLT_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PLT_JWT_SECRET
for who in alice:1 bob:2; do
  node -e '
    const { createHmac } = require("node:crypto")
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url")
    const body = b64({ alg: "HS256", typ: "JWT" }) + "." + b64({ sub: process.argv[1], "X-PLATFORMATIC-USER-ID": process.argv[1], "X-PLATFORMATIC-ROLE": "writer", iat: Math.floor(Date.now() / 1000) })
    process.stdout.write(body + "." + createHmac("sha256", process.env.PLT_JWT_SECRET).update(body).digest("base64url"))
  ' "${who#*:}" >"$WORKDIR/${who%%:*}.jwt"
done
anyone='{ "role": "anonymous", "entities": ["author", "book", "review"], "find": true, "save": false, "delete": false }'
accounts_anon='{ "role": "anonymous", "entity": "account", "find": false, "save": false, "delete": false }'
writer='{ "role": "writer", "entities": ["author", "book"], "find": true, "save": true, "delete": true }'
own_account='{ "role": "writer", "entity": "account", "find": true, "save": { "checks": { "id": "X-PLATFORMATIC-USER-ID" } }, "delete": false }'
own_review='{ "role": "writer", "entity": "review", "find": true, "defaults": { "accountId": "X-PLATFORMATIC-USER-ID" }, "save": { "checks": { "accountId": "X-PLATFORMATIC-USER-ID" } }, "delete": { "checks": { "accountId": "X-PLATFORMATIC-USER-ID" } } }'
cat >"$WORKDIR/platformatic.json" <<JSON
{
  "server": { "hostname": "127.0.0.1", "port": $PORT, "logger": { "level": "warn" } },
  "db": {
    "connectionString": "postgres://bookshop@localhost/bookshop?host=$sock",
    "graphql": false,
    "openapi": { "info": { "title": "Bookshop", "version": "1.0.0" } }
  },
  "authorization": {
    "jwt": { "secret": "{PLT_JWT_SECRET}" },
    "rules": [ $anyone, $accounts_anon, $writer, $own_account, $own_review ]
  },
  "plugins": { "paths": ["$here/platformatic-plugin.cjs"] },
  "watch": false
}
JSON
cd "$APPDIR"
exec node node_modules/@platformatic/db/db.mjs start -c "$WORKDIR/platformatic.json"
