#!/usr/bin/env bash
# The token board under load (issue 16): GET /gifts with 10,000 listed gifts (p50/p99 against
# /health, measured in the same run) and heartbeats per second, on SQLite and on PostgreSQL (a
# throw-away cluster from scripts/postgres.sh, with fsync on). Release build.
# Usage: Benchmarks/Marketplace/run.sh [gifts] [requests per lane] [engines, default "sqlite postgres"]
set -euo pipefail
cd "$(dirname "$0")/../.."
gifts=${1:-10000}
requests=${2:-300}
engines=${3:-sqlite postgres}
swift build -c release --static-swift-stdlib --product byoky-marketplace >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; scripts/postgres.sh stop "$work/postgres" || true; rm -rf "$work"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $gifts gifts; $requests requests per lane"
for engine in $engines; do
    case "$engine" in
    sqlite) storage=(--data "$work/data") ;;
    postgres) storage=(--database-url "$(scripts/postgres.sh start "$work/postgres")") ;;
    *) echo "unknown engine $engine (sqlite or postgres)" >&2; exit 2 ;;
    esac
    .build/release/byoky-marketplace --port 0 "${storage[@]}" --listings-per-minute 100000000 \
        --heartbeats-per-minute 100000000 > "$work/board-$engine.log" &
    board=$!
    for _ in $(seq 100); do grep -q http "$work/board-$engine.log" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/board-$engine.log")
    echo "== $engine"
    python3 Benchmarks/Marketplace/bench.py --url "$url" --gifts "$gifts" --requests "$requests"
    kill "$board"; wait "$board" 2>/dev/null || true
done
