#!/usr/bin/env bash
# Runs the benchmarks in release mode. Record results in docs/BENCHMARKS.md with the machine
# (lscpu "Model name", core count) and this command.
#   scripts/benchmark.sh            # throughput (MB/s) on a 50 MB stream, then the malloc benchmarks
#   scripts/benchmark.sh --quick    # throughput only
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
swift build -c release --product byoky-bench
.build/release/byoky-bench 50 5
if [ "${1:-}" != "--quick" ]; then
    swift package --disable-sandbox benchmark --target SSEDecoding
fi
