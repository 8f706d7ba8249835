#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs the translation fuzzer.
#   scripts/fuzz.sh [seconds]    (default 30; CI runs the default)
# Seeds come from the translation conformance fixtures; findings land in .build-fuzz/artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library --product TranslateFuzz
corpus=.build-fuzz/corpus
mkdir -p "$corpus" .build-fuzz/artifacts
# Seed: each fixture prefixed with every operation/pair selector that applies to it.
for file in Tests/ByokyTranslateTests/Fixtures/*/*; do
    for selector in $(seq 0 47); do
        name="$corpus/$(basename "$(dirname "$file")")-$(basename "$file")-$selector"
        [ -e "$name" ] || { printf "\\x$(printf %02x "$selector")" > "$name"; cat "$file" >> "$name"; }
    done
done
.build-fuzz/release/TranslateFuzz "$corpus" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=5 \
    -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 2>&1 | tail -n 15
