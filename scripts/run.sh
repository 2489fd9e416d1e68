#!/usr/bin/env bash
# Install the runtime on a fresh machine and start the dashboard (builds the demo warehouse first time).
#   ./scripts/run.sh [--host H] [--port P] [--db PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python app.py "$@"
