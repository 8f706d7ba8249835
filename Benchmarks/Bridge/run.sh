#!/usr/bin/env bash
# Added latency and throughput of the byoky bridge over a direct call to the same upstream, as a
# ratio to an nginx reverse-proxy hop in a process of its own, measured in the same run (the goals
# in DESIGN §8: added p50
# at c=1 ≤ 2× the hop's, throughput at c=32 ≥ 0.5× the hop's, translated ≤ 1.3× passthrough).
#
# The upstream is nginx answering with a fixed provider JSON (zero delay; nginx.conf.template),
# or the release mock provider when nginx is missing or BENCH_UPSTREAM=mock (then there is no
# proxy-hop reference). A throw-away wallet serves on loopback and wrk (Debian's `wrk` package)
# drives the upstream directly, through the hop and through the bridge (passthrough and
# translated): concurrency 1 for latency percentiles, concurrency 32 for throughput. This
# machine's speed swings by a third from one second to the next, so the lanes are measured in
# short windows that take turns, round after round, and the verdicts use each lane's median: a
# swing then hits every lane alike. The paced stream always comes from the mock provider. The
# binaries are the release build the README installs: `swift build -c release
# --static-swift-stdlib` (one self-contained file each).
# Beside the hop, three floors of a proxy on SwiftNIO show what the platform itself costs, before
# any wallet logic (Benchmarks/Sources/byoky-floor): a byte relay (event loop and channels
# only), a bare proxy on NIO's own HTTP codecs, and a splice (heads read and rewritten as bytes,
# no task, no header lists); and a fourth, the splice with the work a wallet cannot skip (a
# session looked up by its key's hash, the model read, the answer metered and logged into a real
# wallet store's SQLite audit log). BENCH_FLOOR=0 leaves them out.
# Usage: Benchmarks/Bridge/run.sh [seconds-per-window] [rounds]     (default 3 s, 6 rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-3}
rounds=${2:-6}
source Benchmarks/Bridge/tools.sh
need_tools wrk
swift build -c release --static-swift-stdlib --product byoky >/dev/null
swift build -c release --static-swift-stdlib --product byoky-mock-provider >/dev/null
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
# The report's machine line, with or without nginx.
source Benchmarks/Bridge/machine.sh
source Benchmarks/Bridge/median.sh
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
printf 'sk-bench-upstream\n' > "$work/upstream"

