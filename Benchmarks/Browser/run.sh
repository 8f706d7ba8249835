#!/usr/bin/env bash
# What byoky.js adds in a real browser: `session.createFetch` against the same request written by
# hand with `fetch` to the bridge, measured alternately in one headless Chromium run (whole
# request, and time to the first chunk of a stream). Release build of the wallet and the mock
# provider; selenium comes from the repository's venv (scripts/setup-python.sh), Chromium from
# scripts/setup-tools.sh.
# Usage: Benchmarks/Browser/run.sh [requests per lane]
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-300}
[ -x .venv/bin/python ] || { echo "run scripts/setup-python.sh first (selenium)" >&2; exit 1; }
command -v chromedriver >/dev/null || { echo "run scripts/setup-tools.sh first (chromium, chromium-driver)" >&2; exit 1; }
swift build -c release --static-swift-stdlib --product byoky >/dev/null
swift build -c release --static-swift-stdlib --product byoky-mock-provider >/dev/null
bin=$PWD/.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
printf 'sk-bench-upstream\n' > "$work/upstream"
"$bin/byoky-mock-provider" --port 0 --api-key-file "$work/upstream" > "$work/mock.log" &
for _ in $(seq 50); do grep -q http "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
mock=$(grep -o '127.0.0.1:[0-9]*' "$work/mock.log")
"$bin/byoky" init --password-file "$work/password" >/dev/null
"$bin/byoky" key add anthropic --base-url "http://$mock" --password-file "$work/password" < "$work/upstream" >/dev/null
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $requests requests per lane"
.venv/bin/python Benchmarks/Browser/bench.py --byoky "$bin/byoky" --password-file "$work/password" \
    --requests "$requests" | tee "$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
lanes = json.load(open(sys.argv[1]))["lanes"]
for whole, sdk in (("fetch", "createFetch"), ("fetchFirstChunk", "createFetchFirstChunk")):
    a, b = lanes[whole]["p50"], lanes[sdk]["p50"]
    print(f"{sdk}: p50 {b:.2f} ms vs {whole} {a:.2f} ms: added {b - a:+.2f} ms ({b / a:.2f}x)")
PY
