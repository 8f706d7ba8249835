#!/usr/bin/env bash
# Added latency and throughput of the byoky bridge over a direct call to the same upstream.
#
# The upstream is nginx answering with a fixed provider JSON (zero delay; nginx.conf.template),
# or the release mock provider when nginx is missing or BENCH_UPSTREAM=mock. A throw-away wallet
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
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    sed -e "s|WORK|$work|g" -e "s|PORT|$port|g" Benchmarks/Bridge/nginx.conf.template > "$work/nginx.conf"
    nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/messages" && break; sleep 0.1; done
    upstream="127.0.0.1:$port"
    echo "upstream: nginx $(nginx -v 2>&1 | sed 's|.*/||') with a fixed JSON answer"
else
    echo "upstream: byoky-mock-provider (install nginx for the usual zero-delay upstream)"
fi

"$bin/byoky" init --password-file "$work/password" >/dev/null
printf 'sk-bench-upstream\n' | "$bin/byoky" key add anthropic --base-url "http://$upstream" --password-file "$work/password" >/dev/null
"$bin/byoky" serve --port 0 --password-file "$work/password" > "$work/serve.log" &
for _ in $(seq 50); do grep -q http "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
sleep 1
echo "daemon RSS idle: $(ps -o rss= -p "$(pgrep -f "$bin/byoky serve" | head -1)") KiB"

script=Benchmarks/Bridge/post.lua
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; duration ${duration}s per run"
run() { # label url key connections
    echo "== $1 (c=$4)"
    BENCH_KEY=$3 wrk -t1 -c"$4" -d"${duration}s" --latency -s "$script" "$2/v1/messages" \
        | grep -E "Requests/sec|^ +(50|90|99)%|Non-2xx"
}
BENCH_KEY=sk-bench-upstream wrk -t1 -c4 -d2s -s "$script" "http://$upstream/v1/messages" >/dev/null
run "direct to the upstream" "http://$upstream" sk-bench-upstream 1
run "direct to the upstream" "http://$upstream" sk-bench-upstream 32
"$bin/byoky" exec --app bench --bridge "http://$bridge" -- /bin/sh -c "
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c4 -d2s -s $script http://$bridge/anthropic/v1/messages >/dev/null
    echo '== through the bridge (c=1)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c1 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
    echo '== through the bridge (c=32)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c32 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
"
echo "daemon RSS after load: $(ps -o rss= -p "$(pgrep -f "$bin/byoky serve" | head -1)") KiB"

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
"$bin/byoky" exec --app translated --bridge "http://$bridge" -- /bin/sh -c "
    '$bin/byoky' group assign translated gpt >/dev/null
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c4 -d2s -s $script http://$bridge/anthropic/v1/messages >/dev/null
    echo '== translated anthropic→openai through the bridge (c=1)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c1 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
    echo '== translated anthropic→openai through the bridge (c=32)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c32 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
"
