"""Helpers beside the store tests: ``dbdump`` (a database as plain data), ``orm_reference``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/ has no packages
