"""The JSON export's rows on two cores (issue #20): SQLite building each row's text is most of a
100 000-customer export, and it runs without the GIL, so two connections build it at once.

Each table's rows are cut into chunks by ranges of their leading sort key (``STEP`` customers,
opportunities, … at a time), which keeps the file's order: chunk after chunk is the table's own
order. The two workers take the chunks in turn, each on its own connection; this thread writes
them in order, each worker at most ``AHEAD`` chunks ahead (memory stays flat).

The two connections must read one snapshot, as the one-connection export does: both start their
read transaction while ``PRAGMA data_version`` of a third connection stays the same (no writer
committed in between); otherwise, after a few tries, the export runs on one connection.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tuicrm.io.export.json_rows import Shaped, shape, text_batches
from tuicrm.io.export.rows import JSON_SECTIONS, Source
from tuicrm.io.export.tabular import RowTexts

if TYPE_CHECKING:
    import sqlalchemy as sa

WORKERS = 2
STEP = 500  # leading-key values per chunk
AHEAD = 1  # chunks a worker may hold before they are written
TRIES = 3


def snapshot_connections(engine: sa.Engine, n: int = WORKERS) -> list[sa.Connection] | None:
    """``n`` connections in one read snapshot, or None (writers kept committing meanwhile)."""
    probe = engine.raw_connection()
    try:
        for _ in range(TRIES):
            before = probe.cursor().execute("PRAGMA data_version").fetchone()[0]
            conns = [engine.connect() for _ in range(n)]
            for conn in conns:  # BEGIN (the engine's), then a read: the snapshot is taken
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").all()
            if probe.cursor().execute("PRAGMA data_version").fetchone()[0] == before:
                return conns
            for conn in conns:
                conn.close()
        return None
    finally:
        probe.close()


@contextmanager
def parallel_sections(
    engine: sa.Engine, *, unmasked: bool, include_archived: bool
) -> Iterator[Iterator[tuple[str, RowTexts]] | None]:
    """For the block: the JSON export's sections (key, rows' texts) built on two connections,
    or None: one connection it is (no common snapshot, or a table SQLite cannot write). The
    workers stop and the connections close when the block ends."""
    conns = snapshot_connections(engine)
    if conns is None:
        yield None
        return
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        sources = [Source(None, include_archived=include_archived, conn=c) for c in conns]
        plans = []
        for key, table_name in JSON_SECTIONS:
            made = [
                shape(s, table_name, s.table_query(table_name), unmasked=unmasked, ranged=True)
                for s in sources
            ]
            if any(m is None for m in made):
                yield None
                return
            plans.append((key, made, _ranges(sources[0], table_name)))
        yield _run(sources, plans, unmasked, stop, threads)
    finally:
        stop.set()
        for t in threads:
            t.join()
        for conn in conns:
            conn.close()


def _ranges(source: Source, table_name: str) -> list[tuple[int, int]]:
    import sqlalchemy as sa

    key = source.leading_key(table_name)
    # the keys that join an (integer) id; any other stored value joins nothing: no row of it
    whole = sa.func.typeof(key) == "integer"
    low, high = source.conn.execute(sa.select(sa.func.min(key), sa.func.max(key)).where(whole)).one()
    if low is None:
        return []
    return [(start, start + STEP) for start in range(int(low), int(high) + 1, STEP)]


def _run(
    sources: list[Source],
    plans: list[tuple[str, list[Shaped | None], list[tuple[int, int]]]],
    unmasked: bool,
    stop: threading.Event,
    threads: list[threading.Thread],
) -> Iterator[tuple[str, RowTexts]]:
    """Starts the workers (into ``threads``); yields the sections in order as they come."""
    chunks = [(s, bounds) for s, (_key, _made, ranges) in enumerate(plans) for bounds in ranges]
    workers = len(sources)
    outs: list[queue.Queue[Any]] = [queue.Queue(AHEAD) for _ in sources]

    def put(out: queue.Queue[Any], item: Any) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work(w: int) -> None:
        try:
            for n, (s, bounds) in enumerate(chunks):
                if n % workers != w:
                    continue
                shaped = plans[s][1][w]
                assert shaped is not None
                rows = [b for b in text_batches(sources[w], shaped, bounds, unmasked=unmasked) if b]
                if not put(outs[w], rows):
                    return
        except BaseException as exc:  # handed to the writing thread
            put(outs[w], exc)

    for w in range(workers):
        threads.append(threading.Thread(target=work, args=(w,), name=f"export-json-{w}", daemon=True))
        threads[-1].start()
    taken = 0

    def section(s: int) -> Iterator[list[bytes]]:
        nonlocal taken
        while taken < len(chunks) and chunks[taken][0] == s:
            got = outs[taken % workers].get()
            if isinstance(got, BaseException):
                raise got
            taken += 1
            yield from got

    for s, (key, _made, _ranges) in enumerate(plans):
        yield key, RowTexts(section(s))
