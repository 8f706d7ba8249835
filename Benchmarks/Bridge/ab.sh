#!/usr/bin/env bash
# Two or more builds of the bridge against each other and against the nginx hop, on a machine
# whose speed swings from one second to the next: every binary serves its own throw-away wallet
# from the same zero-delay nginx upstream, and short windows of each lane (the hop, in a process
# of its own, first, then
# each binary) alternate round after round, so a swing hits every lane alike. Prints each
# window, then per lane the median added p50 at c=1 and the median req/s at c=32, with the
# ratios to the hop and to the first binary.
# Usage: Benchmarks/Bridge/ab.sh [seconds-per-window] [rounds] BINARY...
#   e.g. build a commit, copy its .build/release/byoky to /tmp/old, then
#   Benchmarks/Bridge/ab.sh 4 6 /tmp/old .build/release/byoky      (needs nginx and wrk)
#   AB_ENV_n="NAME=value ..." sets the environment of the n-th binary's daemon (from 1), e.g. to
#   try an allocator with the same binary twice (the first pass alone measures the noise):
#   AB_ENV_2="LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" ab.sh 3 6 bin bin
#   AB_COUNT_IDLE=1 also counts, with `perf stat -a`, how often a CPU went idle during each c=1
#   window, per request (the `idle/req` column; needs perf with the power:cpu_idle tracepoint).
#   AB_HALT_POLL="0 200000" measures every lane once per value of the guest's idle polling
#   (/sys/module/haltpoll/parameters/guest_halt_poll_ns: how long an idle vCPU of a guest with
#   the haltpoll driver polls before it halts) in each round, lanes named `lane@value`, each
#   compared with the hop at the same value; the machine's value is put back at the end (root).
#   AB_TRANSLATED=1 adds a translated lane for every binary (`N:name/translated`: the same
#   Anthropic request routed by a group to the OpenAI API of the same upstream), compared with the
#   first binary's translated lane, and prints each binary's translated/passthrough ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
window=${1:?seconds per window}
rounds=${2:?rounds}
shift 2
[ $# -ge 1 ] || { echo "usage: $0 seconds rounds BINARY..." >&2; exit 1; }
source Benchmarks/Bridge/tools.sh
need_tools nginx wrk
work=$(mktemp -d)
halt_poll=/sys/module/haltpoll/parameters/guest_halt_poll_ns
poll_values=${AB_HALT_POLL:-}
if [ -n "$poll_values" ]; then
    [ -w "$halt_poll" ] || { echo "AB_HALT_POLL needs the haltpoll idle driver and root ($halt_poll)" >&2; exit 1; }
    original_poll=$(cat "$halt_poll")
fi
restore_poll() { [ -z "$poll_values" ] || echo "$original_poll" > "$halt_poll"; }
trap 'kill $(jobs -p) 2>/dev/null; restore_poll; rm -rf "$work"' EXIT
printf 'Bench-Password-2026\n' > "$work/password"
source Benchmarks/Bridge/nginx.sh
source Benchmarks/Bridge/machine.sh
source Benchmarks/Bridge/median.sh
start_nginx

# Each binary: its own wallet, its own bridge, one app session (its key in $work/key.N).
urls=() keys=() names=()
index=0
for binary in "$@"; do
    index=$((index + 1))
    home="$work/wallet.$index"
    BYOKY_HOME=$home "$binary" init --password-file "$work/password" >/dev/null
    printf 'sk-bench-upstream\n' | BYOKY_HOME=$home "$binary" key add anthropic --base-url "http://127.0.0.1:$port" \
        --password-file "$work/password" >/dev/null
    environment_name=AB_ENV_$index
    # Word splitting is wanted: the value is a list of NAME=value words.
    # shellcheck disable=SC2086
    env ${!environment_name:-} BYOKY_HOME="$home" "$binary" serve --port 0 --password-file "$work/password" \
        > "$work/serve.$index.log" 2>&1 &
    for _ in $(seq 100); do grep -q "http://127.0.0.1" "$work/serve.$index.log" 2>/dev/null && break; sleep 0.1; done
    bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.$index.log" | head -1)
    # `byoky exec` revokes its session when its command ends: this one waits until the script ends.
    BYOKY_HOME=$home "$binary" exec --app ab --bridge "http://$bridge" -- /bin/sh -c \
        "printf %s \"\$ANTHROPIC_API_KEY\" > '$work/key.$index'; while kill -0 $$ 2>/dev/null; do sleep 1; done" >/dev/null 2>&1 &
    for _ in $(seq 100); do [ -s "$work/key.$index" ] && break; sleep 0.1; done
    urls+=("http://$bridge/anthropic/v1/messages")
    keys+=("$(cat "$work/key.$index")")
    names+=("$index:$(basename "$binary")${!environment_name:++env}")
    if [ -n "${AB_TRANSLATED:-}" ]; then
        printf 'sk-bench-upstream\n' | BYOKY_HOME=$home "$binary" key add openai --base-url "http://127.0.0.1:$port" \
            --password-file "$work/password" >/dev/null
        BYOKY_HOME=$home "$binary" group add gpt --provider openai --model gpt-5.4 >/dev/null
        BYOKY_HOME=$home "$binary" exec --app abt --bridge "http://$bridge" -- /bin/sh -c \
            "printf %s \"\$ANTHROPIC_API_KEY\" > '$work/tkey.$index'; while kill -0 $$ 2>/dev/null; do sleep 1; done" >/dev/null 2>&1 &
        for _ in $(seq 100); do [ -s "$work/tkey.$index" ] && break; sleep 0.1; done
        BYOKY_HOME=$home "$binary" group assign abt gpt >/dev/null
        urls+=("http://$bridge/anthropic/v1/messages")
        keys+=("$(cat "$work/tkey.$index")")
        names+=("${names[-1]}/translated")
    fi
done

script=Benchmarks/Bridge/post.lua
measure() { # url key connections → "p50_us rps halts_per_request"
    local perf=()
    # AB_COUNT_IDLE: the times a CPU went idle during a c=1 window, per request (all CPUs).
    if [ -n "${AB_COUNT_IDLE:-}" ] && [ "$3" = 1 ]; then
        perf=(perf stat -a -x, -e power:cpu_idle -o "$work/idle.csv" --)
    fi
    BENCH_KEY=$2 "${perf[@]}" wrk -t1 -c"$3" -d"${window}s" --latency -s "$script" "$1" > "$work/wrk.out"
    # power:cpu_idle fires on entering and on leaving an idle state: two a halt.
    idle=$( [ ${#perf[@]} -gt 0 ] && awk -F, '$3 == "power:cpu_idle" { print $1 / 2 }' "$work/idle.csv" || echo -)
    awk -v idle="$idle" '
        function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
        $1 == "50%" { p50 = us($2) } $1 == "Requests/sec:" { rps = $2 } / requests in / { requests = $1 }
        /Non-2xx/ { errors = 1 }
        END {
            halts = idle == "-" || !requests ? "-" : sprintf("%.2f", idle / requests)
            printf "%.1f %.0f %s%s\n", p50, rps, halts, (errors ? " non-2xx!" : "")
        }' "$work/wrk.out"
}
# Warm-up: every lane, a little.
for lane in direct hop "${!urls[@]}"; do
    case $lane in
        direct) url="http://127.0.0.1:$port/v1/messages" key=sk-bench-upstream ;;
        hop) url="http://127.0.0.1:$hop_port/v1/messages" key=sk-bench-upstream ;;
        *) url=${urls[$lane]} key=${keys[$lane]} ;;
    esac
    BENCH_KEY=$key wrk -t1 -c4 -d1s -s "$script" "$url" >/dev/null
done
echo "machine: $(machine_summary); ${rounds} rounds of ${window}-s windows"
for round in $(seq "$rounds"); do
    # One pass at the machine's own idle polling (`-`), or one a value of AB_HALT_POLL.
    for poll in ${poll_values:--}; do
        if [ "$poll" = - ]; then poll=""; else echo "$poll" > "$halt_poll"; fi
        for connections in 1 32; do
            for lane in direct hop "${!urls[@]}"; do
                case $lane in
                    direct) url="http://127.0.0.1:$port/v1/messages" key=sk-bench-upstream name=direct ;;
                    hop) url="http://127.0.0.1:$hop_port/v1/messages" key=sk-bench-upstream name=nginx-hop ;;
                    *) url=${urls[$lane]} key=${keys[$lane]} name=${names[$lane]} ;;
                esac
                read -r p50 rps halts flag < <(measure "$url" "$key" "$connections")
                echo "$round${poll:+@$poll} $connections $name${poll:+@$poll} $p50 $rps $halts ${flag:-}" | tee -a "$work/windows"
            done
        done
    done
