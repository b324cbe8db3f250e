#!/bin/sh
# Installs LoopBack 4's example file-transfer application from npm into APPDIR (outside the
# repository) and starts it on 127.0.0.1:PORT, storing uploads in WORKDIR/sandbox (the app's
# `fileStorageDirectory` option; by default it writes inside its own package). Uploads keep the
# file name the client gives (multer's diskStorage with `originalname`), so the server runs as the
# unprivileged user `nobody`: a name with `../` can then write only where that user may.
# No authentication: the app has none.
# usage: bench/realapps/loopback-file-transfer.sh APPDIR WORKDIR PORT
# then:  curl http://127.0.0.1:PORT/openapi.json > files-openapi.json
#        npx sentinel run --spec files-openapi.json --target http://127.0.0.1:PORT --seed 170
set -eu
APPDIR=$1 PORT=$3
mkdir -p "$APPDIR" "$2/sandbox"
WORKDIR=$(realpath "$2")
if [ ! -d "$APPDIR/node_modules/@loopback/example-file-transfer" ]; then
  (cd "$APPDIR" && npm init -y >/dev/null && npm install --no-audit --no-fund @loopback/example-file-transfer@1.7.0)
fi
APP=$(realpath "$APPDIR/node_modules/@loopback/example-file-transfer")
chown -R nobody "$WORKDIR"
cd "$WORKDIR"
exec setpriv --reuid=nobody --regid=nogroup --clear-groups node -e '
const {main} = require(process.argv[1]);
main({fileStorageDirectory: process.argv[2], rest: {port: +process.argv[3], host: "127.0.0.1", gracePeriodForClose: 0, openApiSpec: {setServersFromRequest: true}}})
  .catch(err => { console.error("Cannot start the application.", err); process.exit(1); });
' "$APP" "$WORKDIR/sandbox" "$PORT"
