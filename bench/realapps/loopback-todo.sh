#!/bin/sh
# Installs LoopBack 4's example Todo application from npm into APPDIR (outside the repository) and
# starts it on 127.0.0.1:PORT with its data in WORKDIR (see loopback-todo.cjs beside this file:
# in-memory datasource backed by WORKDIR/db.json, a loopback stand-in for the geocoder it calls).
# No authentication: the app has none.
# usage: bench/realapps/loopback-todo.sh APPDIR WORKDIR PORT
# then:  curl http://127.0.0.1:PORT/openapi.json > todo-openapi.json
#        npx sentinel run --spec todo-openapi.json --target http://127.0.0.1:PORT --seed 600
set -eu
APPDIR=$1 WORKDIR=$2 PORT=$3
mkdir -p "$APPDIR"
if [ ! -d "$APPDIR/node_modules/@loopback/example-todo" ]; then
  (cd "$APPDIR" && npm init -y >/dev/null && npm install --no-audit --no-fund @loopback/example-todo@6.0.0)
fi
exec node "$(dirname "$0")/loopback-todo.cjs" "$APPDIR" "$WORKDIR" "$PORT"
