"""Entry point: `dualrandom` / `python -m app`.

With no subcommand the GUI starts; with one, the headless job runs and the
process exits with its status (see app/cli.py).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
