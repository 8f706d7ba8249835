#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for tests and benchmarks.
#
#   scripts/postgres.sh start DIR [--fast]   initdb + start in DIR (created), print the server's URL
#   scripts/postgres.sh stop DIR             stop it and delete DIR
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged user
# `byoky-pg` (created if missing). It listens on 127.0.0.1 on a free port, trusts local connections
# (user `byoky`, no password) and keeps its socket in DIR. --fast turns fsync off (tests only:
# a crash of the machine would lose the cluster, which is thrown away anyway).
set -euo pipefail
usage() { echo "usage: $0 start DIR [--fast] | stop DIR" >&2; exit 2; }
[ "$#" -ge 2 ] || usage
action=$1
dir=$2
bin=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -1 || true)
[ -n "$bin" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql, or run scripts/setup-tools.sh)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = "0" ]; then runuser -u byoky-pg -- "$@"; else "$@"; fi
}
case "$action" in
start)
    if [ "$(id -u)" = "0" ] && ! id byoky-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin byoky-pg
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then
        chown byoky-pg "$dir"
        runuser -u byoky-pg -- test -w "$dir" \
            || { echo "postgres.sh: user byoky-pg cannot reach $dir: let others enter its parent folders (chmod o+x)" >&2; exit 1; }
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U byoky --auth=trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=500"
    if [ "${3:-}" = "--fast" ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://byoky@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*) usage ;;
esac