"$bin/byoky-mock-provider" --port 0 --api-key-file "$work/upstream" > "$work/mock.log" &
for _ in $(seq 50); do grep -q http "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
mock=$(grep -o '127.0.0.1:[0-9]*' "$work/mock.log")
upstream=$mock
if [ "${BENCH_UPSTREAM:-nginx}" = nginx ] && command -v nginx >/dev/null; then
    source Benchmarks/Bridge/nginx.sh
    start_nginx
    upstream="127.0.0.1:$port"
    proxy="127.0.0.1:$hop_port"
    shared_proxy="127.0.0.1:$shared_hop_port"
    echo "upstream: nginx $(nginx -v 2>&1 | sed 's|.*/||') with a fixed JSON answer"
    if [ "${BENCH_FLOOR:-1}" != 0 ]; then
        swift build -c release --package-path Benchmarks --product byoky-floor >/dev/null
        relay_port=$(free_port)
        floor_proxy_port=$(free_port)
        floor_splice_port=$(free_port)
        floor_lean_port=$(free_port)
        Benchmarks/.build/release/byoky-floor relay "$port" "$relay_port" > "$work/floor-relay.log" &
        Benchmarks/.build/release/byoky-floor http "$port" "$floor_proxy_port" > "$work/floor-proxy.log" &
        Benchmarks/.build/release/byoky-floor splice "$port" "$floor_splice_port" > "$work/floor-splice.log" &
        mkdir "$work/floor-log"
        FLOOR_LOG_DIR="$work/floor-log" Benchmarks/.build/release/byoky-floor lean-wallet "$port" "$floor_lean_port" \
            > "$work/floor-lean.log" &
        for _ in $(seq 50); do
            grep -q listening "$work/floor-relay.log" 2>/dev/null && grep -q listening "$work/floor-proxy.log" 2>/dev/null \
                && grep -q listening "$work/floor-splice.log" 2>/dev/null && grep -q listening "$work/floor-lean.log" 2>/dev/null \
                && break
            sleep 0.1
        done
    fi
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
echo "machine: $(machine_summary); $rounds rounds of ${duration}-s windows per lane"
# The apps' session keys: passthrough (`bench`) and, routed by a group to the OpenAI API of the
# same upstream, translated (`translated`).
printf 'sk-bench-upstream\n' | "$bin/byoky" key add openai --base-url "http://$upstream" >/dev/null
"$bin/byoky" group add gpt --provider openai --model gpt-5.4 >/dev/null
# `byoky exec` revokes its session when its command ends: each session is held by one that waits.
session_key() { # app → its session key, held until this script ends
    "$bin/byoky" exec --app "$1" --bridge "http://$bridge" -- /bin/sh -c \
        "printf %s \"\$ANTHROPIC_API_KEY\" > '$work/key.$1'; while kill -0 $$ 2>/dev/null; do sleep 1; done" >/dev/null 2>&1 &
    for _ in $(seq 100); do [ -s "$work/key.$1" ] && break; sleep 0.1; done
    cat "$work/key.$1"
}
bench_key=$(session_key bench)
translated_key=$(session_key translated)
"$bin/byoky" group assign translated gpt >/dev/null
lanes=(direct)
[ -n "${proxy:-}" ] && lanes+=(nginx-hop nginx-hop-shared)
[ -n "${relay_port:-}" ] && lanes+=(nio-relay nio-http-proxy nio-splice nio-lean-wallet)
lanes+=(bridge translated)
lane_target() { # lane → "url key"
    case $1 in
        direct) echo "http://$upstream/v1/messages sk-bench-upstream" ;;
        nginx-hop) echo "http://$proxy/v1/messages sk-bench-upstream" ;;
        nginx-hop-shared) echo "http://$shared_proxy/v1/messages sk-bench-upstream" ;;
        nio-relay) echo "http://127.0.0.1:$relay_port/anthropic/v1/messages sk-bench-upstream" ;;
        nio-http-proxy) echo "http://127.0.0.1:$floor_proxy_port/anthropic/v1/messages sk-bench-upstream" ;;
        nio-splice) echo "http://127.0.0.1:$floor_splice_port/anthropic/v1/messages sk-bench-upstream" ;;
        nio-lean-wallet) echo "http://127.0.0.1:$floor_lean_port/anthropic/v1/messages byk_bench-floor-session-0123456789abcdef" ;;
        bridge) echo "http://$bridge/anthropic/v1/messages $bench_key" ;;
        translated) echo "http://$bridge/anthropic/v1/messages $translated_key" ;;
    esac
}
# One window: "round connections lane p50_us p99_us rps" into $work/windows.
measure() { # round lane connections
    local url key
    read -r url key < <(lane_target "$2")
    BENCH_KEY=$key wrk -t1 -c"$3" -d"${duration}s" --latency -s "$script" "$url" | awk -v round="$1" -v lane="$2" -v c="$3" '
        function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
        $1 == "50%" { p50 = us($2) } $1 == "99%" { p99 = us($2) } $1 == "Requests/sec:" { rps = $2 }
        /Non-2xx/ { errors = 1 }
        END { printf "%s %s %s %.1f %.1f %.0f%s\n", round, c, lane, p50, p99, rps, (errors ? " non-2xx!" : "") }' \
        | tee -a "$work/windows"
}
for lane in "${lanes[@]}"; do # warm-up
    read -r url key < <(lane_target "$lane")
    BENCH_KEY=$key wrk -t1 -c4 -d2s -s "$script" "$url" >/dev/null
