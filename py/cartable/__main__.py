"""``python -m cartable``: the command line (``cartable/cli/``; its actions: ``cli/main.py``)."""

import sys

from cartable.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
