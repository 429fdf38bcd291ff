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
WRITE_BACK = 64 << 20  # bytes between two requests to write the file back


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


class ThreadedWrites:
    """``fh.write`` in a thread of its own, a few writes queued: the kernel's copy of each batch
    into the file overlaps SQLite building the next (neither holds the GIL while it works).
    ``close()`` waits for every write; an error in the thread is raised in the caller."""

    def __init__(self, fh: BinaryIO, queued: int = 8):
        import queue
        import threading

        self._fh = fh
        self._queue: queue.Queue[bytes | None] = queue.Queue(queued)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        written = 0
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._fh.write(data)
                    written += len(data)
                    if written >= WRITE_BACK:
                        self._write_back()
                        written = 0
                except BaseException as exc:  # handed to the caller
                    self._error = exc

    def _write_back(self) -> None:
        """Start the kernel writing what is in the file so far (the final fsync then waits for
        little) and let it drop those pages from its cache once written."""
        try:
            fd = self._fh.fileno()
        except (AttributeError, OSError, ValueError):
            return  # not a real file
        self._fh.flush()
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)

    def write(self, data: bytes) -> None:
        if self._error is not None:
            self.close()
        self._queue.put(data)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error


@contextmanager
def threaded_writes(fh: BinaryIO) -> Iterator[ThreadedWrites]:
    """``ThreadedWrites`` over ``fh`` for the block: every write done when it ends."""
    writes = ThreadedWrites(fh)
    try:
        yield writes
    finally:
        writes.close()
