"""The leads screen (key 7): leads by class, the nearest deadline first, with hours left or
overdue; add, score (the four BANT answers with their reasons), touch, convert, drop."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuicrm.config import Config
from tuicrm.domain.leads import class_label, response_action, time_left_label
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui import toasts
from tuicrm.ui.messages import DataChanged, LoadFailed
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.key_footer import KeyFooter
from tuicrm.ui.widgets.paged_list import PagedList

MARK_OVERDUE = "!"


# Leads read at once (the first of 20 000 at 100 000 customers); more as the rep scrolls.
FIRST_READ = 200


class LeadsLoaded(Message):
    def __init__(self, page: Any, now: Any) -> None:
        super().__init__()
        self.page, self.now = page, now


def deadline_text(row: Any, now: Any) -> str:
    """'! first call: 3 h overdue' / 'send material: 40 h left' / 're-score on 2027-02-26'."""
    if row.waiting:
        words = f"{response_action(row.score_class)}: {time_left_label(row.respond_by, now)}"
        return f"{MARK_OVERDUE} {words}" if row.respond_by <= now else words
    if row.status == "nurturing" and row.rescore_on is not None:
        return _("re-score on {date}").format(date=row.rescore_on.isoformat())
    return display("lead_status", row.status)


def lead_prompt(row: Any, now: Any) -> Text:
    out = Text(end="")
    out.append(f"{class_label(row.score_class):<6} {row.score:>2}  ", style="bold")
    out.append(f"{row.code}  ")
    out.append_text(ut.line(row.company, style="bold"))
    out.append("\n   ")
    overdue = row.waiting and row.respond_by <= now
    out.append(deadline_text(row, now), style="bold" if overdue else "dim")
    if row.contact_name:
        out.append(" · ")
        out.append_text(ut.line(" ".join(p for p in (row.contact_name, row.contact_title) if p), style="dim"))
    return out


class LeadsScreen(Screen[None]):
    """Open leads by class (high, medium, low), the nearest deadline first."""

    BINDINGS = [
        Binding("a", "add", _("Add"), id="leads.add"),
        Binding("s", "score", _("Score"), id="leads.score"),
        Binding(
            "t", "touch", _("Contacted"), id="leads.touch", tooltip=_("Log a touch: the deadline is met")
        ),
        Binding("c", "convert", _("Convert"), id="leads.convert"),
        Binding("x", "drop", _("Drop"), id="leads.drop", tooltip=_("Disqualify, with the reason")),
        Binding("r", "refresh", _("Refresh"), id="leads.refresh"),
    ]
    DEFAULT_CSS = """
    LeadsScreen { layout: vertical; }
    LeadsScreen #leads-list { height: 1fr; }
    LeadsScreen #leads-why { height: auto; max-height: 6; color: $text-muted; }
    """

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store, self.config = store, config
        self.rows: list[Any] = []
        self.now: Any = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Leads · loading…"), style="bold"), id="leads-title")
        yield PagedList(id="leads-list")
        yield Static("", id="leads-why")
        yield KeyFooter()

    @property
    def leads_list(self) -> PagedList:
        return self.query_one("#leads-list", PagedList)

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def on_mount(self) -> None:
        self.leads_list.focus()

    def on_data_changed(self, message: DataChanged) -> None:
        if stale(self):
            self.reload()

    def reload(self) -> None:
        mark_read(self)
        # Enough rows that the highlighted lead is read again (it keeps its place).
        highlighted = self.leads_list.highlighted if self.is_mounted else None
        self._load(max(FIRST_READ, (highlighted or 0) + FIRST_READ))

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="leads")
    def _load(self, limit: int = FIRST_READ) -> None:
        from tuicrm.query.leads import lead_page
        from tuicrm.store.lean.clock import utcnow

        worker = get_current_worker()
        now = utcnow()
        try:
            with self.store.reading() as conn:
                page = lead_page(conn, now, limit=limit)
        except Exception as exc:  # reported in one line, never swallowed
            self.post_message(
                LoadFailed(_("the leads"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            )
            return
        if not worker.is_cancelled:
            self.post_message(LeadsLoaded(page, now))

    def _read_more(self, offset: int, limit: int) -> list[Any]:
        """The next leads in the list's order, for ``PagedList`` (a page read, maybe in a thread)."""
        from tuicrm.query.leads import lead_page

        try:
            with self.store.reading() as conn:
                return list(lead_page(conn, self.now, limit=limit, offset=offset).rows)
        except Exception as exc:  # reported in one line; the list stops where it is until a reload
            self.post_message(
                LoadFailed(_("the leads"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            )
            return []

    @on(LeadsLoaded)
    def _loaded(self, message: LeadsLoaded) -> None:
        previous = self.selected
        page = message.page
        self.rows, self.now = list(page.rows), message.now
        title = Text(_("Leads · "), style="bold", end="")
        title.append(
            _("{high} high · {medium} medium · {low} low · {mark} {overdue} past the deadline").format(
                mark=MARK_OVERDUE, overdue=page.overdue, **page.by_class
            )
        )
        self.query_one("#leads-title", Static).update(title)
        ol = self.leads_list
        index = ol.highlighted or 0
        if previous is not None:
            index = next((n for n, r in enumerate(self.rows) if r.code == previous.code), index)
        now = self.now
        ol.show(
            self.rows,
            lambda r: Option(lead_prompt(r, now), id=r.code),
            index,
            total=page.total,
            fetch=self._read_more,
        )
        if self.rows:
            ol.highlighted = min(index, len(self.rows) - 1)
        else:
            self.query_one("#leads-why", Static).update(Text(_("No open leads: a adds one.")))

    @property
    def selected(self) -> Any:
        index = self.leads_list.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    @on(OptionList.OptionHighlighted, "#leads-list")
    def _highlighted(self) -> None:
        row = self.selected
        if row is not None:
            self.query_one("#leads-why", Static).update(Text("  ".join(self._reasons(row))))

    def _reasons(self, row: Any) -> list[str]:
        from tuicrm.clock import today
        from tuicrm.domain.leads import BantAnswers, bant_score

        answers = BantAnswers(
            budget_text=row.budget_text,
            title=row.contact_title,
            needs=row.needs,
            purchase_by=row.purchase_by,
            is_decision_maker=row.is_decision_maker,
            need_clear=row.need_clear,
            purchase_soon=row.purchase_soon,
        )
        return list(bant_score(answers, today(), self.config.leads).reasons)

    def _need_row(self) -> Any:
        row = self.selected
        if row is None:
            self.notify(toasts.pick_first(_("a lead")), severity="warning", markup=False)
        return row

    def _after(self, result: Any) -> None:
        if result is not None:
            self.reload()

    def action_add(self) -> None:
        from tuicrm.ui.widgets.lead_forms import LeadForm

        self.app.push_screen(LeadForm(self.store, self.config), self._after)

    def action_score(self) -> None:
        from tuicrm.ui.widgets.lead_forms import ScoreForm

        row = self._need_row()
        if row is not None:
            self.app.push_screen(ScoreForm(self.store, self.config, row, self._reasons(row)), self._after)

    def action_drop(self) -> None:
        from tuicrm.ui.widgets.lead_forms import DropForm

        row = self._need_row()
        if row is not None:
            self.app.push_screen(DropForm(self.store, row), self._after)

    def action_convert(self) -> None:
        from tuicrm.store.leads import matching_customers, resolve_lead
        from tuicrm.ui.widgets.lead_forms import ConvertForm

        row = self._need_row()
        if row is None:
            return
        with self.store.read() as session:
            matches = [(c.code, c.name) for c in matching_customers(session, resolve_lead(session, row.code))]
        self.app.push_screen(ConvertForm(self.store, self.config, row, matches), self._converted)

    def _converted(self, result: Any) -> None:
        if result is None:
            return
        self.reload()
        self.notify(
            _("Converted into {customer}, opportunity #{opp}.").format(
                customer=result.detail["customer"], opp=result.detail["opportunity_id"]
            ),
            markup=False,
        )

    def action_touch(self) -> None:
        from tuicrm.ui.background import write_in_background

        row = self._need_row()
        if row is None:
            return
        code = row.code

        def work() -> str:
            from tuicrm.store.leads import resolve_lead, touch_lead

            with self.store.write(f"touch lead {code}") as session:
                touch_lead(session, resolve_lead(session, code))
            return code

        def done(_code: str) -> None:
            self.notify(_("{code}: contacted.").format(code=code), markup=False)
            data_changed = getattr(self.app, "data_changed", None)
            if data_changed is not None:
                data_changed()
            else:
                self.reload()

        def failed(exc: Exception) -> None:
            self.notify(str(exc), severity="error", markup=False)

        write_in_background(self, work, done, failed)
