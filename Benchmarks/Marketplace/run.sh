#!/usr/bin/env bash
# The token board under load (issue 16): GET /gifts with 10,000 listed gifts (p50/p99 against
# /health, measured in the same run) and heartbeats per second, on SQLite. Release build.
# Usage: Benchmarks/Marketplace/run.sh [gifts] [requests per lane]
set -euo pipefail
cd "$(dirname "$0")/../.."
gifts=${1:-10000}
requests=${2:-300}
swift build -c release --static-swift-stdlib --product byoky-marketplace >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
.build/release/byoky-marketplace --port 0 --data "$work/data" --listings-per-minute 100000000 \
    --heartbeats-per-minute 100000000 > "$work/board.log" &
for _ in $(seq 100); do grep -q http "$work/board.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/board.log")
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $gifts gifts; $requests requests per lane; SQLite"
python3 Benchmarks/Marketplace/bench.py --url "$url" --gifts "$gifts" --requests "$requests"
