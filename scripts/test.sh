#!/usr/bin/env bash
# The test command: prepares the Python interop environment, the QR decoder, Chromium and a throw-away
# PostgreSQL cluster, then builds with warnings as errors and runs `swift test`. Extra arguments go to `swift test` (e.g. --filter SSE).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BYOKY_SKIP_PYTHON_SETUP:-}" != "1" ]; then
    scripts/setup-python.sh
fi
scripts/setup-tools.sh
# The servers' suites run on SQLite and on a throw-away PostgreSQL cluster (BYOKY_SKIP_POSTGRES=1: SQLite only).
if [ "${BYOKY_SKIP_POSTGRES:-}" != "1" ] && [ -z "${BYOKY_TEST_POSTGRES_URL:-}" ]; then
    postgres_dir=$(mktemp -d /tmp/byoky-test-postgres.XXXXXX)
    chmod 755 "$postgres_dir"
    trap 'scripts/postgres.sh stop "$postgres_dir/cluster"; rmdir "$postgres_dir" 2>/dev/null || true' EXIT
    BYOKY_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$postgres_dir/cluster" --fast)
    export BYOKY_TEST_POSTGRES_URL
fi
flags=(-Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error)
swift build --build-tests "${flags[@]}"
# The backend-relay template, created and built as a developer would (Chromium drives it below).
# It shares the examples' build folder, so the examples' build later reuses its modules.
if [ "$#" -eq 0 ]; then
    template_dir=$(mktemp -d /tmp/byoky-template.XXXXXX)
    .build/debug/byoky app create "Relay Template" --template backend-relay --parent "$template_dir" \
        --byoky-package "$PWD" --author-name Ana --author-email ana@example.com --author-website "" </dev/null >/dev/null
    export BYOKY_TEST_BACKEND_TEMPLATE="$template_dir/relay-template"
    swift build --package-path "$BYOKY_TEST_BACKEND_TEMPLATE" --scratch-path .build-examples -Xswiftc -warnings-as-errors
    BYOKY_TEST_BACKEND_BINARY="$(swift build --package-path "$BYOKY_TEST_BACKEND_TEMPLATE" --scratch-path .build-examples --show-bin-path)/App"
    export BYOKY_TEST_BACKEND_BINARY
fi
# The browser tests run Chromium, which needs the machine to itself: they run after the rest.
browser='BrowserSDKTests|WalletPageBrowserTests|MarketplaceBrowserTests|AppStoreBrowserTests|VaultBrowserTests'
if [ "$#" -eq 0 ]; then
    # One test target per process: all of them in one process held over 1,024 descriptors at its
    # peak, and Foundation's Process then loses child exits (it watches them with select()), which
    # hung a CI run. `timeout` makes any hang a failure rather than a stalled run; the slowest
    # target takes about 70 s in CI, so a hang costs at most 10 minutes.
    for target in Tests/*Tests; do
        timeout 600 swift test --skip-build --skip "$browser" --filter "$(basename "$target")\\."
    done
else
    swift test --skip-build --skip "$browser" "$@"
fi
if [ "$#" -eq 0 ]; then
    # One at a time: each drives its own Chromium, and timing checks (countdowns, online windows)
    # should not share two cores with two other browsers.
    for suite in ${browser//|/ }; do
        timeout 600 swift test --skip-build --filter "$suite"
    done
    rm -rf "$template_dir"
fi
# Whole runs only (not filtered ones): the examples and doc snippets must build, and short libFuzzer runs.
if [ "$#" -eq 0 ]; then
    # The examples and every Swift block of README.md and docs/ compile as an app outside this package.
    scripts/extract-snippets.py
    swift build --package-path Examples --scratch-path .build-examples -Xswiftc -warnings-as-errors
    # The docs' JavaScript blocks parse (those marked `// snippet: run` also ran in Chromium above).
    for snippet in Examples/DocSnippets/js/*.mjs; do
        node --check "$snippet"
    done
    if [ "${BYOKY_SKIP_FUZZ:-}" != "1" ]; then
        scripts/fuzz.sh "${BYOKY_FUZZ_SECONDS:-30}"
    fi
fi
