"""The customer list: a virtual table that loads only the rows on screen.

A ``ScrollView`` using the Line API. The virtual height is the row count (from
``count_customers``); ``render_line`` draws rows from a small window fetched with
``search.page(offset, limit)`` in a reader thread. Scrolling outside the window
fetches the next one. 100 000 customers cost a count and a page, never a full load.

Row 0 of the widget is the column header (click a title to sort by it). The columns are in
``columns.py``; the reads (reader threads, the count cache) in ``loader.py``, without Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from tuicrm.i18n import _
from tuicrm.query.connect import today as light_today
from tuicrm.query.customers import count_is_worth_keeping
from tuicrm.query.filters import CustomerFilter
from tuicrm.ui import text as ut
from tuicrm.ui.messages import LoadFailed, WindowLoaded
from tuicrm.ui.textual_compat import update_scrollbars
from tuicrm.ui.widgets.customer_table.columns import (
    Column,
    header_segments,
    layout,
    row_segments,
)
from tuicrm.ui.widgets.customer_table.keys import MARK_BINDINGS, TableKeys
from tuicrm.ui.widgets.customer_table.loader import (
    NO_FILTER,
    WINDOW_MIN,
    Loaded,
    WindowLoader,
    WindowRequest,
    WindowResult,
    store_loader,
)

NOT_BOLD = Style(bold=False)
BOLD = Style(bold=True)
NOT_REVERSE = Style(reverse=False)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.query.customers import CustomerRow
    from tuicrm.store import Store


class CustomerTable(TableKeys, ScrollView, can_focus=True):
    """A window onto the (filtered, sorted) customer list."""

    COMPONENT_CLASSES = {
        "customer-table--header",
        "customer-table--cursor",
        "customer-table--cursor-blur",
        "customer-table--overdue",
        "customer-table--today",
        "customer-table--complaint",
        "customer-table--placeholder",
    }

    BINDINGS = [
        Binding("enter", "open", _("Open"), id="list.open", tooltip=_("Open the customer's detail")),
        Binding("j,down", "cursor_down", _("Down"), show=False, id="list.down"),
        Binding("k,up", "cursor_up", _("Up"), show=False, id="list.up"),
        Binding("pagedown", "page_down", _("Page down"), show=False, id="list.page_down"),
        Binding("pageup", "page_up", _("Page up"), show=False, id="list.page_up"),
        Binding("home,g", "first", _("First"), show=False, id="list.first"),
        Binding("end,G", "last", _("Last"), show=False, id="list.last"),
        *MARK_BINDINGS,
    ]

    class Selected(Message):
        """``enter`` or a double click on a row."""

        def __init__(self, row: CustomerRow) -> None:
            super().__init__()
            self.row = row

    class Counted(Message):
        """A (re)query finished: the total for the current filter (bubbles to the screen and app).

        Whoever must change in the same frame as the rows (the screen's status line) passes
        ``on_counted`` instead: a message is handled after the frame that paints the rows, and
        the status line then took a frame of its own (+10 ms a keystroke in the benchmark).
        """

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    class SortChanged(Message):
        pass

    def __init__(
        self, store: Store, *, on_counted: Callable[[int], None] | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.on_counted = on_counted  # called with each new total, in the same frame as the rows
        self.filter = CustomerFilter()
        self.sort = "name"
        self.descending = False
        self.total: int | None = None
        self.cursor = 0
        self.today = light_today()
        self._gen = 0
        self._offset = 0
        self._rows: list[CustomerRow] = []
        self._inflight: tuple[int, int, int] | None = None
        self._resetting = False
        self.loader: WindowLoader = store_loader(store)  # reader threads and the count cache
        self._recounted_total: tuple[int, int] | None = None  # (generation, count) from recount
        self._columns: list[tuple[Column, int]] = []
        self._columns_width = -1
        # Rendered rows: (index, width, cursor, focused) -> Strip, for the rows in ``_rows``;
        # cleared when the rows, the styles or the layout change.
        self._strips: dict[tuple[int, int, bool, bool], Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._style_sets: dict[str, dict[str, Style]] = {}
        self._render_width: int | None = None
        self.complained: frozenset[int] = frozenset()  # customers with an open complaint: flagged
        self.marks: dict[int, str] = {}  # id -> name of the rows marked for a change to several (keys.py)

    # -- querying -------------------------------------------------------------

    def set_query(
        self,
        *,
        filter: CustomerFilter | None = None,
        sort: str | None = None,
        descending: bool | None = None,
        keep_cursor: bool = False,
        now: bool = False,
        known_total: int | None = None,
    ) -> None:
        """Re-run the count and the first window. A new filter or sort resets the cursor.

        ``now``: wait up to ``SYNC_BUDGET`` for the rows, so a quick read paints with this frame.
        ``known_total``: the count from before; shown with the rows, then rechecked in a worker.
        """
        if filter is not None:
            self.filter = filter
        if sort is not None:
            self.sort = sort
        if descending is not None:
            self.descending = descending
        self._gen += 1
        self._resetting = True
        self._inflight = None
        self.loader.cancel_pending()
        self.today = light_today()
        body = self._body_height()
        if keep_cursor:
            offset = max(0, int(self.scroll_offset.y) - body)
        else:
            self.cursor = 0
            self._rows = []
            self._offset = 0
            self.scroll_to(y=0, animate=False)
            offset = 0
        args = (self._gen, self.filter, self.sort, self.descending, offset, max(WINDOW_MIN, body * 3), True)
        self._load(*args, known_total=known_total, wait=now or known_total is not None)
        if known_total is not None:
            self.recount(self._gen, self.filter)

    def reload(self) -> None:
        self.set_query(keep_cursor=True)

    def set_text(self, text: str) -> None:
        # Search as you type: the rows (and the count) in the same frame as the keystroke when
        # they are read within SYNC_BUDGET. A one-character or two-digit text whose count is
        # known (COUNT_AHEAD, or typed before) only reads its first rows.
        f = self.filter.replace(text=text)
        known = self.loader.known_count(f)
        if known is not None and count_is_worth_keeping(known):  # few matches: their ids are read anyway
            self.set_query(filter=f, known_total=known)
            return
        self.set_query(filter=f, now=True)

    def _load(
        self,
        gen: int,
        f: CustomerFilter,
        sort: str,
        desc: bool,
        offset: int,
        limit: int,
        count: bool,
        known_total: int | None = None,
        wait: bool = True,
    ) -> bool:
        """Read a window in a reader thread; with ``wait``, wait up to ``SYNC_BUDGET`` for it.

        True: the rows are in (this frame paints them). False: they come with ``WindowLoaded``.
        """
        request = WindowRequest(f, sort, desc, offset, limit, count, known_total)
        try:
            result = self.loader.load(request, wait)
        except Exception as exc:  # reported, never swallowed
            self._report(exc)
            self._forget_read(gen, offset)
            return False
        if result is None:  # removed: no more reads
            return False
        if not isinstance(result, Loaded):
            self._deliver(result, gen, offset)
            return False
        self.workers.cancel_group(self, "customer-table")  # an older window still loading is not wanted
        self._apply_window(gen, offset, result.rows, result.total)
        return True

    @work(thread=True, exclusive=True, group="customer-table")
    def _deliver(self, future: Future[WindowResult], gen: int, offset: int) -> None:
        """The rows of a read nobody waits for (or that outlasted ``SYNC_BUDGET``), when it
        finishes (a worker, so ``app.workers`` knows something is loading)."""
        worker = get_current_worker()
        try:
            total, rows = future.result()
        except CancelledError:  # superseded by a newer read
            return
        except Exception as exc:
            if not worker.is_cancelled:
                self._report(exc)
                self.post_message(self._WindowFailed(gen, offset))
            return
        if not worker.is_cancelled:
            self.post_message(WindowLoaded(gen, offset, rows, total))

    def _report(self, exc: BaseException) -> None:
        # To the app itself: a message made while the screen handles a keystroke has the screen
        # as its sender, and Textual stops its bubbling there.
        self.app.post_message(
            LoadFailed(_("the customer list"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        )

    class _WindowFailed(Message):
        def __init__(self, gen: int, offset: int) -> None:
            super().__init__()
            self.gen, self.offset = gen, offset

    @on(_WindowFailed)
    def _window_failed(self, message: _WindowFailed) -> None:
        message.stop()
        self._forget_read(message.gen, message.offset)

    def _forget_read(self, gen: int, offset: int) -> None:
        """A read failed (and was reported): the list is no longer loading it, so the next
        keystroke, scroll or reload reads again instead of waiting on it for ever."""
        if gen != self._gen:
            return
        self._resetting = False
        if self._inflight is not None and self._inflight[1] == offset:
            self._inflight = None

    @work(thread=True, exclusive=True, group="customer-recount")
    def recount(self, gen: int, f: CustomerFilter) -> None:
        """Check a count shown from the loader's cache (another program may have written since)."""
        try:
            total = self.loader.count(f)
        except Exception:  # the shown count stays; the next read of this list reports a failing database
            return
        self.post_message(self._Recounted(gen, f, total))

    class _Recounted(Message):
        def __init__(self, gen: int, f: CustomerFilter, total: int) -> None:
            super().__init__()
            self.gen, self.f, self.total = gen, f, total

    class _CountedAhead(Message):
        def __init__(self, counts: dict[str, int]) -> None:
            super().__init__()
            self.counts = counts

    @on(_Recounted)
    def _recounted(self, message: _Recounted) -> None:
        message.stop()
        gen, f, total = message.gen, message.f, message.total
        self.loader.remember_count(f, total)
        if gen != self._gen:
            return
        self._recounted_total = (gen, total)
        if self._resetting:  # the rows (read with the count from before) are not in yet: they take this one
            return
        if total != self.total:
            self._set_total(total)
            self.refresh()
            self._ensure_window()

    @work(thread=True, exclusive=True, group="customer-count-ahead")
    def _count_ahead(self) -> None:
        try:
            counts = self.loader.count_ahead()
        except Exception:  # only a shortcut: without it the first keystroke counts as before
            return
        self.post_message(self._CountedAhead(counts))

    @on(_CountedAhead)
    def _counted_ahead_done(self, message: _CountedAhead) -> None:
        message.stop()
        self.loader.add_counted_ahead(message.counts)  # a recount since is newer

    @on(WindowLoaded)
    def _window_loaded(self, message: WindowLoaded) -> None:
        message.stop()
        if message.generation != self._gen:
            return
        if message.total is None and (self._inflight is None or self._inflight[1] != message.offset):
            return  # a scroll window overtaken by a newer one (read at once, or asked for since)
        self._apply_window(message.generation, message.offset, message.rows, message.total)

    def _apply_window(self, gen: int, offset: int, rows: list[Any], total: int | None) -> None:
        self._inflight = None
        self._offset = offset
        self._rows = rows
        self._strips.clear()
        if total is not None:
            if self._recounted_total is not None and self._recounted_total[0] == gen:
                total = self._recounted_total[1]  # the recount came first: it is newer than the count assumed
            self._resetting = False
            self._set_total(total)
            self.loader.remember_count(self.filter, total)
            if not self.loader.counted_ahead:
                self.loader.counted_ahead = True
                self._count_ahead()
        self.refresh()
        self._ensure_window()

    def _set_total(self, total: int) -> None:
        self.total = total
        self._update_virtual_size()
        self.cursor = max(0, min(self.cursor, self.total - 1))
        if self.on_counted is not None and self.is_attached:
            self.on_counted(self.total)
        self.post_message(self.Counted(self.total))

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        # Not ``self.virtual_size = size``: that re-lays out the whole screen on each new count.
        update_scrollbars(self, Size(width, (self.total or 0) + 1))

    def _body_height(self) -> int:
        return max(1, (self.scrollable_content_region.height or self.size.height or 20) - 1)

    def _ensure_window(self) -> None:
        """Fetch the window around the visible rows if they are not loaded."""
        if self.total is None or self._resetting or not self.total:
            return
        body = self._body_height()
        top = int(self.scroll_offset.y)
        need_from, need_to = top, min(self.total, top + body)
        have_from, have_to = self._offset, self._offset + len(self._rows)
        if have_from <= need_from and need_to <= have_to:
            return
        offset = max(0, top - body)
        limit = max(WINDOW_MIN, body * 3)
        key = (self._gen, offset, limit)
        if self._inflight == key:
            return
        self._inflight = key
        self._load(self._gen, self.filter, self.sort, self.descending, offset, limit, False)

    # -- rows and cursor --------------------------------------------------------

    def row_at(self, index: int) -> CustomerRow | None:
        if self._offset <= index < self._offset + len(self._rows):
            return self._rows[index - self._offset]
        return None

    @property
    def current_row(self) -> CustomerRow | None:
        if not self.total:
            return None
        return self.row_at(self.cursor)

    @property
    def generation(self) -> int:
        """The current query's number (each ``set_query`` starts a new one)."""
        return self._gen

    @property
    def window(self) -> tuple[int, list[CustomerRow]]:
        """The loaded rows: (index of the first, the rows)."""
        return self._offset, list(self._rows)

    @property
    def recounted_total(self) -> tuple[int, int] | None:
        """(generation, count) of the last recount of a cached count, if any."""
        return self._recounted_total

    @property
    def loading_window(self) -> bool:
        """A scroll window is being read."""
        return self._inflight is not None

    @property
    def busy(self) -> bool:
        return self._resetting or self._inflight is not None

    def move_cursor(self, index: int) -> None:
        if not self.total:
            return
        self.cursor = max(0, min(index, self.total - 1))
        body = self._body_height()
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False)
        self.refresh()
        self._ensure_window()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._ensure_window()

    def on_unmount(self) -> None:
        self.loader.close()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._columns_width = -1
        self._strips.clear()
        self._ensure_window()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._style_sets = {}
        self._strips.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- mouse ----------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        y = event.y
        if y == 0:
            x = 0
            for column, width in self._layout():
                if x <= event.x < x + width + 1 and column.sort:
                    self.sort_by(column.sort)
                    return
                x += width + 1
            return
        index = int(self.scroll_offset.y) + y - 1
        if self.total and 0 <= index < self.total:
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()

    # -- rendering ----------------------------------------------------------------

    def _layout(self, width: int | None = None) -> list[tuple[Column, int]]:
        """The columns for ``width`` (default: the content width; rendering passes the one it has)."""
        if width is None:
            width = self.scrollable_content_region.width or self.size.width
        if width != self._columns_width:
            self._columns = layout(width, bool(self.marks))
            self._columns_width = width
        return self._columns

    def _style(self, name: str) -> Style:
        """The widget's style plus a component class (cached until the styles change)."""
        styles = self._styles
        if styles is None:
            styles = self._styles = {}
        style = styles.get(name)
        if style is None:
            base = self.rich_style
            if name.startswith("component:"):
                style = self.get_component_rich_style(name[len("component:") :])
            else:
                style = base if not name else base + self.get_component_rich_style(name)
            styles[name] = style
        return style

    def _component(self, name: str) -> Style:
        return self._style("component:" + name)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The content width once per render, not once per line (each look costs ~10 µs).
        self._render_width = self.scrollable_content_region.width or self.size.width
        try:
            return super().render_lines(crop)
        finally:
            self._render_width = None

    def render_line(self, y: int) -> Strip:
        width = self._render_width or self.scrollable_content_region.width or self.size.width
        if y == 0:
            return self._header(width, self._style(""))
        index = int(self.scroll_offset.y) + y - 1
        if self.total is None or index >= (self.total or 0):
            if self.total == 0 and y == 1:
                msg = (
                    _("No customers yet. Press n to add one.")
                    if self.filter == NO_FILTER
                    else _("No customers match.")
                )
                return Strip([Segment(ut.fit(msg, width), self._style("customer-table--placeholder"))], width)
            return Strip.blank(width, self._style(""))
        row = self.row_at(index)
        if row is None:
            return Strip([Segment(ut.fit("…", width), self._style("customer-table--placeholder"))], width)
        cursor = index == self.cursor
        focused = cursor and self.has_focus
        key = (index, width, cursor, focused)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._row_strip(row, width, cursor, focused)  # marks clear these
        return strip

    def _row_styles(self, cursor: bool, focused: bool) -> dict[str, Style]:
        """The styles of a row's cells: "" plain, "name", "overdue", "today" (cached like ``_style``)."""
        key = f"row:{cursor}:{focused}"
        styles = self._style_sets.get(key)
        if styles is None:
            plain = (
                self._style("customer-table--cursor" if focused else "customer-table--cursor-blur")
                if cursor
                else self._style("")
            )
            styles = {"": plain, "name": plain + (BOLD if cursor else NOT_BOLD)}
            for kind in ("overdue", "today", "complaint"):
                style = plain + self._component(f"customer-table--{kind}")
                styles[kind] = style + NOT_REVERSE if cursor else style
            self._style_sets[key] = styles
        return styles

    def _row_strip(self, row: CustomerRow, width: int, cursor: bool, focused: bool) -> Strip:
        styles = self._row_styles(cursor, focused)
        flagged, marked = row.id in self.complained, row.id in self.marks
        return Strip(row_segments(row, self._layout(width), self.today, styles, flagged, marked), width)

    def set_complained(self, ids: frozenset[int]) -> None:
        """The customers with an open complaint (read by the screen): their rows are flagged."""
        if ids != self.complained:
            self.complained = ids
            self._strips.clear()
            self.refresh()

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("customer-table--header")
        return Strip(header_segments(self._layout(width), self.sort, self.descending, width, style), width)
