#!/bin/sh
# Starts Jupyter Server (Debian bookworm's python3-jupyter-server 1.23.3, with python3-ipykernel for
# the kernels: `apt-get install -y --no-install-recommends python3-jupyter-server python3-ipykernel`)
# on 127.0.0.1:PORT, serving the files of WORKDIR/root, its config, data and runtime folders in
# WORKDIR (no user configuration read). The token comes from the environment (JUPYTER_TOKEN, never
# written here); clients send it as `Authorization: token …`. No browser; root may run it (as here).
# usage: JUPYTER_TOKEN=... bench/realapps/jupyter-server.sh WORKDIR PORT
# then:  curl -H "Authorization: token $JUPYTER_TOKEN" http://127.0.0.1:PORT/api/spec.yaml > spec.yaml
# Each POST /api/terminals starts a login shell (`bash -l`) under the server, and the server does
# not exit while they live: to stop, send the shells (its child processes) SIGHUP, then the server.
set -eu
PORT=$2
: "${JUPYTER_TOKEN:?}"
mkdir -p "$1/root" "$1/config" "$1/data" "$1/runtime"
WORKDIR=$(realpath "$1")
export HOME="$WORKDIR" JUPYTER_CONFIG_DIR="$WORKDIR/config" JUPYTER_DATA_DIR="$WORKDIR/data" JUPYTER_RUNTIME_DIR="$WORKDIR/runtime"
export JUPYTER_PLATFORM_DIRS=1 JUPYTER_NO_CONFIG=1
exec /usr/bin/python3 -m jupyter_server --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" --ServerApp.port_retries=0 \
  --ServerApp.root_dir="$WORKDIR/root" --ServerApp.open_browser=False --ServerApp.log_level=WARN --ServerApp.allow_root=True
