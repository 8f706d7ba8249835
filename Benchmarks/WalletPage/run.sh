#!/usr/bin/env bash
# Server render time of the wallet page's Log with a large audit log (issue 15: p99 <= 50 ms at
# 1,000,000 rows). Release build of the wallet; the rows are written straight into a fresh
# wallet's SQLite file before the daemon starts; requests go over loopback HTTP on one keep-alive
# connection, so each time is the page's render plus one loopback round trip (the "health" lane
# measures that floor in the same run).
# Usage: Benchmarks/WalletPage/run.sh [rows] [requests per lane]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
requests=${2:-200}
swift build -c release --static-swift-stdlib --product byoky >/dev/null
bin=$PWD/.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
"$bin/byoky" init --password-file "$work/password" >/dev/null
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $rows rows; $requests requests per lane"
python3 Benchmarks/WalletPage/bench.py --byoky "$bin/byoky" --password-file "$work/password" \
    --rows "$rows" --requests "$requests"
