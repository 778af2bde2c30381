#!/usr/bin/env bash
# Every shared library Qt's xcb platform needs must resolve on this machine.
# Run after installing tools/system-packages.txt and the venv: prints what is
# missing (with the owning package when apt-file knows it) and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
QT="$(.venv/bin/python -c 'import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent / "Qt")')"
missing=0
for lib in "$QT"/plugins/platforms/libqxcb.so "$QT"/plugins/xcbglintegrations/*.so \
           "$QT"/lib/libQt6XcbQpa.so.6 "$QT"/lib/libQt6Gui.so.6 "$QT"/lib/libQt6Widgets.so.6; do
  [ -e "$lib" ] || continue
  if LD_LIBRARY_PATH="$QT/lib" ldd "$lib" | grep 'not found'; then
    echo "  (needed by $lib)"
    missing=1
  fi
done
if [ "$missing" = 1 ]; then
  echo "Qt needs libraries that tools/system-packages.txt does not install." >&2
  exit 1
fi
echo "Qt xcb platform: every shared library resolves."
