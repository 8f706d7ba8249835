#!/usr/bin/env bash
# Creates .venv with the Python packages the interop tests use (Tests/Interop/requirements.txt).
# Safe to run again: it reinstalls only when the requirements change.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
    echo "setup-python: $python not found; install Python 3.9 or newer (e.g. apt-get install python3 python3-venv)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python3 ]; then
    "$python" -m venv .venv || {
        echo "setup-python: could not create .venv; on Debian install python3-venv" >&2
        exit 1
    }
fi
stamp=.venv/.requirements.sha256
wanted=$(sha256sum Tests/Interop/requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    .venv/bin/python3 -m pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
    echo "$wanted" > "$stamp"
fi
echo "python: $(.venv/bin/python3 --version) in .venv"
