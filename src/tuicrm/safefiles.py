"""Files on a shared server: exclusive temporary files, atomic renames, ownership checks.

Every file tuicrm writes besides the database itself (backups, exports, the copy kept aside by a
restore) is written to a temporary file with an unpredictable name, created exclusively
(``O_CREAT | O_EXCL | O_NOFOLLOW``, mode 0600, by ``tempfile.mkstemp``) in the destination's
folder, then renamed over the destination (``os.replace``: atomic). A symlink planted by another
user under any name we might use receives nothing: we never open a name we did not just create.

Nothing here chmods, truncates or replaces a file that is not a regular file we own.
``tighten`` is the one place that makes the database and its ``-wal``/``-shm`` private; both the
store (``tuicrm.db``) and the lean read path call it on every open.

No Textual, no SQLAlchemy: the lean CLI path imports this module.
"""

from __future__ import annotations

import os
import stat
import time

from tuicrm.i18n import _

TYPE_CHECKING = False  # no typing, no pathlib at import: the lean read path imports this module
if TYPE_CHECKING:
    from pathlib import Path

TEMP_PREFIX = ".tuicrm-"
TEMP_SUFFIX = ".tmp"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_STARTED = time.time()


class FileRefused(Exception):
    """A file tuicrm will not touch, or could not write, explained in one sentence."""


