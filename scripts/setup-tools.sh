#!/usr/bin/env bash
# Installs the system tools the tests use as referees: zbarimg (Debian's zbar-tools) decodes the
# QR codes the CLI prints; Chromium and its driver (Debian's chromium, chromium-driver) run the
# browser SDK's tests; Node.js checks the docs' JavaScript blocks; PostgreSQL (Debian's postgresql)
# runs the servers' suites on a real database; tmux drives `byoky app init`'s prompts in a real terminal;
# nginx fronts scripts/cluster.sh's instances. Needs apt-get and root (as on CI); elsewhere it says what to install.
set -euo pipefail
missing=()
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup-tools: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
else
    echo "setup-tools: missing ${missing[*]}; install them (apt) to run the QR code, browser and doc snippet checks" >&2
fi
