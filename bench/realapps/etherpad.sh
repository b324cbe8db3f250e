#!/bin/sh
# Starts Etherpad (npm ep_etherpad-lite, installed in APPDIR with
# `npm install ep_etherpad-lite@1.8.14`) on a dirty-file database in WORKDIR, listening on
# 127.0.0.1:PORT. Etherpad finds its root as the folder that holds its package as `src`, so the
# package is moved to APPDIR/src and linked back into node_modules, as Etherpad's own installer
# lays it out (its dependencies stay in APPDIR/node_modules, found from there).
# The API key comes from the environment (ETHERPAD_API_KEY, never written here) into
# WORKDIR/APIKEY.txt. The update check's request goes to a proxy that is not there (port 9 on
# loopback): nothing leaves the machine.
# usage: ETHERPAD_API_KEY=... bench/realapps/etherpad.sh APPDIR WORKDIR PORT
# then:  npx sentinel run --spec http://127.0.0.1:PORT/api/openapi.json ... (see DETECTION.md)
set -eu
APPDIR=$(realpath "$1") PORT=$3
: "${ETHERPAD_API_KEY:?}"
mkdir -p "$2"
WORKDIR=$(realpath "$2")
if [ ! -d "$APPDIR/src" ]; then
  mv "$APPDIR/node_modules/ep_etherpad-lite" "$APPDIR/src"
  ln -s ../src "$APPDIR/node_modules/ep_etherpad-lite"
fi
umask 077
printf '%s' "$ETHERPAD_API_KEY" > "$WORKDIR/APIKEY.txt"
cat > "$WORKDIR/settings.json" <<JSON
{
  "ip": "127.0.0.1",
  "port": $PORT,
  "dbType": "dirty",
  "dbSettings": { "filename": "$WORKDIR/dirty.db" },
  "loglevel": "WARN",
  "minify": false
}
JSON
cd "$APPDIR"
export NODE_ENV=production
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
exec node src/node/server.js --settings "$WORKDIR/settings.json" --credentials "$WORKDIR/credentials.json" \
  --apikey "$WORKDIR/APIKEY.txt"
