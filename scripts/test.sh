#!/usr/bin/env bash
# The test command: prepares the Python interop environment, then builds with warnings as
# errors and runs `swift test`. Extra arguments go to `swift test` (e.g. --filter SSE).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BYOKY_SKIP_PYTHON_SETUP:-}" != "1" ]; then
    scripts/setup-python.sh
fi
flags=(-Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error)
swift build --build-tests "${flags[@]}"
swift test --skip-build "$@"
# A short libFuzzer run over the translators (whole runs only, not filtered ones).
if [ "$#" -eq 0 ] && [ "${BYOKY_SKIP_FUZZ:-}" != "1" ]; then
    scripts/fuzz.sh "${BYOKY_FUZZ_SECONDS:-30}"
fi
