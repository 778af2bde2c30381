"""Entry point of the frozen build: DualRandom(.exe) and DualRandom-cli(.exe).

The windowed Windows executable has no console: a command's output then goes
nowhere instead of failing on a missing sys.stdout.
"""

from __future__ import annotations

import os
import sys

if sys.stdout is None:  # pythonw / windowed build
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
