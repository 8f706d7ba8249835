#!/usr/bin/env bash
# The vault under load (issue 18): /proxy's added latency as a ratio to the local bridge's (same
# upstream, same run), logins per second at the real key derivation, and 1,000 app sessions
# streaming at once (memory of the vault process before and after). Release builds; the vault on
# SQLite, or on a throw-away PostgreSQL with `postgres` as the third argument.
# Usage: Benchmarks/Vault/run.sh [requests per lane] [sessions] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-2000}
sessions=${2:-1000}
engine=${3:-sqlite}
for product in byoky byoky-vault byoky-mock-provider; do
    swift build -c release --static-swift-stdlib --product "$product" >/dev/null
done
bin=.build/release
work=$(mktemp -d)
chmod 755 "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; scripts/postgres.sh stop "$work/postgres" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
ulimit -n 65536 2>/dev/null || true
export BYOKY_HOME="$work/wallet"
printf 'Bench-Password-2026\n' > "$work/password"
printf 'Bench-Vault-Password-2026\n' > "$work/vault-password"
printf 'sk-bench-upstream\n' > "$work/upstream"
wait_for() { for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return; sleep 0.1; done; cat "$1" >&2; exit 1; }

# The mock paces its stream (12 words, 20 ms apart), so the sessions' streams overlap.
"$bin/byoky-mock-provider" --port 0 --api-key-file "$work/upstream" --event-delay-ms 20 > "$work/mock.log" &
wait_for "$work/mock.log" http
mock=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/mock.log" | head -1)
case "$engine" in
sqlite) storage=(--data "$work/vault") ;;
postgres) storage=(--database-url "$(scripts/postgres.sh start "$work/postgres")") ;;
*) echo "engine: sqlite or postgres" >&2; exit 2 ;;
esac
"$bin/byoky-vault" --port 0 "${storage[@]}" > "$work/vault.log" 2>&1 &
vault_pid=$!
wait_for "$work/vault.log" "listening on http"
vault=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/vault.log" | head -1)

"$bin/byoky" init --password-file "$work/password" >/dev/null
"$bin/byoky" key add anthropic --base-url "$mock" --password-file "$work/password" < "$work/upstream" >/dev/null
"$bin/byoky" vault signup --vault "$vault" --username bench_owner --vault-password-file "$work/vault-password" >/dev/null
"$bin/byoky" vault push --password-file "$work/password" >/dev/null
"$bin/byoky" serve --port 0 --password-file "$work/password" > "$work/serve.log" &
wait_for "$work/serve.log" http
bridge=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; vault on $engine"
echo "vault RSS before: $(ps -o rss= -p "$vault_pid") KiB"
# `byoky exec` gives the script a bridge session in ANTHROPIC_API_KEY, as it would any tool.
"$bin/byoky" exec --app bench --bridge "$bridge" -- python3 Benchmarks/Vault/bench.py --mock "$mock" \
    --bridge "$bridge" --vault "$vault" --username bench_owner --password-file "$work/vault-password" \
    --requests "$requests" --sessions "$sessions"
echo "vault RSS after: $(ps -o rss= -p "$vault_pid") KiB (peak $(grep VmHWM /proc/$vault_pid/status | awk '{print $2}') KiB)"
