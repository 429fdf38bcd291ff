"""Follow-up timeline (SPEC §7): overdue, today, next 7 days, later, then past logs by day.

Overdue entries carry a "!" marker and the words "N days overdue", not only a colour.
``enter`` opens the customer. Loading runs in a thread worker; only the message
handler touches widgets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuicrm.clock import today as clock_today
from tuicrm.config import Config
from tuicrm.domain.dates import relative_label
from tuicrm.i18n import _, ngettext
from tuicrm.i18n.names import channel_name, weekday
from tuicrm.query.followups import Timeline, TimelineEntry, timeline, timeline_counts
from tuicrm.store import Store
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataChanged, OpenCustomer, Saved
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.board import BoardLoadFailed, ScreenTitle, user_text
from tuicrm.ui.widgets.key_footer import KeyFooter

PAST_DAYS = 14
# Entries shown per section before a "+ show more" line (the list stays quick at 100 000 customers).
SECTION_LIMIT = 100

_MARKERS = {
    "Overdue": ("! ", "bold $text-error"),
    "Today": ("• ", "bold $text-warning"),
    "Next 7 days": ("  ", ""),  # i18n: not shown (the query's section key)
    "Later": ("  ", ""),
}


def section_title(section: str) -> str:
    """A section key of the query (``Overdue``) in the rep's words."""
    titles = {
        "Overdue": _("Overdue"),
        "Today": _("Today"),
        "Next 7 days": _("Next 7 days"),  # i18n: not shown (the key)
        "Later": _("Later"),
    }
    return titles.get(section, section)


MARKED = "*"  # an entry whose customer is marked for a change to several (while any is marked)


def entry_content(entry: TimelineEntry, section: str, today: date, marked: bool | None = None) -> Content:
    """One line: marker, date and how far off, tier, customer (code), what to do / what was said.
    ``marked``: None while nothing is marked; else the line starts with the mark or a blank."""
    line = _entry_line(entry, section, today)
    if marked is None:
        return line
    return Content.assemble((f"{MARKED} ", "bold") if marked else "  ", line)


def _entry_line(entry: TimelineEntry, section: str, today: date) -> Content:
    who = Content.assemble(user_text(entry.name).stylize("bold"), " (", user_text(entry.code), ")")
    text = user_text(entry.text)
    if entry.kind == "logged":
        return Content.assemble(
            "  ✓ ",
            channel_name(entry.channel) if entry.channel else _("log"),
            f" · {entry.tier} · ",
            who,
            *((" — ", text) if text.plain else ()),
        )
    marker, style = _MARKERS.get(section, ("  ", ""))
    rel = relative_label(entry.day, today)
    return Content.assemble(
        (marker, style),
        f"{entry.day.isoformat()} ",
        (f"{rel:<16}", style),
        f" {entry.tier} · ",
        who,
        *((" — ", text) if text.plain else ()),
    )


def preview_content(entry: TimelineEntry, section: str, today: date) -> Content:
    """The highlighted entry in full (wrapped), under the list."""
    head = Content.assemble(
        user_text(entry.name).stylize("bold"),
        " (",
        user_text(entry.code),
        _(") · tier {tier}").format(tier=entry.tier),
    )
    if entry.kind == "logged":
        when = _("Logged {isoformat} by {value}: ").format(
            isoformat=entry.day.isoformat(), value=channel_name(entry.channel) if entry.channel else _("log")
        )
        if entry.about:  # when, with whom, which deal, where, who of us
            head = Content.assemble(head, " · ", user_text(entry.about))
    else:
        rel = relative_label(entry.day, today)
        mark = "! " if section == "Overdue" else ""
        when = _("{mark}Next follow-up {isoformat} ({rel}): ").format(
            mark=mark, isoformat=entry.day.isoformat(), rel=rel
        )
    body = user_text(entry.text) if entry.text else Content(_("(no next action written)"))
    return Content("\n").join([head, Content.assemble(when, body)])


def _heading(text: str, option_id: str) -> Option:
    return Option(Content.assemble((text, "bold reverse")), id=option_id, disabled=True)


class TimelineLoaded(Message):
    def __init__(self, data: Timeline, counts: dict[str, int], today: date) -> None:
        super().__init__()
        self.data = data
        self.counts = counts
        self.today = today


