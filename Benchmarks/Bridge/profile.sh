#!/usr/bin/env bash
# Where the bridge spends its instructions per request, counted by valgrind's callgrind (repeatable
# on a noisy machine: instructions, not seconds). A throw-away wallet serves the nginx upstream of
# run.sh; after a warm-up the counters are zeroed (the start and the unlock's key derivation are not
# counted), wrk sends requests at concurrency 1 for a fixed time, and the counters are dumped.
# Usage: Benchmarks/Bridge/profile.sh [seconds] [passthrough|translated|floor-http|floor-relay]
#   (default 20 s, passthrough; needs valgrind, nginx, wrk). `translated` routes the same Anthropic
#   request to the OpenAI API of the same upstream, as run.sh's translated lane does; `floor-http`
#   and `floor-relay` count run.sh's two SwiftNIO floors (`byoky-floor`) the same way instead.
#   BYOKY_BINARY=path profiles that build instead of building this checkout (A/B of two builds);
#   PROFILE_CONNECTIONS=n loads it with n connections (default 1).
# Prints instructions per request, inclusive, for the functions that matter, demangled.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20}
lane=${2:-passthrough}
# PROFILE_CONNECTIONS=32 counts the load at that concurrency instead (batches, shared wake-ups).
connections=${PROFILE_CONNECTIONS:-1}
case "$lane" in
passthrough | translated | floor-http | floor-relay) ;;
*) echo "unknown lane $lane: passthrough, translated, floor-http or floor-relay" >&2; exit 1 ;;
esac
for tool in valgrind callgrind_control callgrind_annotate objcopy nginx wrk; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install valgrind nginx wrk" >&2; exit 1; }
done
# The counters of a process under callgrind, per request: `report PID WRK_OUTPUT`.
report() {
    requests=$(awk '/requests in/ { print $1 }' "$2")
    # The dump made right after the load holds exactly the requests (counters were zeroed before);
    # then the process is stopped (a floor has no signal handler to wait for).
    kill -KILL "$1"
    wait "$1" 2>/dev/null || true
    dump=$(ls "$work"/callgrind.out.* | head -1)
    total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
    echo "lane: $lane; requests: $requests; instructions: $total; per request: $((total / requests))"
    # Inclusive instructions per request of the heaviest functions, demangled.
    callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null \
        | awk -v n="$requests" '/^ *[0-9,]+ / { count = $1; gsub(",", "", count); $1 = ""; printf "%10.0f %s\n", count / n, $0 }' \
        | head -n 60 | swift demangle --simplified | cut -c1-200
}
if [ "${lane#floor-}" != "$lane" ]; then
    swift build -c release --package-path Benchmarks --product byoky-floor >/dev/null
    work=$(mktemp -d)
    trap 'kill $(jobs -p) 2>/dev/null; [ -n "${PROFILE_KEEP:-}" ] || rm -rf "$work"' EXIT
    source Benchmarks/Bridge/nginx.sh
    start_nginx
    listen=$(free_port)
    objcopy --strip-debug Benchmarks/.build/release/byoky-floor "$work/byoky-floor"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        "$work/byoky-floor" "${lane#floor-}" "$port" "$listen" > "$work/floor.log" 2>&1 &
    floor=$!
    for _ in $(seq 600); do grep -q "listening" "$work/floor.log" 2>/dev/null && break; sleep 0.1; done
    url="http://127.0.0.1:$listen/v1/messages"
    BENCH_KEY=x wrk -t1 -c1 -d3s -s Benchmarks/Bridge/post.lua "$url" >/dev/null
    callgrind_control -z "$floor" >/dev/null 2>&1
    BENCH_KEY=x wrk -t1 -c"$connections" -d"${duration}s" -s Benchmarks/Bridge/post.lua "$url" > "$work/wrk.txt"
    callgrind_control -d "$floor" >/dev/null 2>&1
    report "$floor" "$work/wrk.txt"
    exit 0
fi
if [ -n "${BYOKY_BINARY:-}" ]; then
    bin=$(mktemp -d)
    cp "$BYOKY_BINARY" "$bin/byoky"
else
    swift build -c release --static-swift-stdlib --product byoky >/dev/null
    bin=.build/release
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; [ -n "${PROFILE_KEEP:-}" ] || rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
source Benchmarks/Bridge/nginx.sh
start_nginx
"$bin/byoky" init --password-file "$work/password" >/dev/null
printf 'sk-bench-upstream\n' | "$bin/byoky" key add anthropic --base-url "http://127.0.0.1:$port" \
    --password-file "$work/password" >/dev/null
if [ "$lane" = translated ]; then
    printf 'sk-bench-upstream\n' | "$bin/byoky" key add openai --base-url "http://127.0.0.1:$port" \
        --password-file "$work/password" >/dev/null
    "$bin/byoky" group add gpt --provider openai --model gpt-5.4 --password-file "$work/password" >/dev/null
    "$bin/byoky" group assign profile gpt --password-file "$work/password" >/dev/null
fi
# Valgrind 3.19 cannot read the DWARF 5 of a Swift build: profile a copy without debug info
# (function names come from the symbol table).
objcopy --strip-debug "$bin/byoky" "$work/byoky"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$work/byoky" serve --port 0 --password-file "$work/password" > "$work/serve.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do grep -q "http://127.0.0.1" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
"$bin/byoky" exec --app profile --bridge "http://$bridge" -- /bin/sh -c "
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c1 -d3s -s Benchmarks/Bridge/post.lua http://$bridge/anthropic/v1/messages >/dev/null
    callgrind_control -z $daemon >/dev/null 2>&1
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c$connections -d${duration}s -s Benchmarks/Bridge/post.lua http://$bridge/anthropic/v1/messages > $work/wrk.txt
    callgrind_control -d $daemon >/dev/null 2>&1
"
report "$daemon" "$work/wrk.txt"
