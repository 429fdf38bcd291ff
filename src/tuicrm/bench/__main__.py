"""``python -m tuicrm.bench``: see ``tuicrm.bench``."""

from __future__ import annotations

import sys

from tuicrm.bench.run import main

if __name__ == "__main__":
    sys.exit(main())
