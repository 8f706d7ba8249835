#!/usr/bin/env bash
# Added latency and throughput of the byoky bridge over a direct call to the same upstream.
#
# Starts the release mock provider (zero delay) and a throw-away wallet serving on loopback,
# then drives both with wrk (from Debian's `wrk` package): concurrency 1 for latency
# percentiles, concurrency 32 for throughput. Usage: Benchmarks/Bridge/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product byoky >/dev/null
swift build -c release --product byoky-mock-provider >/dev/null
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
printf 'sk-bench-upstream\n' > "$work/upstream"

"$bin/byoky-mock-provider" --port 0 --api-key-file "$work/upstream" > "$work/mock.log" &
for _ in $(seq 50); do grep -q http "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
mock=$(grep -o '127.0.0.1:[0-9]*' "$work/mock.log")

"$bin/byoky" init --password-file "$work/password" >/dev/null
printf 'sk-bench-upstream\n' | "$bin/byoky" key add anthropic --base-url "http://$mock" --password-file "$work/password" >/dev/null
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
BENCH_KEY=sk-bench-upstream wrk -t1 -c4 -d2s -s "$script" "http://$mock/v1/messages" >/dev/null
run "direct to the mock" "http://$mock" sk-bench-upstream 1
run "direct to the mock" "http://$mock" sk-bench-upstream 32
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
echo "== 500-event stream, direct: $(Benchmarks/Bridge/stream-timing.sh "http://$mock/v1/messages" sk-bench-upstream)"
"$bin/byoky" exec --app stream-bench --bridge "http://$bridge" -- /bin/sh -c "
    echo \"== 500-event stream, bridge: \$(Benchmarks/Bridge/stream-timing.sh http://$bridge/anthropic/v1/messages \$ANTHROPIC_API_KEY)\"
"

# The translated path: the same Anthropic request, answered by the OpenAI API (on the mock).
printf 'sk-bench-upstream\n' | "$bin/byoky" key add openai --base-url "http://$mock" --password-file "$work/password" >/dev/null
"$bin/byoky" group add gpt --provider openai --model gpt-5.4 >/dev/null
"$bin/byoky" exec --app translated --bridge "http://$bridge" -- /bin/sh -c "
    '$bin/byoky' group assign translated gpt >/dev/null
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c4 -d2s -s $script http://$bridge/anthropic/v1/messages >/dev/null
    echo '== translated anthropic→openai through the bridge (c=1)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c1 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
    echo '== translated anthropic→openai through the bridge (c=32)'
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c32 -d${duration}s --latency -s $script http://$bridge/anthropic/v1/messages | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx'
"
