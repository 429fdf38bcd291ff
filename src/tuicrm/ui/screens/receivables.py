"""The receivables screen (key 8, issue #18): outstanding by customer, the ageing buckets, overdue
ones marked (``!`` as well as colour); record a payment (p) or add a receivable (n) in one form."""

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
from tuicrm.i18n import _
from tuicrm.i18n.names import display
from tuicrm.store import Store
from tuicrm.ui import text as ut
from tuicrm.ui.messages import DataChanged, LoadFailed, OpenCustomer
from tuicrm.ui.shell import mark_read, stale
from tuicrm.ui.widgets.key_footer import KeyFooter

MARK_OVERDUE = "!"


# The customers listed (those owing most); the totals and ageing cover every one.
SHOWN = 500


class BalancesLoaded(Message):
    def __init__(self, balances: Any) -> None:
        super().__init__()
        self.balances = balances


def bucket_label(key: str) -> str:
    return _("not due") if key == "not-due" else key


def ageing_line(buckets: dict[str, Any]) -> Text:
    """'not due 250.00 · 1-30 0.00 · … · ! >90 100.00' (overdue buckets with money marked)."""
    out = Text(end="")
    for n, (key, amount) in enumerate(buckets.items()):
        if n:
            out.append(" · ", style="dim")
        late = key != "not-due" and amount > 0
        out.append(f"{MARK_OVERDUE} " if late else "", style="bold red")
        out.append(f"{bucket_label(key)} ", style="dim")
        out.append(f"{amount:,.2f}", style="bold red" if late else "")
    return out


def balance_prompt(b: Any) -> Text:
    lg = b.ledger
    out = Text(end="")
    late = lg.overdue > 0
    out.append(f"{MARK_OVERDUE} " if late else "  ", style="bold red")
    out.append(f"{b.customer_code}  ")
    out.append_text(ut.line(b.customer_name, style="bold"))
    out.append("\n    ")
    out.append(
        _("outstanding {amount}").format(amount=f"{lg.outstanding:,.2f}"), style="bold" if late else ""
    )
    if late:
        out.append("  " + _("{days} days overdue").format(days=b.max_days_overdue), style="red")
    out.append(" · " + _("received {amount}").format(amount=f"{lg.received:,.2f}"), style="dim")
    if lg.credit > 0:
        out.append(" · " + _("credit {amount}").format(amount=f"{lg.credit:,.2f}"), style="dim")
    if lg.rating:
        out.append(" · " + display("collection_rating", lg.rating), style="dim")
    return out


