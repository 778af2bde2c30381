#!/usr/bin/env bash
# Start the real app on Qt's xcb platform under Xvfb with a demo database,
# grab the main window and exit: a missing system library aborts here.
# Usage: tools/smoke-xcb.sh [OUT.png]   (default: build/smoke/main-window.png)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/smoke/main-window.png}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DUALRANDOM_HOME="$work/home"
.venv/bin/dualrandom --db "$work/demo.sqlite" demo --if-empty --targets 2000 >/dev/null
rm -f "$out"
DUALRANDOM_SCREENSHOT="$out" QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1280x720x24" .venv/bin/dualrandom --db "$work/demo.sqlite"
test -s "$out"
echo "xcb start-up: main window grabbed into $out"
