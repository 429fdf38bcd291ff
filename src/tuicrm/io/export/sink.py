"""Writing an export privately while it streams: an exclusive 0600 temporary file beside the
destination, renamed into place only when every row is in (``tuicrm.safefiles``), so a failed
export never leaves half a file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from tuicrm.io.export.common import ExportError

BUFFER = 1 << 20


@contextmanager
def private_file(path: Path, *, force: bool, database: str | None) -> Iterator[BinaryIO]:
    """A binary file to write the export into; committed over ``path`` when the block ends
    without an exception, discarded otherwise. OS errors become one ExportError sentence."""
    from tuicrm import safefiles

    try:
        safefiles.refuse_live_destination(path, database)
        safefiles.check_destination(path, force=force)
        safefiles.remove_leftovers(path.parent if str(path.parent) else Path("."))
        fd, temp = safefiles.private_temp(path)
    except safefiles.FileRefused as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(safefiles.describe_os_error(exc, path)) from None
    fh = os.fdopen(fd, "wb", buffering=BUFFER, closefd=False)
    try:
        yield fh
        fh.flush()
        safefiles.commit_temp(fd, temp, path)
    except BaseException as exc:
        safefiles.discard(temp)
        if isinstance(exc, safefiles.FileRefused):
            raise ExportError(str(exc)) from None
        if isinstance(exc, OSError):
            raise ExportError(safefiles.describe_os_error(exc, path)) from None
        raise
    finally:
        try:
            fh.close()
        except OSError:
            pass
        os.close(fd)
