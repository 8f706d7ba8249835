#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs them.
#   scripts/fuzz.sh [seconds] [target...]
#     seconds: TranslateFuzz's budget (default 30, what CI runs); every other target gets a sixth.
#     target:  TranslateFuzz, PathFuzz, or a parser of ParsersFuzz: sse json relay links backup url media
#              (default: all of them).
#   FUZZ_RUNS=10000000 scripts/fuzz.sh 0 [target...]   a campaign: that many inputs per target.
# Seeds: the translation fixtures (TranslateFuzz, sse, json) and Fuzz/Corpus/<target>/; the corpus
# grows in .build-fuzz/corpus/<target>, findings land in .build-fuzz/artifacts/<target>-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(TranslateFuzz PathFuzz sse json relay links backup url media)
mkdir -p .build-fuzz/artifacts
build() {
    swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
        -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library --product "$1"
}
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    case "$target" in
    TranslateFuzz)
        executable=TranslateFuzz
        # Each fixture prefixed with every operation/pair selector that applies to it.
        for file in Tests/ByokyTranslateTests/Fixtures/*/*; do
            for selector in $(seq 0 47); do
                name="$corpus/$(basename "$(dirname "$file")")-$(basename "$file")-$selector"
                [ -e "$name" ] || { printf "\\x$(printf %02x "$selector")" > "$name"; cat "$file" >> "$name"; }
            done
        done
        ;;
    PathFuzz) executable=PathFuzz ;;
    sse | json)
        executable=ParsersFuzz
        pattern='*.sse'
        [ "$target" = json ] && pattern='*.json'
        for file in Tests/ByokyTranslateTests/Fixtures/*/$pattern; do
            cp -n "$file" "$corpus/$(basename "$(dirname "$file")")-$(basename "$file")"
        done
        ;;
    relay | links | backup | url | media) executable=ParsersFuzz ;;
    *)
        echo "fuzz: unknown target $target" >&2
        exit 2
        ;;
    esac
    build "$executable" >/dev/null
    budget=$seconds
    [ "$target" = TranslateFuzz ] || budget=$(((seconds + 5) / 6))
    limit=(-max_total_time="$budget")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    seeds=()
    [ -d "Fuzz/Corpus/$target" ] && seeds=("Fuzz/Corpus/$target")
    if [ -n "${FUZZ_RUNS:-}" ]; then echo "== $target ($FUZZ_RUNS runs)"; else echo "== $target ($budget s)"; fi
    log=".build-fuzz/$target.log"
    status=0
    BYOKY_FUZZ_TARGET=$target ".build-fuzz/release/$executable" "$corpus" "${seeds[@]}" "${limit[@]}" \
        -rss_limit_mb=1024 -timeout=5 -max_len=65536 -artifact_prefix=".build-fuzz/artifacts/$target-" \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E "^(stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|#[0-9]+ *DONE)" "$log" || true
    # A finding (a crash, a failed check, a time-out or memory blow-up) fails the run.
    if [ "$status" -ne 0 ]; then
        grep -E "runtime failure|ERROR|SUMMARY|Test unit written" "$log" | head -n 8 >&2 || true
        echo "fuzz: $target failed (exit $status); the whole output is in $log" >&2
        exit 1
    fi
done