class TimelineList(OptionList):
    BINDINGS = [
        Binding("enter", "select", _("Open"), tooltip=_("Open the customer")),
        Binding("j", "cursor_down", _("Down"), show=False),
        Binding("k", "cursor_up", _("Up"), show=False),
    ]

    DEFAULT_CSS = """
    TimelineList {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option { padding: 0 1; }
        & > .option-list--option-disabled { color: $foreground; }
        &:focus { border: none; }
        &:nocolor:focus > .option-list--option-highlighted { background: $foreground 85%; color: $background; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)


class TimelineScreen(Screen[None]):
    """Pending follow-ups by when they are due, then what was logged, newest day first."""

    BINDINGS = [
        Binding("enter", "open", _("Open"), show=False, id="timeline.open"),
        Binding(
            "right_square_bracket",
            "section(1)",
            _("Next section"),
            key_display="]",
            id="timeline.next_section",
        ),
        Binding(
            "left_square_bracket",
            "section(-1)",
            _("Prev section"),
            key_display="[",
            id="timeline.prev_section",
        ),
        Binding("l", "log", _("Log"), id="timeline.log", tooltip=_("Log a follow-up")),
        Binding("s", "snooze", _("Snooze"), id="timeline.snooze"),
        Binding(
            "space",
            "toggle_mark",
            _("Mark"),
            id="timeline.mark",
            show=False,
            tooltip=_("Mark the customer (again: unmark)"),
        ),
        Binding("shift+down", "extend_mark(1)", _("Mark down"), show=False, id="timeline.mark_down"),
        Binding("shift+up", "extend_mark(-1)", _("Mark up"), show=False, id="timeline.mark_up"),
        Binding("escape", "clear_marks", _("Clear marks"), show=False, id="timeline.clear_marks"),
        Binding(
            "t",
            "change('tag')",
            _("Tag"),
            show=False,
            id="timeline.tag",
            tooltip=_("Add a tag (to the marked)"),
        ),
        Binding(
            "a",
            "change('owner')",
            _("Owner"),
            show=False,
            id="timeline.owner",
            tooltip=_("Assign an owner (to the marked)"),
        ),
        Binding(
            "c",
            "change('status')",
            _("Status"),
            show=False,
            id="timeline.status",
            tooltip=_("Change the status (of the marked)"),
        ),
        Binding(
            "x",
            "change('archive')",
            _("Archive"),
            show=False,
            id="timeline.archive",
            tooltip=_("Archive (u undoes)"),
        ),
        Binding("r", "refresh", _("Refresh"), id="timeline.refresh"),
    ]

    DEFAULT_CSS = """
    TimelineScreen { layout: vertical; }
    TimelineScreen #preview {
        height: 3;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
        background: $surface;
    }
    """

    AUTO_FOCUS = "#timeline"

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        past_days: int = PAST_DAYS,
        section_limit: int = SECTION_LIMIT,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.config = config
        self.past_days = past_days
        self.section_limit = section_limit
        self._entries: dict[str, tuple[TimelineEntry, str]] = {}
        self._today: date = clock_today()
        self._select: str | None = None
        self._follow: str | None = None  # after a log or snooze: the next item of that section
        self._data: Timeline | None = None
        self._counts: dict[str, int] = {}
        self._limits: dict[str, int] = {}
        self.marks: dict[int, str] = {}  # customer id -> name, marked for a change to several

    def compose(self) -> ComposeResult:
        yield ScreenTitle(Content(_("Follow-up timeline · loading…")), id="title")
        yield TimelineList(id="timeline")
        yield Static(Content(""), id="preview")
        yield KeyFooter()

    @property
    def timeline_list(self) -> TimelineList:
        return self.query_one(TimelineList)

    # --- loading --------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def reload(self) -> None:
        mark_read(self)
        option = self.timeline_list.highlighted_option
        self._select = self._follow or (option.id if option is not None else None)
        self._load()

    @work(thread=True, exclusive=True, group="timeline")
    def _load(self) -> None:
        worker = get_current_worker()
        today = clock_today()
        try:
            with self.store.reading() as conn:
                data = timeline(conn, today=today, past_days=self.past_days)
                counts = timeline_counts(conn, today)
        except Exception as exc:  # a locked or broken database: say so, keep the app running
            if not worker.is_cancelled:
                self.post_message(BoardLoadFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(TimelineLoaded(data, counts, today))

    def on_board_load_failed(self, message: BoardLoadFailed) -> None:
        self.query_one("#title", ScreenTitle).update(
            Content(
                _("Follow-up timeline · could not load: {reason} (r retries)").format(reason=message.reason)
            )
        )

    def on_data_changed(self, _message: DataChanged) -> None:
        """The app shell's ``DataChanged`` (a form saved elsewhere, an undo ran)."""
        if stale(self):
            self.reload()

    def on_timeline_loaded(self, message: TimelineLoaded) -> None:
        self._today = message.today
        self._data = message.data
        self._counts = message.counts
        self._rebuild(self._select)
        self._select = self._follow = None
        self._update_title()

    def _update_title(self) -> None:
        counts, today = self._counts, self._today
        title = Content(
            _("Follow-up timeline · {strftime} {isoformat} · {get} overdue · {get2} due today").format(
                strftime=weekday(today),
                isoformat=today.isoformat(),
                get=counts.get("Overdue", 0),
                get2=counts.get("Today", 0),
            )
        )
        if self.marks:
            marked = ngettext("{count} marked", "{count} marked", len(self.marks)).format(
                count=len(self.marks)
            )
            title = Content.assemble(title, " · ", (f"{MARKED} {marked}", "bold reverse"))
        self.query_one("#title", ScreenTitle).update(title)

    def _rebuild(self, select: str | None = None) -> None:
        """Rebuild the list from the loaded data, each section cut at its current limit."""
        data, today = self._data, self._today
        if data is None:
            return
        self._entries = {}
        options: list[Option] = []
        for section, entries in data.sections():
            count = self._counts.get(section, len(entries))
            limit = self._limits.get(section, self.section_limit)
            options.append(_heading(f"{section_title(section)} · {count}", f"h-{section}"))
            if not entries:
                options.append(Option(Content(_("  nothing")), disabled=True, id=f"e-{section}"))
            for entry in entries[:limit]:
                key = f"p{entry.customer_id}"
                self._entries[key] = (entry, section)
                options.append(Option(entry_content(entry, section, today, self._marked(entry)), id=key))
            options.extend(self._more(section, count, len(entries), limit))
        past = [entry for _day, entries in data.past for entry in entries]
        limit = self._limits.get("past", self.section_limit)
        options.append(
            _heading(
                _("Logged in the past {past_days} days · {len}").format(
                    past_days=self.past_days, len=len(past)
                ),
                "h-past",
            )
        )
        if not past:
            options.append(Option(Content(_("  nothing logged")), disabled=True, id="e-past"))
        n = 0
        for day, entries in data.past:
            if n >= limit:
                break
            options.append(
                Option(
                    Content.assemble((f" {weekday(day)} {day.isoformat()} · {len(entries)}", "bold")),
                    id=f"d-{day.isoformat()}",
                    disabled=True,
                )
            )
            for entry in entries:
                if n >= limit:
                    break
                key = f"l{n}"
                n += 1
                self._entries[key] = (entry, "Logged")
                options.append(Option(entry_content(entry, "Logged", today, self._marked(entry)), id=key))
        options.extend(self._more("past", len(past), len(past), limit))
        timeline_list = self.timeline_list
        timeline_list.set_options(options)
        if select and (select in self._entries or select.startswith("m-")):
            try:
                timeline_list.highlighted = timeline_list.get_option_index(select)
            except Exception:
                timeline_list.action_first()
        else:
            timeline_list.action_first()
        self._show_preview()

    def _more(self, section: str, count: int, loaded: int, limit: int) -> list[Option]:
        """The "+N more" line under a cut section: enter shows more when they are loaded."""
        if count <= min(loaded, limit):
            return []
        if loaded > limit:
            step = min(self.section_limit, loaded - limit)
            return [
                Option(
                    Content(
                        _("  + show {step} more of {value} (enter)").format(step=step, value=count - limit)
                    ),
                    id=f"m-{section}",
                )
            ]
        return [
            Option(
                Content(_("  +{value} more not shown").format(value=count - loaded)),
                disabled=True,
                id=f"x-{section}",
            )
        ]

    def _show_more(self, section: str) -> None:
        shown = self._limits.get(section, self.section_limit)
        self._limits[section] = shown + self.section_limit
        # keep the cursor where the new entries start
        keys = [
            k for k, (_e, s) in self._entries.items() if s == section or (section == "past" and s == "Logged")
        ]
        self._rebuild(None)
        if keys:
            timeline_list = self.timeline_list
            last = timeline_list.get_option_index(keys[-1])
            timeline_list.highlighted = last
            timeline_list.action_cursor_down()

    # --- preview and actions ----------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    def _show_preview(self) -> None:
        option = self.timeline_list.highlighted_option
        found = self._entries.get(option.id) if option is not None and option.id else None
        preview = self.query_one("#preview", Static)
        if found is None:
            if option is not None and (option.id or "").startswith("m-"):
                preview.update(
                    Content(
                        _("enter shows the next {section_limit} of this section.").format(
                            section_limit=self.section_limit
                        )
                    )
                )
            else:
                preview.update(Content(_("Nothing to follow up.") if not self._entries else ""))
        else:
            preview.update(preview_content(found[0], found[1], self._today))

    def _current(self) -> TimelineEntry | None:
        option = self.timeline_list.highlighted_option
        found = self._entries.get(option.id) if option is not None and option.id else None
        return found[0] if found else None

    def action_refresh(self) -> None:
        self.reload()

    # --- working through it ------------------------------------------------------------------

    def _next_in_section(self) -> str | None:
        """The item after the highlighted one in its section (else the one before): where the
        cursor goes once the highlighted customer is logged or snoozed out of the section."""
        timeline_list = self.timeline_list
        options, current = timeline_list.options, timeline_list.highlighted
        if current is None:
            return None
        for step in (1, -1):
            j = current + step
            while 0 <= j < len(options):
                option = options[j]
                if option.id and option.id[:2] in ("h-", "d-"):
                    break  # the section ends
                if not option.disabled and option.id in self._entries:
                    return option.id
                j += step
        return None

    def _work_on_current(self, make_form: Any) -> None:
        entry = self._current()
        if entry is None:
            self.notify(toasts.pick_first(_("a follow-up")), markup=False, timeout=3)
            return
        follow = self._next_in_section()

        def done(result: Saved | None) -> None:
            if result is not None:
                self.notify(_("Saved: {label}").format(label=result.label), markup=False, timeout=3)
                self._follow = follow
                self.reload()

        self.app.push_screen(make_form(entry.customer_id), done)

    def action_log(self) -> None:
        from tuicrm.ui.widgets.kept_log_form import new_log_form

        self._work_on_current(
            lambda customer_id: new_log_form(self.app, self.store, self.config, customer_id)
        )

    def action_snooze(self) -> None:
        if self.marks:
            self.action_change("snooze")
            return
        from tuicrm.ui.widgets.snooze import SnoozeForm

        self._work_on_current(lambda customer_id: SnoozeForm(self.store, self.config, customer_id))

    def action_open(self) -> None:
        entry = self._current()
        if entry is not None:
            self.app.post_message(OpenCustomer(entry.customer_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        found = self._entries.get(event.option.id or "")
        if found is not None:
            self.app.post_message(OpenCustomer(found[0].customer_id))
        elif (event.option.id or "").startswith("m-"):
            self._show_more((event.option.id or "")[2:])

    def action_section(self, step: int) -> None:
        """Jump to the first entry of the next (or previous) section."""
        timeline_list = self.timeline_list
        options = timeline_list.options
        headings = [i for i, o in enumerate(options) if o.id and o.id[:2] in ("h-", "d-")]
        current = timeline_list.highlighted or 0
        if step > 0:
            candidates, limit = [h for h in headings if h > current], len(options)
        else:
            own = [h for h in headings if h < current]
            candidates, limit = list(reversed(own[:-1])), (own[-1] if own else 0)
        for heading in candidates:
            following = next((i for i in range(heading + 1, len(options)) if not options[i].disabled), None)
            if following is not None and following < limit and following != current:
                timeline_list.highlighted = following
                return

    # --- marks: one change to several customers (``tuicrm.ui.widgets.bulk_actions``) --------------

    def _marked(self, entry: TimelineEntry) -> bool | None:
        return (entry.customer_id in self.marks) if self.marks else None

    def _show_marks(self) -> None:
        """Each entry's line with its mark (or without the mark column once none is marked)."""
        timeline_list = self.timeline_list
        for key, (entry, section) in self._entries.items():
            timeline_list.replace_option_prompt(
                key, entry_content(entry, section, self._today, self._marked(entry))
            )
        self._update_title()

    def _mark(self, entry: TimelineEntry | None, toggle: bool = False) -> None:
        if entry is None:
            return
        if toggle and entry.customer_id in self.marks:
            del self.marks[entry.customer_id]
        else:
            self.marks[entry.customer_id] = entry.name

    def action_toggle_mark(self) -> None:
        self._mark(self._current(), toggle=True)
        self._show_marks()

    def action_extend_mark(self, step: int) -> None:
        self._mark(self._current())
        timeline_list = self.timeline_list
        timeline_list.action_cursor_down() if step > 0 else timeline_list.action_cursor_up()
        self._mark(self._current())
        self._show_marks()

    def action_clear_marks(self) -> None:
        if self.marks:
            self.marks.clear()
            self._show_marks()

    def action_change(self, action: str) -> None:
        """Snooze, tag, owner, status or archive of the marked customers (else the highlighted one)."""
        from tuicrm.ui.widgets.bulk_actions import start_change

        targets = list(self.marks.items())
        if not targets:
            entry = self._current()
            if entry is None:
                self.notify(toasts.pick_first(_("a follow-up")), markup=False, timeout=3)
                return
            targets = [(entry.customer_id, entry.name)]

        def finished(_label: str) -> None:
            self.marks.clear()
            self.reload()

        start_change(self, self.store, self.config, action, targets, finished)
