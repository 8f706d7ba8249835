#!/usr/bin/env bash
# What a microsecond of an event loop's work costs a client at concurrency 1, by where in the
# request cycle it falls. The SwiftNIO byte relay of run.sh (byoky-floor relay, a proxy with
# next to no work of its own) serves the zero-delay nginx upstream with N microseconds of busy
# work added: none, before the answer's write to the client (what the client waits for), right
# after that write, or held until the client's next request was written to the provider (while
# the provider works). Windows of each setting alternate round after round; prints each window,
# then per setting the median added p50 (minus the direct p50 of the same round) and its excess
# over the relay with no work.
# Usage: Benchmarks/Bridge/busy.sh [microseconds] [seconds-per-window] [rounds]   (needs nginx, wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
busy=${1:-15}
window=${2:-3}
rounds=${3:-4}
source Benchmarks/Bridge/tools.sh
need_tools nginx wrk
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
source Benchmarks/Bridge/nginx.sh
source Benchmarks/Bridge/machine.sh
source Benchmarks/Bridge/median.sh
start_nginx
swift build -c release --package-path Benchmarks --product byoky-floor >/dev/null
floor=Benchmarks/.build/release/byoky-floor

# One relay per setting: "name port".
settings=(none before-answer after-answer after-request)
declare -A ports
for setting in "${settings[@]}"; do
    ports[$setting]=$(free_port)
    if [ "$setting" = none ]; then
        "$floor" relay "$port" "${ports[$setting]}" > "$work/$setting.log" &
    else
        FLOOR_BUSY_US=$busy FLOOR_BUSY_AT=$setting "$floor" relay "$port" "${ports[$setting]}" > "$work/$setting.log" &
    fi
done
for setting in "${settings[@]}"; do
    for _ in $(seq 50); do grep -q listening "$work/$setting.log" 2>/dev/null && break; sleep 0.1; done
done
lane_url() { # setting (or direct) → url
    if [ "$1" = direct ]; then echo "http://127.0.0.1:$port/v1/messages"; else echo "http://127.0.0.1:${ports[$1]}/anthropic/v1/messages"; fi
}
echo "machine: $(machine_summary); ${busy} us of work; $rounds rounds of ${window}-s windows"
for lane in direct "${settings[@]}"; do # warm-up
    BENCH_KEY=sk-bench wrk -t1 -c1 -d1s -s Benchmarks/Bridge/post.lua "$(lane_url "$lane")" >/dev/null
done
echo "round lane p50_us req/s"
for round in $(seq "$rounds"); do
    for lane in direct "${settings[@]}"; do
        BENCH_KEY=sk-bench wrk -t1 -c1 -d"${window}s" --latency -s Benchmarks/Bridge/post.lua "$(lane_url "$lane")" \
            | awk -v round="$round" -v lane="$lane" '
                function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; return v * 1000000 }
                $1 == "50%" { p50 = us($2) } $1 == "Requests/sec:" { rps = $2 }
                END { printf "%s %s %.1f %.0f\n", round, lane, p50, rps }' | tee -a "$work/windows"
    done
done
awk -v busy="$busy" "$median_awk"'
    { p50[$1, $2] = $3; rounds[$1] = 1; lanes[$2] = 1 }
    END {
        for (lane in lanes) if (lane != "direct") for (round in rounds) added[lane] = added[lane] " " (p50[round, lane] - p50[round, "direct"])
        base = median(added["none"])
        printf "== medians (added p50 = lane p50 minus direct p50 of the same round, c=1)\n"
        printf "%-14s %14s %22s\n", "work at", "added p50 us", "cost of " busy " us of work"
        split("none before-answer after-answer after-request", order, " ")
        for (i = 1; i <= 4; i++) {
            lane = order[i]; m = median(added[lane])
            if (lane == "none") printf "%-14s %14.0f %22s\n", lane, m, "-"
            else printf "%-14s %14.0f %19.0f us\n", lane, m, m - base
        }
    }' "$work/windows"
