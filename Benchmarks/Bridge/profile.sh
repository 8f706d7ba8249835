#!/usr/bin/env bash
# Where the bridge spends its instructions per request, counted by valgrind's callgrind (repeatable
# on a noisy machine: instructions, not seconds). A throw-away wallet serves the nginx upstream of
# run.sh; after a warm-up the counters are zeroed (the start and the unlock's key derivation are not
# counted), wrk sends requests at concurrency 1 for a fixed time, and the counters are dumped.
# Usage: Benchmarks/Bridge/profile.sh [seconds] [passthrough|translated|floor-http|floor-relay|floor-splice|floor-lean-wallet]
#   (default 20 s, passthrough; needs valgrind, nginx, wrk). `translated` routes the same Anthropic
#   request to the OpenAI API of the same upstream, as run.sh's translated lane does; `floor-http`
#   `floor-relay`, `floor-splice` and `floor-lean-wallet` count run.sh's SwiftNIO floors (`byoky-floor`) the same way instead.
#   BYOKY_BINARY=path profiles that build instead of building this checkout (A/B of two builds);
#   PROFILE_CONNECTIONS=n loads it with n connections (default 1).
#   PROFILE_PHASES=1 splits the event loops' instructions by where they fall among a request's
#   system calls instead (a dump before every `epoll_wait`, `write` and `writev`; keep the window
#   short, 3 s makes some 2,000 dumps): at c=1, what runs between a wake-up and the write to the
#   provider, and between the next wake-up and the write of the answer, is what the client waits
#   for; what runs after either write overlaps the other side's work.
# Prints instructions per request, inclusive, for the functions that matter, demangled, then every
# function's own instructions summed by kind (retains and releases, allocation, the concurrency
# runtime, exclusivity checks, SQLite, SwiftNIO, the standard library, libc, the rest).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20}
lane=${2:-passthrough}
# PROFILE_CONNECTIONS=32 counts the load at that concurrency instead (batches, shared wake-ups).
connections=${PROFILE_CONNECTIONS:-1}
case "$lane" in
passthrough | translated | floor-http | floor-relay | floor-splice | floor-lean-wallet) ;;
*) echo "unknown lane $lane: passthrough, translated, floor-http, floor-relay, floor-splice or floor-lean-wallet" >&2; exit 1 ;;
esac
source Benchmarks/Bridge/tools.sh
need_tools valgrind callgrind_control callgrind_annotate objcopy nginx wrk
# One profile, or (PROFILE_PHASES=1) a dump before each of those system calls, thread by thread.
phases=${PROFILE_PHASES:-}
phase_options=()
[ -n "$phases" ] && phase_options=(--separate-threads=yes --dump-before=epoll_wait --dump-before=write --dump-before=writev)
# Counters are zeroed after the warm-up; the last dump made by then is noted (PROFILE_PHASES).
zero_marker='ls WORK | awk -F"[.-]" "/^callgrind.out.[0-9]+-/ { print \$3 }" | sort -n | tail -1 > WORK/zeroed-after'
# The event loops' instructions a request in each phase (medians): `report_phases REQUESTS`. At
# c=1 a request's event loop makes two writes, each after a wake-up: to the provider, then to the
# app. A write is to the provider when the code that reads the app's request ran since the
# wake-up (its function is named in the dump), to the app otherwise. A phase runs from one of those system
# calls to the next; dumps before the counters were zeroed are left out.
report_phases() {
    first=$(cat "$work/zeroed-after" 2>/dev/null || echo 0)
    case "$lane" in
    floor-relay) sender=ClientToUpstreamC11channelRead ;;
    floor-http) sender=RequestToUpstreamC11channelRead ;;
    floor-splice) sender=SplicedRequestsC11channelRead ;;
    floor-lean-wallet) sender=LeanRequestsC11channelRead ;;
    *) sender=HTTP1RequestDecoder ;;
    esac
    for dump in "$work"/callgrind.out.*-*; do
        awk -v sender="$sender" '/^part:/ { part = $2 } /^thread:/ { thread = $2 }
            /Trigger: --dump-before=/ { sub(/.*=/, ""); trigger = $0 } /^summary:/ { summary = $2 }
            index($0, sender) { sends = 1 }
            END { print part, thread, trigger, summary, sends + 0 }' "$dump"
    done | sort -n | awk -v first="$first" -v n="$1" '
        $1 <= first || $3 == "" { next }
        { row[++rows] = $0 }
        END {
            for (r = 1; r <= rows; r++) {
                split(row[r], f, " ")
                t = f[2]
                call = (f[3] == "epoll_wait") ? "wake" : "write"
                if (call == "write") side[t] = f[5] ? "provider" : "app"
                if (t in last) {
                    if (last[t] == "wake" && call == "write") key = "to " side[t]
                    else if (last[t] == "write" && call == "wake") key = "after " side[t]
                    else key = ""
                    if (key != "") values[key, ++count[key]] = f[4]
                }
                last[t] = call
            }
            # Medians: a wake-up that also ran other work (the audit log'"'"'s batch coming back, a
            # timer) would weigh on a mean.
            split("to provider|after provider|to app|after app", keys, "|")
            for (k = 1; k <= 4; k++) {
                key = keys[k]; m = count[key]
                for (i = 1; i <= m; i++) sorted[i] = values[key, i]
                for (i = 2; i <= m; i++) { v = sorted[i]; for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = v }
                median[key] = m ? sorted[int((m + 1) / 2)] : 0
            }
            printf "%10.0f  a wake-up to the write to the provider (the app waits)\n", median["to provider"]
            printf "%10.0f  after the write to the provider (overlaps the provider)\n", median["after provider"]
            printf "%10.0f  a wake-up to the write to the app (the app waits)\n", median["to app"]
            printf "%10.0f  after the write to the app (overlaps the app)\n", median["after app"]
            waited = median["to provider"] + median["to app"]
            printf "%10.0f  what the app waits for (medians of %d and %d phases, %d requests)\n", waited, count["to provider"], count["to app"], n
        }'
}
# The counters of a process under callgrind, per request: `report PID WRK_OUTPUT`.
report() {
    requests=$(awk '/requests in/ { print $1 }' "$2")
    if [ -n "$phases" ]; then
        kill -KILL "$1"
        wait "$1" 2>/dev/null || true
        echo "lane: $lane; requests: $requests; event-loop instructions per request by phase:"
        report_phases "$requests"
        return
    fi
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
        | head -n 60 | swift demangle --simplified | cut -c1-200 || true # `head` ends the listing early
    report_kinds "$dump" "$requests" "$total"
}
# Own instructions a request summed by kind: `report_kinds DUMP REQUESTS TOTAL`. The listing of a
# binary without debug info also carries the threads' entry frames at their inclusive counts
# (`clone`, `start_thread`, the loops' and the pool's thread bodies); no function's own share is
# near a fifth of the total, so rows above that are those frames and are left out.
report_kinds() {
    echo "own instructions a request, by kind:"
    callgrind_annotate --inclusive=no --threshold=100 "$1" 2>/dev/null | sed 1,/PROGRAM.TOTALS/d \
        | awk '/^ *[0-9,]+ / { count = $1; gsub(",", "", count); $1 = ""; printf "%s\t%s\n", count, $0 }' \
        | swift demangle --simplified \
        | awk -F '\t' -v n="$2" -v total="$3" '
            $1 > total / 5 { next }
            {
                name = $2; symbol = name
                sub(/^.*\?\?\?:/, "", symbol); sub(/ \[.*$/, "", symbol)
                # C code has plain identifiers: SQLite (most of them static, with no common
                # prefix), unless it is the runtime, SwiftNIO'"'"'s C parts or BoringSSL (whose
                # names, in a binary without debug info, also cover code with no symbol of its
                # own: counted with the rest).
                isC = symbol ~ /^[A-Za-z_][A-Za-z0-9_]*$/
                kind = "the rest (the wallet'"'"'s own code and all else)"
                if (name ~ /swift_retain|swift_release|bridgeObject|doDecrementSlow|_swift_release_dealloc|swift_unknownObject/) kind = "retains and releases"
                else if (name ~ /malloc|free|swift_allocObject|swift_deallocObject|swift_slowAlloc|swift_slowDealloc|StackAllocator|swift_task_alloc|swift_task_dealloc|deallocClassInstance/) kind = "allocation"
                else if (name ~ /swift_beginAccess|swift_endAccess|AccessSet/) kind = "exclusivity checks"
                else if (name ~ /swift_task|swift_job|swift_continuation|AsyncTask|Executor|future_adapter|runJob|TaskLocal|swift::/) kind = "Swift concurrency and runtime"
                else if (name ~ /libc\.so/) kind = "libc"
                else if (isC && symbol ~ /^c_nio|^CNIO/) kind = "SwiftNIO"
                else if (isC && symbol ~ /BoringSSL|OPENSSL|sha256/) kind = "the rest (the wallet'"'"'s own code and all else)"
                else if (isC && symbol ~ /^swift|^_swift/) kind = "Swift concurrency and runtime"
                else if (isC) kind = "SQLite"
                else if (name ~ /NIO|Channel|EventLoop|ByteBuffer|Selector|Socket|PendingStream|PendingWrites|Scheduled|IOData|HTTPHeaders|HTTPRequestHead|HTTPMethod|HTTPPart/) kind = "SwiftNIO"
                else if (name ~ /String|Array|Dictionary|Hasher|_ContiguousArray|Substring|Unicode|_stringCompare|Character|Set\.|_BinaryInteger|Collection/) kind = "Swift standard library"
                sum[kind] += $1
            }
            END { for (kind in sum) printf "%10.0f  %4.1f %%  %s\n", sum[kind] / n, 100 * sum[kind] / total, kind }' \
        | sort -rn
}
if [ "${lane#floor-}" != "$lane" ]; then
    swift build -c release --package-path Benchmarks --product byoky-floor >/dev/null
    work=$(mktemp -d)
    trap 'kill $(jobs -p) 2>/dev/null; [ -n "${PROFILE_KEEP:-}" ] || rm -rf "$work"' EXIT
    source Benchmarks/Bridge/nginx.sh
    start_nginx
    listen=$(free_port)
    objcopy --strip-debug Benchmarks/.build/release/byoky-floor "$work/byoky-floor"
    FLOOR_LOG_DIR=$work valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "${phase_options[@]}" \
        "$work/byoky-floor" "${lane#floor-}" "$port" "$listen" > "$work/floor.log" 2>&1 &
    floor=$!
    for _ in $(seq 600); do grep -q "listening" "$work/floor.log" 2>/dev/null && break; sleep 0.1; done
    url="http://127.0.0.1:$listen/v1/messages"
    key=x
    # The lean wallet serves its one session, under the bridge's path.
    if [ "$lane" = floor-lean-wallet ]; then
        url="http://127.0.0.1:$listen/anthropic/v1/messages"
        key=byk_bench-floor-session-0123456789abcdef
    fi
    BENCH_KEY=$key wrk -t1 -c1 -d3s -s Benchmarks/Bridge/post.lua "$url" >/dev/null
    callgrind_control -z "$floor" >/dev/null 2>&1
    sh -c "${zero_marker//WORK/$work}"
    BENCH_KEY=$key wrk -t1 -c"$connections" -d"${duration}s" -s Benchmarks/Bridge/post.lua "$url" > "$work/wrk.txt"
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
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "${phase_options[@]}" \
    "$work/byoky" serve --port 0 --password-file "$work/password" > "$work/serve.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do grep -q "http://127.0.0.1" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
bridge=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
"$bin/byoky" exec --app profile --bridge "http://$bridge" -- /bin/sh -c "
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c1 -d3s -s Benchmarks/Bridge/post.lua http://$bridge/anthropic/v1/messages >/dev/null
    callgrind_control -z $daemon >/dev/null 2>&1
    ${zero_marker//WORK/$work}
    BENCH_KEY=\$ANTHROPIC_API_KEY wrk -t1 -c$connections -d${duration}s -s Benchmarks/Bridge/post.lua http://$bridge/anthropic/v1/messages > $work/wrk.txt
    callgrind_control -d $daemon >/dev/null 2>&1
"
report "$daemon" "$work/wrk.txt"
