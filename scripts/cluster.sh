#!/usr/bin/env bash
# Several instances of every server behind nginx, on loopback, on one throw-away PostgreSQL: what
# docs/deploy.md describes, small enough for a test or a laptop.
#
#   scripts/cluster.sh start DIR    PostgreSQL, 2 vaults, 2 marketplaces, 3 relays and nginx in front;
#                                   prints vault=URL marketplace=URL relay=URL (also in DIR/cluster.env)
#   scripts/cluster.sh stop DIR     stops everything and deletes DIR
#
# The vaults and marketplaces share the database (nothing that matters lives in their memory);
# nginx balances them and retries a request on the other instance when one cannot be reached.
# The relays keep rooms in memory: nginx hashes on the room id in the URL (`?room=`, which every
# byoky client sends), consistently, so both peers of a room reach the same relay and a relay's
# death moves only its own rooms. Instances' pids are in DIR/pids/<name>.pid (a test kills them).
# Binaries come from $BYOKY_BIN (default .build/debug; run `swift build` first). Needs nginx and
# PostgreSQL (scripts/setup-tools.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: $0 start DIR | stop DIR" >&2; exit 2; }
[ "$#" -eq 2 ] || usage
action=$1
dir=$2
bin=${BYOKY_BIN:-.build/debug}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts one instance in the background; waits (up to 60 s) for its "listening on" line; prints its port.
start_instance() {
    local name=$1
    shift
    "$@" >"$dir/logs/$name.log" 2>&1 &
    echo $! >"$dir/pids/$name.pid"
    for _ in $(seq 1 600); do
        if port=$(grep -o 'listening on [a-z]*://127\.0\.0\.1:[0-9]*' "$dir/logs/$name.log" | head -1 | grep -o '[0-9]*$'); then
            echo "$port"
            return 0
        fi
        kill -0 "$(cat "$dir/pids/$name.pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "cluster.sh: $name did not start:" >&2
    cat "$dir/logs/$name.log" >&2
    return 1
}

case "$action" in
start)
    for tool in nginx "$bin/byoky-vault" "$bin/byoky-marketplace" "$bin/byoky-relay"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "cluster.sh: $tool is missing (scripts/setup-tools.sh; swift build)" >&2; exit 1; }
    done
    mkdir -p "$dir/logs" "$dir/pids" "$dir/nginx-temp"
    chmod 755 "$dir"
    database=$(scripts/postgres.sh start "$dir/postgres" --fast)
    vaults=()
    markets=()
    relays=()
    for n in 1 2; do
        vaults+=("$(start_instance "vault-$n" "$bin/byoky-vault" --port 0 --database-url "$database" --trusted-proxy 127.0.0.1 --gift-key-file "$dir/gift.key")")
        markets+=("$(start_instance "marketplace-$n" "$bin/byoky-marketplace" --port 0 --database-url "$database" \
            --trust-forwarded-for --listings-per-minute 10000 --allow-loopback-apps)")
    done
    for n in 1 2 3; do
        relays+=("$(start_instance "relay-$n" "$bin/byoky-relay" --port 0)")
    done
    vault_port=$(free_port)
    market_port=$(free_port)
    relay_port=$(free_port)
    servers() {
        local port
        for port in "$@"; do printf '        server 127.0.0.1:%s max_fails=1 fail_timeout=3s;\n' "$port"; done
    }
    # A request nginx could not hand to any instance gets the servers' own error shape.
    unavailable() {
        printf '        error_page 502 503 504 = @unavailable;\n'
        printf '        location @unavailable {\n            default_type application/json;\n'
        printf '            return 503 '"'"'{"error":{"code":"SERVICE_UNAVAILABLE","message":"No %s instance answered; try again"}}'"'"';\n        }\n' "$1"
    }
    cat >"$dir/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/nginx.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/nginx-temp/body;
    proxy_temp_path $dir/nginx-temp/proxy;
    fastcgi_temp_path $dir/nginx-temp/fastcgi;
    uwsgi_temp_path $dir/nginx-temp/uwsgi;
    scgi_temp_path $dir/nginx-temp/scgi;
    client_max_body_size 40m;
    proxy_http_version 1.1;
    # The client's address, set (never appended to: a client's own X-Forwarded-For is dropped).
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header Host \$host;
    # Answers stream (SSE) as they come.
    proxy_buffering off;
    proxy_read_timeout 600s;
    # Only a connection that failed before the request was sent moves to the other instance:
    # a POST that reached an instance is never sent twice.
    proxy_next_upstream error timeout;
    upstream vault {
$(servers "${vaults[@]}")
        keepalive 32;
    }
    upstream marketplace {
$(servers "${markets[@]}")
        keepalive 32;
    }
    upstream relay {
        hash \$arg_room consistent;
$(servers "${relays[@]}")
    }
    server {
        listen 127.0.0.1:$vault_port;
        location / {
            proxy_pass http://vault;
            proxy_set_header Connection "";
        }
$(unavailable vault)
    }
    server {
        listen 127.0.0.1:$market_port;
        location / {
            proxy_pass http://marketplace;
            proxy_set_header Connection "";
        }
$(unavailable marketplace)
    }
    server {
        listen 127.0.0.1:$relay_port;
        location / {
            proxy_pass http://relay;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
        }
    }
}
EOF
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" 2>"$dir/logs/nginx-check.log" \
        || { cat "$dir/logs/nginx-check.log" >&2; exit 1; }
    nginx -p "$dir" -c "$dir/nginx.conf"
    {
        echo "vault=http://127.0.0.1:$vault_port"
        echo "marketplace=http://127.0.0.1:$market_port"
        echo "relay=ws://127.0.0.1:$relay_port"
        echo "postgres=$database"
    } | tee "$dir/cluster.env"
    ;;
stop)
    if [ -f "$dir/nginx.pid" ]; then
        kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
    fi
    for pidfile in "$dir"/pids/*.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 0.5
    for pidfile in "$dir"/pids/*.pid; do
        [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    done
    scripts/postgres.sh stop "$dir/postgres"
    rm -rf "$dir"
    ;;
*) usage ;;
esac
