"""Opening the TUI from the command line (bare ``tuicrm``, ``tuicrm --demo``).

Light at import: Textual loads only here, inside ``open_tui``.
"""

from __future__ import annotations

from tuicrm.cli import reads
from tuicrm.cli.context import load_config, open_store, state
from tuicrm.cli.output import EXIT_NOT_FOUND, fail
from tuicrm.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def open_tui(store: Any) -> None:
    """Run the TUI on ``store``; with None, on the ``--db`` target, painting before the Store opens.

    A current SQLite file (the fast path's schema check) gets a ``DeferredStore``: the first
    screen reads through ``sqlite3`` and the Store (SQLModel) opens in the background after the
    first paint. Anything else (a URL, a new or older database to create or migrate) opens the
    Store first, exactly as before.
    """
    config = None
    target = None
    if store is None:
        target = reads.fast_target(state.db)
        if target is None:
            store = open_store()
        else:
            config = load_config()
    try:
        from tuicrm.ui.app import make_app
    except ImportError:
        fail(_("the TUI is not built yet; use the commands (tuicrm --help)."), EXIT_NOT_FOUND)
    from tuicrm.store.deferred import DeferredStore

    if store is None:
        assert target is not None  # no store yet: the fast path's target was readable

        store = DeferredStore(open_store, target)
    try:
        make_app(store, config if config is not None else store.config).run()
    finally:
        # The database closed as the app ends, also when the terminal went away (SIGHUP, EOF).
        if not isinstance(store, DeferredStore) or store.ready:
            store.dispose()


def ensure_demo(store: Any) -> None:
    """Fill an empty demo database on first use: Chinese data for a rep reading Chinese."""
    from tuicrm.demo import generate
    from tuicrm.i18n import is_chinese

    with store.read() as session:
        has = reads.customer_count(session)
    if not has:
        generate(store, customers=300, seed=1, locale="zh" if is_chinese() else "mixed")
