#!/usr/bin/env bash
# Where the CPU goes per request under load, thread by thread: the bridge (a throw-away wallet on
# run.sh's zero-delay nginx upstream) and, under the same load, the nginx hop's worker, each read
# from /proc (user and system time of every thread before and after a wrk run).
# Usage: Benchmarks/Bridge/threads.sh [seconds] [connections]      (default 10 s, 32 connections)
#   BYOKY_BINARY=path measures that build instead of building this checkout; STRACE=1 also counts
#   the bridge's system calls per request (strace slows it: read the counts, not the times);
#   PERF=1 samples the bridge's threads with `perf record -e cpu-clock` (a timer, so it works in
#   a VM without hardware counters; kernel time included) and prints the heaviest functions by
#   their own share of the samples. Needs nginx and wrk (and strace or perf for those options).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-32}
source Benchmarks/Bridge/tools.sh
need_tools nginx wrk
if [ -n "${BYOKY_BINARY:-}" ]; then
    bin=$BYOKY_BINARY
else
    swift build -c release --static-swift-stdlib --product byoky >/dev/null
    bin=.build/release/byoky
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
source Benchmarks/Bridge/nginx.sh
start_nginx
"$bin" init --password-file "$work/password" >/dev/null
printf 'sk-bench-upstream\n' | "$bin" key add anthropic --base-url "http://127.0.0.1:$port" \
    --password-file "$work/password" >/dev/null
"$bin" serve --port 0 --password-file "$work/password" > "$work/serve.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do grep -q "http://127.0.0.1" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
ticks=$(getconf CLK_TCK)

# `thread-id name user-ticks system-ticks voluntary-switches involuntary-switches` for every thread
# of the processes given.
snapshot() {
    for pid in "$@"; do
        for task in /proc/"$pid"/task/*; do
            echo "$(basename "$task") $(tr ' ' _ < "$task/comm") $(awk '{ print $14, $15 }' "$task/stat")" \
                "$(awk '/ctxt_switches/ { printf "%s ", $2 }' "$task/status")"
        done
    done | sort
}
# Per-thread CPU between two snapshots, in µs per request: `report BEFORE AFTER REQUESTS LABEL`.
report() {
    echo "== $4: $3 requests in ${seconds} s at c=$connections"
    join "$1" "$2" | awk -v r="$3" -v hz="$ticks" '{
        usr = $8 - $3; sys = $9 - $4; waits = $10 - $5; preempted = $11 - $6
        if (usr + sys > 0) printf "  %-22s user %6.1f  system %6.1f  µs/request; switches %5.2f waiting, %5.2f preempted\n", \
            $2, usr * 1e6 / hz / r, sys * 1e6 / hz / r, waits / r, preempted / r
        total += usr + sys
    } END { printf "  %-22s %6.1f µs/request\n", "all threads", total * 1e6 / hz / r }'
}
# Loads `url` (with the session key in $BENCH_KEY) and reports the processes' threads.
measure() {
    local url=$1 label=$2
    shift 2
    wrk -t1 -c"$connections" -d3s -s Benchmarks/Bridge/post.lua "$url" > /dev/null
    snapshot "$@" > "$work/before"
    if [ -n "${STRACE:-}" ] && [ "$label" = bridge ]; then
        strace -c -f -p "$daemon" -o "$work/strace.txt" 2>/dev/null &
        tracer=$!
        sleep 1
    fi
    if [ -n "${PERF:-}" ] && [ "$label" = bridge ]; then
        perf record -q -e cpu-clock -F 4999 -p "$daemon" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null &
        sampler=$!
    fi
    local machine_before
    machine_before=$(head -1 /proc/stat)
    wrk -t1 -c"$connections" -d"${seconds}s" -s Benchmarks/Bridge/post.lua "$url" > "$work/wrk.txt"
    snapshot "$@" > "$work/after"
    # How much of the machine was idle meanwhile (near 0: the load is bound by CPU, not waits).
    echo "$machine_before $(head -1 /proc/stat)" | awk '{
        for (i = 2; i <= 11; i++) { before += $i; after += $(i + 11) }
        printf "  machine idle over the run: %.1f %%\n", 100 * (($16 + $17) - ($5 + $6)) / (after - before)
    }' > "$work/idle"
    if [ -n "${tracer:-}" ]; then
        kill -INT "$tracer"
        wait "$tracer" 2>/dev/null || true
    fi
    local requests
    requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
    report "$work/before" "$work/after" "$requests" "$label"
    cat "$work/idle"
    if [ -n "${tracer:-}" ]; then
        echo "  system calls per request (under strace):"
        awk -v r="$requests" 'NR > 2 && $4 + 0 > 0 && $NF != "total" { printf "    %-16s %6.2f\n", $NF, $4 / r }' "$work/strace.txt"
        unset tracer
    fi
    if [ -n "${sampler:-}" ]; then
        wait "$sampler" || true
        echo "  heaviest functions by own samples (perf, all threads, kernel included):"
        perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null \
            | awk '/^ *[0-9.]+%/' | head -n "${PERF_LINES:-45}" | swift demangle --simplified | cut -c1-160
        unset sampler
    fi
}
export BENCH_KEY=unused
hop_workers=$(pgrep -f "nginx: worker process" -P "$(pgrep -f "nginx -c $work/hop/nginx.conf" | head -1)" | tr '\n' ' ')
measure "http://127.0.0.1:$hop_port/v1/messages" "nginx hop (its worker)" $hop_workers
# An app session that lives while the load runs (`byoky exec` revokes it when its command ends).
umask 077
"$bin" exec --app threads --bridge "http://$bridge" -- \
    /bin/sh -c "printf %s \"\$ANTHROPIC_API_KEY\" > '$work/key'; exec sleep $((seconds + 60))" > /dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$work/key" ] && break; sleep 0.1; done
BENCH_KEY=$(cat "$work/key")
export BENCH_KEY
measure "http://$bridge/anthropic/v1/messages" bridge "$daemon"
