#!/usr/bin/env bash
# Added latency and throughput of the byoky bridge over a direct call to the same upstream, as a
# ratio to an nginx reverse-proxy hop measured in the same run (the goals in DESIGN §8: added p50
# at c=1 ≤ 2× the hop's, throughput at c=32 ≥ 0.5× the hop's, translated ≤ 1.3× passthrough).
#
# The upstream is nginx answering with a fixed provider JSON (zero delay; nginx.conf.template),
# or the release mock provider when nginx is missing or BENCH_UPSTREAM=mock (then there is no
# proxy-hop reference). A throw-away wallet
# serves on loopback and wrk (Debian's `wrk` package) drives the upstream directly and through the
# bridge: concurrency 1 for latency percentiles, concurrency 32 for throughput. The paced stream
# always comes from the mock provider. The binaries are the release build the README installs:
# `swift build -c release --static-swift-stdlib` (one self-contained file each).
# Usage: Benchmarks/Bridge/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --static-swift-stdlib --product byoky >/dev/null
swift build -c release --static-swift-stdlib --product byoky-mock-provider >/dev/null
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
printf 'sk-bench-upstream\n' > "$work/upstream"

"$bin/byoky-mock-provider" --port 0 --api-key-file "$work/upstream" > "$work/mock.log" &
for _ in $(seq 50); do grep -q http "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
mock=$(grep -o '127.0.0.1:[0-9]*' "$work/mock.log")
upstream=$mock
if [ "${BENCH_UPSTREAM:-nginx}" = nginx ] && command -v nginx >/dev/null; then
    free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    port=$(free_port)
    proxyport=$(free_port)
    sed -e "s|WORK|$work|g" -e "s|PROXYPORT|$proxyport|g" -e "s|PORT|$port|g" Benchmarks/Bridge/nginx.conf.template \
        > "$work/nginx.conf"
    nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/messages" && break; sleep 0.1; done
    upstream="127.0.0.1:$port"
    proxy="127.0.0.1:$proxyport"
    echo "upstream: nginx $(nginx -v 2>&1 | sed 's|.*/||') with a fixed JSON answer"
else
    echo "upstream: byoky-mock-provider (install nginx for the usual zero-delay upstream)"
fi

"$bin/byoky" init --password-file "$work/password" >/dev/null
printf 'sk-bench-upstream\n' | "$bin/byoky" key add anthropic --base-url "http://$upstream" --password-file "$work/password" >/dev/null
"$bin/byoky" serve --port 0 --password-file "$work/password" > "$work/serve.log" &
for _ in $(seq 50); do grep -q http "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
daemon_rss() { ps -o rss= -p "$(pgrep -f "$bin/byoky serve" | head -1)" | tr -d ' '; }
sleep 1
echo "daemon RSS 1 s after start: $(daemon_rss) KiB"
# Two seconds after start the daemon gives back the pages only startup used (StartupPages).
sleep 4
echo "daemon RSS idle: $(daemon_rss) KiB"

script=Benchmarks/Bridge/post.lua
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; duration ${duration}s per run"
# Each lane: a warm-up, then c=1 (latency percentiles) and c=32 (throughput). Results are kept
# in $work/results as "lane c p50_us p99_us rps" for the summary at the end.
measure() { # lane url key connections
    local out
    out=$(BENCH_KEY=$3 wrk -t1 -c"$4" -d"${duration}s" --latency -s "$script" "$2")
    echo "== $1 (c=$4)"
    echo "$out" | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx"
    echo "$out" | awk -v lane="$1" -v c="$4" '
        function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
        $1 == "50%" { p50 = us($2) } $1 == "99%" { p99 = us($2) } $1 == "Requests/sec:" { rps = $2 }
        END { printf "%s %s %.1f %.1f %.0f\n", lane, c, p50, p99, rps }' >> "$work/results"
}
lane() { # lane url key
    BENCH_KEY=$3 wrk -t1 -c4 -d2s -s "$script" "$2" >/dev/null
    measure "$1" "$2" "$3" 1
    measure "$1" "$2" "$3" 32
}
export -f measure lane
export script duration work
lane direct "http://$upstream/v1/messages" sk-bench-upstream
[ -n "${proxy:-}" ] && lane nginx-hop "http://$proxy/v1/messages" sk-bench-upstream
"$bin/byoky" exec --app bench --bridge "http://$bridge" -- /bin/bash -c "
    lane bridge http://$bridge/anthropic/v1/messages \$ANTHROPIC_API_KEY
"
echo "daemon RSS after load: $(daemon_rss) KiB"

# Time to first byte and whole-stream time of a 500-word stream (≈ 500 events), direct and
# through the bridge: the difference over the event count is the added per-event latency.
# The stream comes from the mock provider, through a key and group of its own.
echo "== 500-event stream, direct: $(Benchmarks/Bridge/stream-timing.sh "http://$mock/v1/messages" sk-bench-upstream)"
printf 'sk-bench-upstream\n' | "$bin/byoky" key add anthropic --label paced --base-url "http://$mock" >/dev/null
"$bin/byoky" group add paced --provider anthropic --key paced >/dev/null
"$bin/byoky" group assign stream-bench paced >/dev/null
"$bin/byoky" exec --app stream-bench --bridge "http://$bridge" -- /bin/sh -c "
    echo \"== 500-event stream, bridge: \$(Benchmarks/Bridge/stream-timing.sh http://$bridge/anthropic/v1/messages \$ANTHROPIC_API_KEY)\"
"

# The translated path: the same Anthropic request, answered by the OpenAI API (same upstream).
printf 'sk-bench-upstream\n' | "$bin/byoky" key add openai --base-url "http://$upstream" >/dev/null
"$bin/byoky" group add gpt --provider openai --model gpt-5.4 >/dev/null
"$bin/byoky" exec --app translated --bridge "http://$bridge" -- /bin/bash -c "
    '$bin/byoky' group assign translated gpt >/dev/null
    lane translated http://$bridge/anthropic/v1/messages \$ANTHROPIC_API_KEY
"

# The verdicts: the bridge against the nginx hop, measured side by side in this run.
echo "== summary (added = lane p50 minus direct p50, at c=1)"
awk '
    { p50[$1 "/" $2] = $3; rps[$1 "/" $2] = $5 }
    END {
        d = p50["direct/1"]
        printf "direct: p50 %.0f us, %.0f req/s at c=32\n", d, rps["direct/32"]
        if (("nginx-hop/1") in p50) {
            hop = p50["nginx-hop/1"] - d; bridge = p50["bridge/1"] - d; translated = p50["translated/1"] - d
            printf "added p50 at c=1: nginx hop %.0f us, bridge %.0f us (%.2fx the hop; goal <= 2x), translated %.0f us\n", hop, bridge, (hop > 0 ? bridge / hop : 0), translated
            printf "c=32: nginx hop %.0f req/s, bridge %.0f req/s (%.2fx the hop; goal >= 0.5x)\n", rps["nginx-hop/32"], rps["bridge/32"], rps["bridge/32"] / rps["nginx-hop/32"]
            printf "translated vs passthrough: added p50 %.2fx (goal <= 1.3x), req/s %.2fx\n", (bridge > 0 ? translated / bridge : 0), rps["translated/32"] / rps["bridge/32"]
        }
    }' "$work/results"
