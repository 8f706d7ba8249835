#!/usr/bin/env bash
# The relay's added latency per request (p50/p99, against a direct WebSocket echo), frames per
# second through one room and across many rooms, and its memory with many idle connections.
# Starts the release byoky-relay as its own process and measures its RSS from /proc.
# Usage: Benchmarks/Relay/run.sh [requests] [rooms] [connections per room]   (5000 1000 10)
# Needs `ulimit -n` above rooms × connections (the relay and the driver each hold them all).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product byoky-relay >/dev/null
(cd Benchmarks && swift build -c release --product byoky-relay-bench >/dev/null)
Benchmarks/.build/release/byoky-relay-bench .build/release/byoky-relay "${1:-5000}" "${2:-1000}" "${3:-10}" 2>/dev/null
