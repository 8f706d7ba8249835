#!/usr/bin/env bash
# Installs the system tools the tests use as referees: zbarimg (Debian's zbar-tools) decodes the
# QR codes the CLI prints. Needs apt-get and root (as on CI); elsewhere it says what to install.
set -euo pipefail
if command -v zbarimg >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "setup-tools: installing zbar-tools (zbarimg)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >/dev/null; }
else
    echo "setup-tools: zbarimg not found; install zbar-tools (apt) or zbar (brew) to run the QR code tests" >&2
fi
