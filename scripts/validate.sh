#!/usr/bin/env bash
# Checks formatting with the toolchain's swift-format. Fix with:
#   swift format --in-place --parallel --recursive Package.swift Plugins Sources Tests Benchmarks Fuzz Examples
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --parallel --recursive Package.swift Plugins Sources Tests Benchmarks/Package.swift Benchmarks/Benchmarks Benchmarks/Sources Fuzz/Package.swift Fuzz/Sources Examples/Package.swift Examples/Sources
echo "format: ok"
