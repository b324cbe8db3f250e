# Sourced by the real-app start scripts: a fresh PostgreSQL 15 cluster in WORKDIR/pg, reached only
# through the Unix socket in WORKDIR/sock (no TCP listener), with a trusted role and a database
# both named NAME. Needs postgresql-15 and root (the cluster runs as the postgres user).
# usage: . bench/realapps/pg-cluster.sh; start_pg_cluster WORKDIR NAME   (then the socket is $WORKDIR/sock, port 5432)
start_pg_cluster() {
  pg_workdir=$1 pg_name=$2
  pg_bin=/usr/lib/postgresql/15/bin
  mkdir -p "$pg_workdir/pg" "$pg_workdir/sock"
  chown postgres "$pg_workdir/pg" "$pg_workdir/sock"
  su postgres -s /bin/sh -c "$pg_bin/initdb -A trust -U $pg_name -D '$pg_workdir/pg/data'" >"$pg_workdir/initdb.log"
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_workdir/pg/data' -l '$pg_workdir/pg/pg.log' -o \"-c listen_addresses='' -c unix_socket_directories='$pg_workdir/sock' -p 5432\" -w start" >/dev/null
  su postgres -s /bin/sh -c "$pg_bin/createdb -h '$pg_workdir/sock' -U $pg_name $pg_name"
}