done
restore_poll
echo "== medians over $rounds rounds (added p50 = lane p50 minus direct p50 of the same round, c=1)"
awk -v first="${names[0]}" "$median_awk"'
    # A lane named `name@value` (AB_HALT_POLL) is compared with the hop and the first binary at
    # the same value, and with the direct call of the same round at that value.
    function suffix(lane) { return index(lane, "@") ? substr(lane, index(lane, "@")) : "" }
    $2 == 1 && $3 ~ /^direct/ { direct[$1] = $4 }
    $2 == 1 && $3 !~ /^direct/ { added[$3] = added[$3] " " ($4 - direct[$1]); lanes[$3] = 1 }
    $2 == 1 && $6 != "-" { halts[$3] = halts[$3] " " $6; lanes[$3] = 1 }
    $2 == 32 { rps[$3] = rps[$3] " " $5; lanes[$3] = 1 }
    END {
        printf "%-28s %14s %10s %12s %10s %10s %12s %10s\n", "lane", "added p50 µs", "vs hop", "vs first", "c=32 req/s", "vs hop", "vs first", "idle/req"
        for (lane in lanes) {
            s = suffix(lane)
            hopAdded = median(added["nginx-hop" s]); hopRps = median(rps["nginx-hop" s])
            # A translated lane is compared with the translated lane of the first binary.
            f = (lane ~ /\/translated/ ? first "/translated" : first) s
            firstAdded = median(added[f]); firstRps = median(rps[f])
            a = median(added[lane]); r = median(rps[lane])
            printf "%-28s %14.0f %9.2fx %11.2fx %10.0f %9.2fx %11.2fx %10s\n", lane, a, (hopAdded ? a / hopAdded : 0), (firstAdded ? a / firstAdded : 0), r, r / hopRps, (firstRps ? r / firstRps : 0), (lane in halts ? median(halts[lane]) : "-")
        }
        for (lane in lanes) {
            if (lane !~ /\/translated/) continue
            passthrough = lane; sub(/\/translated/, "", passthrough)
            p = median(added[passthrough])
            printf "%s: translated vs passthrough, added p50 %.2fx (goal <= 1.3x), req/s %.2fx\n", passthrough, (p ? median(added[lane]) / p : 0), median(rps[lane]) / median(rps[passthrough])
        }
    }' "$work/windows"
if grep -q "non-2xx" "$work/windows"; then
    echo "some windows had answers other than 2xx (marked above): the numbers are not valid" >&2
    exit 1
fi
