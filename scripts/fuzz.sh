#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs them.
#   scripts/fuzz.sh [seconds] [target...]   (default 30 s for TranslateFuzz, a third of it for PathFuzz)
# Seeds: the translation conformance fixtures, and Fuzz/Corpus/<target>/ where checked in.
# Findings land in .build-fuzz/artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(TranslateFuzz PathFuzz)
mkdir -p .build-fuzz/artifacts
for target in "${targets[@]}"; do
    swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
        -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library --product "$target"
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    budget="$seconds"
    case "$target" in
    TranslateFuzz)
        # Each fixture prefixed with every operation/pair selector that applies to it.
        for file in Tests/ByokyTranslateTests/Fixtures/*/*; do
            for selector in $(seq 0 47); do
                name="$corpus/$(basename "$(dirname "$file")")-$(basename "$file")-$selector"
                [ -e "$name" ] || { printf "\\x$(printf %02x "$selector")" > "$name"; cat "$file" >> "$name"; }
            done
        done
        ;;
    *)
        budget=$(( (seconds + 2) / 3 ))
        ;;
    esac
    seeds=()
    [ -d "Fuzz/Corpus/$target" ] && seeds=("Fuzz/Corpus/$target")
    echo "== $target for ${budget} s"
    ".build-fuzz/release/$target" "$corpus" "${seeds[@]}" -max_total_time="$budget" -rss_limit_mb=1024 \
        -timeout=5 -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 2>&1 | tail -n 15
done
