#!/bin/sh
# Starts SReview's web app (Debian's sreview-web 0.9.0, unpacked with dpkg -x into ROOT) on a
# fresh PostgreSQL 15 cluster in WORKDIR (Unix socket only), listening on 127.0.0.1:PORT.
# Needs: postgresql-15, and the Perl modules sreview-common depends on (see bench/DETECTION.md).
# The API key is read from SREVIEW_KEY in the environment (never written here).
# usage: SREVIEW_KEY=... bench/realapps/sreview.sh ROOT WORKDIR PORT
set -eu
ROOT=$1 WORKDIR=$2 PORT=$3
: "${SREVIEW_KEY:?set SREVIEW_KEY}"
. "$(dirname "$0")/pg-cluster.sh"
start_pg_cluster "$WORKDIR" sreview
# the app finds its templates and static files in ./templates and ./public, as installed
cd "$ROOT/usr/share/sreview"
SREVIEW_DBISTRING="\"dbi:Pg:dbname=sreview;host=$WORKDIR/sock;user=sreview\"" \
SREVIEW_SECRET="\"$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')\"" \
SREVIEW_API_KEY="\"$SREVIEW_KEY\"" \
PERL5LIB="$ROOT/usr/share/perl5" \
  exec perl "$ROOT/usr/bin/sreview-web" daemon -l "http://127.0.0.1:$PORT"