class ReceivablesScreen(Screen[None]):
    """Customers with receivables, those owing most first, with the ageing of what is owed."""

    BINDINGS = [
        Binding("p", "pay", _("Payment"), id="receivables.pay", tooltip=_("Record a payment in one form")),
        Binding("n", "add", _("New"), id="receivables.add", tooltip=_("Add a receivable")),
        Binding("enter", "open", _("Open"), id="receivables.open", show=False),
        Binding("r", "refresh", _("Refresh"), id="receivables.refresh"),
    ]
    DEFAULT_CSS = """
    ReceivablesScreen { layout: vertical; }
    ReceivablesScreen #rcv-title { height: auto; }
    ReceivablesScreen #rcv-ageing { height: auto; }
    ReceivablesScreen #rcv-list { height: 1fr; }
    ReceivablesScreen #rcv-detail { height: auto; max-height: 6; color: $text-muted; }
    """

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store, self.config = store, config
        self.balances: Any = None
        self.rows: list[Any] = []
        # A customer's open receivables, read when highlighted (reading all 70 000 took seconds).
        self.open_rows: dict[int, list[Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Receivables · loading…"), style="bold"), id="rcv-title")
        yield Static("", id="rcv-ageing")
        yield OptionList(id="rcv-list")
        yield Static("", id="rcv-detail")
        yield KeyFooter()

    @property
    def balance_list(self) -> OptionList:
        return self.query_one("#rcv-list", OptionList)

    def on_mount(self) -> None:
        self.balance_list.focus()

    def on_screen_resume(self) -> None:
        if stale(self):
            self.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        if stale(self):
            self.reload()

    def reload(self) -> None:
        mark_read(self)
        self._load()

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="receivables")
    def _load(self) -> None:
        from tuicrm.clock import today
        from tuicrm.query.receivables_grouped import balances_top

        worker = get_current_worker()
        try:
            with self.store.reading() as conn:
                data = balances_top(conn, today(), self.config, limit=SHOWN)
        except Exception as exc:  # reported in one line, never swallowed
            self.post_message(
                LoadFailed(_("the receivables"), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            )
            return
        if not worker.is_cancelled:
            self.post_message(BalancesLoaded(data))

    @on(BalancesLoaded)
    def _loaded(self, message: BalancesLoaded) -> None:
        previous = self.selected
        self.balances, self.open_rows = message.balances, {}
        # Those owing most first; at scale (50 000 customers with receivables) only the first
        # SHOWN are read and are options: building them all froze the screen for seconds.
        self.rows = list(self.balances.customers[:SHOWN])
        b = self.balances
        more = b.customer_count - len(self.rows)
        overdue = b.overdue_receivables
        title = Text(_("Receivables · "), style="bold", end="")
        title.append(
            _("outstanding {outstanding} · received {received} · {mark} {overdue} overdue").format(
                outstanding=f"{b.outstanding:,.2f}",
                received=f"{b.received:,.2f}",
                mark=MARK_OVERDUE,
                overdue=overdue,
            )
        )
        self.query_one("#rcv-title", Static).update(title)
        self.query_one("#rcv-ageing", Static).update(ageing_line(b.buckets))
        ol = self.balance_list
        index = ol.highlighted or 0
        options = [Option(balance_prompt(r), id=str(r.customer_id)) for r in self.rows]
        if more > 0:
            options.append(
                Option(
                    Text(
                        _("… {count} more customers with receivables (tuicrm receivable list)").format(
                            count=more
                        )
                    ),
                    disabled=True,
                )
            )
        ol.set_options(options)
        if previous is not None:
            index = next((n for n, r in enumerate(self.rows) if r.customer_id == previous.customer_id), index)
        if self.rows:
            ol.highlighted = min(index, len(self.rows) - 1)
            self._highlighted()
        else:
            self.query_one("#rcv-detail", Static).update(Text(_("No receivables: n adds one.")))

    @property
    def selected(self) -> Any:
        index = self.balance_list.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def open_of(self, customer_id: int) -> list[Any]:
        """The customer's open receivables, earliest due first (one indexed read, then kept)."""
        if customer_id not in self.open_rows:
            from tuicrm.clock import today
            from tuicrm.query.receivables import receivable_list

            with self.store.reading() as conn:
                self.open_rows[customer_id] = receivable_list(
                    conn, today(), open_only=True, customer_id=customer_id
                )
        return self.open_rows[customer_id]

    @on(OptionList.OptionHighlighted, "#rcv-list")
    def _highlighted(self) -> None:
        row = self.selected
        if row is None:
            return
        lines = Text(end="")
        for n, r in enumerate(self.open_of(row.customer_id)[:5]):
            if n:
                lines.append("\n")
            mark = f"{MARK_OVERDUE} " if r.overdue else "  "
            lines.append(mark, style="bold red")
            due = r.due_on.isoformat() if r.due_on else "-"
            lines.append(
                _("{code} due {due}: {left} of {amount} outstanding").format(
                    code=r.code, due=due, left=f"{r.outstanding:,.2f}", amount=f"{r.amount:,.2f}"
                )
            )
            if r.overdue:
                lines.append("  " + _("{days} days overdue").format(days=r.days_overdue), style="red")
        self.query_one("#rcv-detail", Static).update(lines)

    def _after(self, result: Any) -> None:
        if result is None:
            return
        from tuicrm.ui.widgets.payment_form import payment_notice

        if "applied" in result.detail:
            self.notify(payment_notice(result.detail), markup=False)
        else:
            self.notify(_("Added {code}.").format(code=result.detail.get("code", "")), markup=False)
        self.reload()

    def action_pay(self) -> None:
        from tuicrm.ui.widgets.payment_form import PaymentForm

        row = self.selected
        code = row.customer_code if row is not None else ""
        first = self.open_of(row.customer_id)[:1] if row is not None else []
        self.app.push_screen(PaymentForm(self.store, code, first[0].code if first else ""), self._after)

    def action_add(self) -> None:
        from tuicrm.ui.widgets.receivable_form import ReceivableForm

        row = self.selected
        self.app.push_screen(
            ReceivableForm(self.store, self.config, row.customer_code if row is not None else ""), self._after
        )

    def action_open(self) -> None:
        row = self.selected
        if row is not None:
            self.post_message(OpenCustomer(row.customer_id))

    @on(OptionList.OptionSelected, "#rcv-list")
    def _selected(self) -> None:
        self.action_open()