done
echo "round connections lane p50_us p99_us req/s"
for round in $(seq "$rounds"); do
    for connections in 1 32; do
        for lane in "${lanes[@]}"; do measure "$round" "$lane" "$connections"; done
    done
done
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

# The verdicts: each lane's median over the rounds; added = a window's p50 minus the direct
# p50 of the same round.
echo "== summary: medians over $rounds rounds (added = lane p50 minus direct p50 of the same round, at c=1)"
awk "$median_awk"'
    $2 == 1 && $3 == "direct" { direct[$1] = $4; d = d " " $4 }
    $2 == 1 && $3 != "direct" { added[$3] = added[$3] " " ($4 - direct[$1]) }
    $2 == 32 { rps[$3] = rps[$3] " " $6 }
    END {
        printf "direct: p50 %.0f us, %.0f req/s at c=32\n", median(d), median(rps["direct"])
        bridge = median(added["bridge"]); translated = median(added["translated"])
        if ("nginx-hop" in added) {
            hop = median(added["nginx-hop"])
            printf "added p50 at c=1: nginx hop %.0f us, bridge %.0f us (%.2fx the hop; goal <= 2x), translated %.0f us\n", hop, bridge, (hop > 0 ? bridge / hop : 0), translated
            printf "c=32: nginx hop %.0f req/s, bridge %.0f req/s (%.2fx the hop; goal >= 0.5x)\n", median(rps["nginx-hop"]), median(rps["bridge"]), median(rps["bridge"]) / median(rps["nginx-hop"])
            shared = median(added["nginx-hop-shared"])
            printf "shared hop (the upstream'"'"'s own worker, as before 2026-12-03 night): added p50 %.0f us (bridge %.2fx), c=32 %.0f req/s (bridge %.2fx)\n", shared, (shared > 0 ? bridge / shared : 0), median(rps["nginx-hop-shared"]), median(rps["bridge"]) / median(rps["nginx-hop-shared"])
            if ("nio-relay" in added) {
                relay = median(added["nio-relay"]); nioproxy = median(added["nio-http-proxy"])
                printf "floors on SwiftNIO, no wallet logic: byte relay added p50 %.0f us (%.2fx the hop), c=32 %.0f req/s (%.2fx); NIO HTTP proxy added p50 %.0f us (%.2fx the hop), c=32 %.0f req/s (%.2fx)\n", relay, (hop > 0 ? relay / hop : 0), median(rps["nio-relay"]), median(rps["nio-relay"]) / median(rps["nginx-hop"]), nioproxy, (hop > 0 ? nioproxy / hop : 0), median(rps["nio-http-proxy"]), median(rps["nio-http-proxy"]) / median(rps["nginx-hop"])
                splice = median(added["nio-splice"])
                printf "splice floor (heads as bytes, no task): added p50 %.0f us (%.2fx the hop), c=32 %.0f req/s (%.2fx)\n", splice, (hop > 0 ? splice / hop : 0), median(rps["nio-splice"]), median(rps["nio-splice"]) / median(rps["nginx-hop"])
                lean = median(added["nio-lean-wallet"])
                printf "lean-wallet floor (the splice with session, model, metering and a SQLite log entry): added p50 %.0f us (%.2fx the hop), c=32 %.0f req/s (%.2fx)\n", lean, (hop > 0 ? lean / hop : 0), median(rps["nio-lean-wallet"]), median(rps["nio-lean-wallet"]) / median(rps["nginx-hop"])
            }
        } else {
            printf "added p50 at c=1: bridge %.0f us, translated %.0f us (no nginx: no hop reference)\n", bridge, translated
        }
        printf "translated vs passthrough: added p50 %.2fx (goal <= 1.3x), req/s %.2fx\n", (bridge > 0 ? translated / bridge : 0), median(rps["translated"]) / median(rps["bridge"])
    }' "$work/windows"
if grep -q "non-2xx" "$work/windows"; then
    echo "some windows had answers other than 2xx (marked above): the numbers are not valid" >&2
    exit 1
fi
