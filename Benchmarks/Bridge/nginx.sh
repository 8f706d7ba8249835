# Sourced by the bridge benchmarks: starts the zero-delay nginx upstream (nginx.conf.template,
# with a hop sharing its worker) and the nginx hop in a process of its own
# (nginx-hop.conf.template) under $work, and sets `port` (the upstream), `shared_hop_port` and
# `hop_port`. Needs `work` set and nginx installed; the caller's EXIT trap stops them (jobs).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_nginx() {
    port=$(free_port)
    shared_hop_port=$(free_port)
    hop_port=$(free_port)
    sed -e "s|WORK|$work|g" -e "s|PROXYPORT|$shared_hop_port|g" -e "s|PORT|$port|g" \
        Benchmarks/Bridge/nginx.conf.template > "$work/nginx.conf"
    mkdir -p "$work/hop"
    sed -e "s|WORK|$work|g" -e "s|HOPPORT|$hop_port|g" -e "s|PORT|$port|g" \
        Benchmarks/Bridge/nginx-hop.conf.template > "$work/hop/nginx.conf"
    nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
    nginx -c "$work/hop/nginx.conf" -e "$work/hop/nginx-error.log" &
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/v1/messages" \
            && curl -s -o /dev/null "http://127.0.0.1:$hop_port/v1/messages" && break
        sleep 0.1
    done
}
