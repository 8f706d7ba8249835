#!/usr/bin/env bash
# What a wallet built as a splice could reach on this machine, and what each part of a wallet's
# work costs there: the nginx hop, the splice floor, and `byoky-floor lean-wallet` (the splice
# with the work a wallet cannot skip: session by key hash, model, metering, a log entry in a
# real wallet store's SQLite audit log) in full, without its log entry (metered only) and
# without recording (no metering, no log), each against the same zero-delay nginx upstream.
# Windows of each lane alternate round after round (c=1, then c=32); prints each window, then per
# lane the median added p50 at c=1 (minus the direct p50 of the same round) and the median req/s
# at c=32, as ratios to the hop's.
# Usage: Benchmarks/Bridge/floors.sh [seconds-per-window] [rounds]     (needs nginx and wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
window=${1:-3}
rounds=${2:-4}
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
session_key=byk_bench-floor-session-0123456789abcdef

declare -A ports
lanes=(splice lean-wallet lean-no-log lean-no-record)
for lane in "${lanes[@]}"; do
    ports[$lane]=$(free_port)
    mkdir "$work/$lane"
    case $lane in
    splice) "$floor" splice "$port" "${ports[$lane]}" > "$work/$lane.log" & ;;
    lean-wallet) FLOOR_LOG_DIR="$work/$lane" "$floor" lean-wallet "$port" "${ports[$lane]}" > "$work/$lane.log" & ;;
    lean-no-log) FLOOR_LEAN_SKIP=log FLOOR_LOG_DIR="$work/$lane" "$floor" lean-wallet "$port" "${ports[$lane]}" > "$work/$lane.log" & ;;
    lean-no-record) FLOOR_LEAN_SKIP=record FLOOR_LOG_DIR="$work/$lane" "$floor" lean-wallet "$port" "${ports[$lane]}" > "$work/$lane.log" & ;;
    esac
done
for lane in "${lanes[@]}"; do
    for _ in $(seq 50); do grep -q listening "$work/$lane.log" 2>/dev/null && break; sleep 0.1; done
done
lanes=(direct nginx-hop "${lanes[@]}")
lane_target() { # lane → "url key"
    case $1 in
    direct) echo "http://127.0.0.1:$port/v1/messages sk-bench-upstream" ;;
    nginx-hop) echo "http://127.0.0.1:$hop_port/v1/messages sk-bench-upstream" ;;
    splice) echo "http://127.0.0.1:${ports[$1]}/anthropic/v1/messages sk-bench-upstream" ;;
    *) echo "http://127.0.0.1:${ports[$1]}/anthropic/v1/messages $session_key" ;;
    esac
}
echo "machine: $(machine_summary); $rounds rounds of ${window}-s windows per lane"
for lane in "${lanes[@]}"; do # warm-up
    read -r url key < <(lane_target "$lane")
    BENCH_KEY=$key wrk -t1 -c4 -d2s -s Benchmarks/Bridge/post.lua "$url" >/dev/null
done
echo "round connections lane p50_us req/s"
for round in $(seq "$rounds"); do
    for connections in 1 32; do
        for lane in "${lanes[@]}"; do
            read -r url key < <(lane_target "$lane")
            BENCH_KEY=$key wrk -t1 -c"$connections" -d"${window}s" --latency -s Benchmarks/Bridge/post.lua "$url" \
                | awk -v round="$round" -v lane="$lane" -v c="$connections" '
                    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; return v * 1000000 }
                    $1 == "50%" { p50 = us($2) } $1 == "Requests/sec:" { rps = $2 } /Non-2xx/ { errors = 1 }
                    END { printf "%s %s %s %.1f %.0f%s\n", round, c, lane, p50, rps, (errors ? " non-2xx!" : "") }' \
                | tee -a "$work/windows"
        done
    done
done
awk "$median_awk"'
    $2 == 1 && $3 == "direct" { direct[$1] = $4; d = d " " $4 }
    $2 == 1 && $3 != "direct" { added[$3] = added[$3] " " ($4 - direct[$1]) }
    $2 == 32 { rps[$3] = rps[$3] " " $5 }
    END {
        hop = median(added["nginx-hop"]); hoprps = median(rps["nginx-hop"])
        printf "== medians: direct p50 %.0f us, %.0f req/s at c=32\n", median(d), median(rps["direct"])
        printf "%-16s %14s %10s %12s %10s\n", "lane", "added p50 us", "vs hop", "c=32 req/s", "vs hop"
        split("nginx-hop splice lean-wallet lean-no-log lean-no-record", order, " ")
        for (i = 1; i <= 5; i++) {
            lane = order[i]; a = median(added[lane]); r = median(rps[lane])
            printf "%-16s %14.0f %9.2fx %12.0f %9.2fx\n", lane, a, (hop > 0 ? a / hop : 0), r, r / hoprps
        }
    }' "$work/windows"
if grep -q "non-2xx" "$work/windows"; then
    echo "some windows had answers other than 2xx (marked above): the numbers are not valid" >&2
    exit 1
fi
