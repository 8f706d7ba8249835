#!/usr/bin/env bash
# Median time to first byte and whole-stream time of 21 streaming requests (a 500-word answer).
#   stream-timing.sh <url> <key>
set -euo pipefail
body='{"model":"mock-words-500","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Stream"}]}'
samples=$(mktemp)
for _ in $(seq 21); do
    curl -s -o /dev/null -w '%{time_starttransfer} %{time_total}\n' -H "x-api-key: $2" \
        -H 'content-type: application/json' -d "$body" "$1" >> "$samples"
done
ttfb=$(cut -d' ' -f1 "$samples" | sort -n | sed -n 11p)
total=$(cut -d' ' -f2 "$samples" | sort -n | sed -n 11p)
rm -f "$samples"
awk -v t="$ttfb" -v a="$total" 'BEGIN { printf "TTFB %.3f ms, whole stream %.3f ms\n", t * 1000, a * 1000 }'