def side_files(path: Path | str) -> list[Path]:
    """The database's companions SQLite keeps beside it."""
    from pathlib import Path

    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def _lstat(path: Path | str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def make_private_dirs(directory: Path) -> None:
    """Create the missing folders of ``directory`` with mode 0700 (existing ones are left alone)."""

    missing = []
    probe = directory
    while not os.path.lexists(probe):
        missing.append(probe)
        probe = probe.parent
    try:
        for d in reversed(missing):
            d.mkdir(mode=0o700)
            os.chmod(d, 0o700)
    except OSError as exc:
        raise FileRefused(
            _("cannot create the folder {folder}: {error}.").format(folder=directory, error=exc.strerror)
        ) from None


def ours(st: os.stat_result) -> bool:
    """A regular file owned by the user running tuicrm."""
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()


def refuse_unless_regular(path: Path | str, what: str) -> os.stat_result | None:
    """The ``lstat`` of ``path`` (None when missing); a symlink, a directory, a device... refused."""
    st = _lstat(path)
    if st is None:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise FileRefused(
            _(
                "{what} {path} is a symbolic link; tuicrm uses only regular files (give the real path)."
            ).format(what=what, path=path)
        )
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused(_("{what} {path} is a folder, not a file.").format(what=what, path=path))
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(
            _("{what} {path} is not a regular file (a device or a pipe); tuicrm will not touch it.").format(
                what=what, path=path
            )
        )
    return st


def loose_modes(path: Path | str) -> list[tuple[str, int]]:
    """The database and its -wal/-shm that other users can read or write: (path, mode)."""
    found = []
    for p in (str(path), f"{path}-wal", f"{path}-shm"):
        st = _lstat(p)
        if st is not None and stat.S_ISREG(st.st_mode) and st.st_mode & 0o077:
            found.append((p, stat.S_IMODE(st.st_mode)))
    return found


def tighten(path: Path | str) -> list[str]:
    """Make the database and its -wal/-shm private (0644 → 0600: group and other bits dropped,
    nothing added) when they are regular files we own.

    Returns one sentence per file it changed (``tuicrm check`` prints them). Files of other users,
    symlinks and anything that is not a regular file are left alone. Call it on every open.
    """
    done = []
    for p, mode in loose_modes(path):
        # An O_PATH descriptor (Linux): closing it does not drop the POSIX locks this process's
        # SQLite connections hold on the file, as closing an ordinary one would (see db._is_sqlite).
        by_path = hasattr(os, "O_PATH") and os.path.isdir("/proc/self/fd")
        flags = (
            (os.O_PATH | os.O_NOFOLLOW)
            if by_path
            else (os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
        )
        try:
            fd = os.open(p, flags)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not ours(st) or not st.st_mode & 0o077 or not stat.S_ISREG(st.st_mode):
                continue
            new = stat.S_IMODE(st.st_mode) & 0o700  # only take from others: a 0444 -shm stays read-only
            if by_path:
                os.chmod(f"/proc/self/fd/{fd}", new)
            else:
                os.fchmod(fd, new)
        except OSError:
            continue
        finally:
            os.close(fd)
        done.append(
            _("{path} was readable by other users ({mode}); now {new}.").format(
                path=p, mode=f"{mode:04o}", new=f"{new:04o}"
            )
        )
    return done


def same_file(a: Path | str, b: Path | str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_live_destination(dest: Path, database: Path | str | None) -> None:
    """A backup or export must never land on the live database or its -wal/-shm/-journal."""
    from pathlib import Path

    if database is None:
        return
    db = Path(database)
    names = [db, *side_files(db)]
    dest_abs = Path(os.path.abspath(dest))
    for name in names:
        if dest_abs == Path(os.path.abspath(name)) or same_file(dest, name):
            raise FileRefused(
                _("{dest} is the live database or one of its files; choose another name.").format(dest=dest)
            )


def check_destination(dest: Path, *, force: bool) -> None:
    """The destination's folder exists; an existing destination is a regular file, kept unless force."""
    from pathlib import Path

    directory = dest.parent if str(dest.parent) else Path(".")
    if not directory.is_dir():
        raise FileRefused(_("the folder {folder} does not exist.").format(folder=directory))
    st = refuse_unless_regular(dest, _("the destination"))
    if st is not None and not force:
        raise FileRefused(
            _("{dest} already exists; it was kept (add --force to replace it).").format(dest=dest)
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(directory: Path) -> int:
    """Remove temporary files of killed runs: our name pattern, regular files we own, older than
    this run, made by a process that is gone. Returns how many went."""
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    for name in names:
        if not name.startswith(TEMP_PREFIX):
            continue
        body = name[len(TEMP_PREFIX) :]
        pid_text = body.split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _pid_alive(int(pid_text)):
            continue
        p = directory / name
        st = _lstat(p)
        if st is None or not ours(st) or st.st_mtime >= _STARTED:
            continue
        try:
            p.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def private_temp(dest: Path) -> tuple[int, Path]:
    """An exclusive 0600 temporary file beside ``dest`` (unpredictable name): (fd, path)."""
    import tempfile  # here, not at the top: the lean read path imports this module
    from pathlib import Path

    directory = dest.parent if str(dest.parent) else Path(".")
    fd, name = tempfile.mkstemp(dir=directory, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX)
    os.fchmod(fd, 0o600)
    return fd, Path(name)


def discard(temp: Path) -> None:
    """Remove a temporary file of ours and anything SQLite left beside it."""
    for p in (temp, *side_files(temp)):
        st = _lstat(p)
        if st is not None and ours(st):
            try:
                p.unlink()
            except OSError:
                pass


def commit_temp(fd: int, temp: Path, dest: Path, *, durable: bool = True) -> None:
    """fsync the temporary file, check it is still the one we created, rename it over ``dest``.

    ``durable=False`` skips both fsyncs: the rename is still atomic and the file survives the
    process being killed, not a power cut (drafts of open forms: written while the rep types)."""
    if durable:
        os.fsync(fd)
    mine = os.fstat(fd)
    now = _lstat(temp)
    if now is None or (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
        raise FileRefused(
            _("the temporary file beside {dest} was replaced by someone else; nothing was written.").format(
                dest=dest
            )
        )
    os.replace(temp, dest)
    if not durable:
        return
    try:
        dir_fd = os.open(dest.parent if str(dest.parent) else ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_bytes(
    dest: Path,
    data: bytes,
    *,
    force: bool = True,
    database: Path | str | None = None,
    durable: bool = True,
) -> None:
    """Write ``data`` to ``dest`` privately (0600) and atomically; see the module docstring
    (``durable``: see ``commit_temp``)."""
    from pathlib import Path

    refuse_live_destination(dest, database)
    check_destination(dest, force=force)
    remove_leftovers(dest.parent if str(dest.parent) else Path("."))
    fd, temp = private_temp(dest)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        commit_temp(fd, temp, dest, durable=durable)
    except BaseException:
        discard(temp)
        raise
    finally:
        os.close(fd)


def disk_full(exc: BaseException) -> bool:
    """An ENOSPC/EDQUOT OSError or SQLite's 'database or disk is full'."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "disk is full" in text or "no space left" in text


def describe_os_error(exc: OSError, path: Path | str) -> str:
    """An OSError while writing ``path`` as one sentence."""
    import errno

    if disk_full(exc):
        return _("the disk is full; nothing was saved to {path}.").format(path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("{path} cannot be written (permission denied or a read-only file system).").format(path=path)
    return _("cannot write {path}: {error}.").format(path=path, error=exc.strerror or type(exc).__name__)


__all__ = [
    "FileRefused",
    "check_destination",
    "commit_temp",
    "describe_os_error",
    "discard",
    "disk_full",
    "loose_modes",
    "make_private_dirs",
    "ours",
    "private_temp",
    "refuse_live_destination",
    "refuse_unless_regular",
    "remove_leftovers",
    "same_file",
    "side_files",
    "tighten",
    "write_bytes",
]
