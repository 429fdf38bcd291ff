"""Helpers for the UI tests, on Textual's public API only.

* Screen text: ``screen_lines(app)`` / ``screen_text(app)``: what ``app.export_screenshot()``
  prints (the screen, with the screens under a modal), as lines of text, one per terminal row.
* Styles: ``style_at(app, x, y)`` is ``app.screen.get_style_at``.
* Notifications: ``notifications(app)`` wraps the app's ``notify`` and returns the list of what
  it was asked to show (install it before the app runs; the ``app`` fixture does).
* ``screenshot(app)``: the text and the terminal output (colours, links) of one screenshot.
* ``Host``: a tiny app showing one screen, recording the customers it is asked to open.
* The app-shell fixture database (below): a small hand-built database with a pinned clock
  (2026-11-22 09:00, a Sunday), so counts and snapshots are exact.

Due now (overdue + today), in call-next order:
  Acme Trading Co.     A intent  2026-11-19  3 days overdue, 150 000 open pipeline
  Delta Foods          D won     2026-11-15  7 days overdue
  Beta Logistics       B potent. 2026-11-21  1 day overdue
  Gamma Chemicals 伽马化工 A won  2026-11-22  today
  [@click=app.quit]x[/] C potent. 2026-11-22  today
Not due: Echo Retail (11-25), Foxtrot Media (lost, none), Kilo…Tango (none/future).
Archived: Hotel Systems (overdue, but archived: never counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from textual.app import App

from tuicrm.config import DEFAULT
from tuicrm.store import Store
from tuicrm.store.customers import archive_customer, create_contact, create_customer
from tuicrm.store.followups import log_follow_up
from tuicrm.store.pipeline import add_opportunity
from tuicrm.store.tiers import assess_customer
from tuicrm.ui.messages import OpenCustomer

PINNED = "2026-11-22T09:00"
TODAY = date(2026, 11, 22)
MARKUP_NAME = "[@click=app.quit]x[/]"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def build_crm(store: Store) -> dict[str, int]:
    """The fixture database. Returns customer ids by short key."""
    cfg = DEFAULT
    ids: dict[str, int] = {}
    with store.write("fixture") as s:
        acme = create_customer(
            s,
            "Acme Trading Co.",
            alias="Acme",
            industry="Manufacturing",
            status="intent",
            phone="13812345678",
            email="buy@acme.example",
            tags="key,export",
            kind="B2B",
            source="trade show",
            notes="Prefers calls before 11am.\nAsk for Mr Zhang.",
        )
        assess_customer(
            s,
            cfg,
            acme,
            8,
            9,
            basis="annual purchase > 1M, clear decision chain",
            assessed_on=date(2026, 10, 1),
        )
        create_contact(
            s,
            acme,
            "Zhang Wei",
            title="Purchasing manager",
            role="decision-maker",
            phone="13900001111",
            email="zhang@acme.example",
        )
        create_contact(s, acme, "Li Na", title="Engineer", role="technical-evaluator")
        add_opportunity(
            s, cfg, acme, "2027 annual supply", 150000, stage="proposal", expected_close_on=date(2026, 12, 31)
        )
        log_follow_up(
            s,
            cfg,
            acme,
            "Intro call, sent catalogue",
            channel="phone",
            at=_at(date(2026, 11, 5)),
            next_on=date(2026, 11, 12),
            next_action="follow up on catalogue",
        )
        log_follow_up(
            s,
            cfg,
            acme,
            "Visited the plant, they want a quote",
            channel="visit",
            feedback="price is the concern",
            attitude="positive",
            at=_at(date(2026, 11, 12)),
            next_on=date(2026, 11, 19),
            next_action="send revised quote",
        )
        ids["acme"] = acme.id

        beta = create_customer(s, "Beta Logistics", industry="Logistics", tier="B", phone="021-5555-0101")
        log_follow_up(
            s,
            cfg,
            beta,
            "Asked about volumes",
            at=_at(date(2026, 11, 14)),
            next_on=date(2026, 11, 21),
            next_action="confirm delivery dates",
        )
        ids["beta"] = beta.id

        inj = create_customer(s, MARKUP_NAME, industry="[b]Retail[/b]", tier="C", tags="[red]hot[/red]")
        log_follow_up(
            s,
            cfg,
            inj,
            "[bold]checked[/bold] pricing",
            at=_at(date(2026, 11, 8)),
            next_on=TODAY,
            next_action="[@click=app.quit]call[/]",
        )
        ids["inj"] = inj.id

        delta = create_customer(s, "Delta Foods", industry="Food", status="won", tier="D")
        log_follow_up(
            s,
            cfg,
            delta,
            "Monthly check-in",
            at=_at(date(2026, 10, 16)),
            next_on=date(2026, 11, 15),
            next_action="monthly check-in",
        )
        ids["delta"] = delta.id

        echo = create_customer(s, "Echo Retail", industry="Retail", status="intent", tier="B")
        log_follow_up(
            s,
            cfg,
            echo,
            "Demo went well",
            channel="demo",
            at=_at(date(2026, 11, 20)),
            next_on=date(2026, 11, 25),
            next_action="send contract draft",
        )
        ids["echo"] = echo.id

        fox = create_customer(s, "Foxtrot Media", industry="Media", status="lost", tier="C")
        ids["fox"] = fox.id

        gamma = create_customer(
            s, "Gamma Chemicals 伽马化工", industry="Chemicals", status="won", tier="A", phone="13700002222"
        )
        log_follow_up(
            s,
            cfg,
            gamma,
            "Quarterly review",
            at=_at(date(2026, 11, 15)),
            next_on=TODAY,
            next_action="renewal terms",
        )
        ids["gamma"] = gamma.id

        hotel = create_customer(s, "Hotel Systems", industry="Hospitality", tier="B")
        log_follow_up(s, cfg, hotel, "Old lead", at=_at(date(2026, 9, 1)), next_on=date(2026, 9, 8))
        archive_customer(s, hotel)
        ids["hotel"] = hotel.id

        for n, name in enumerate(
            (
                "Kilo Tools",
                "Lima Textiles",
                "Mike Pharma",
                "November Auto",
                "Oscar Paper",
                "Papa Electronics",
                "Quebec Solar",
                "Romeo Furniture",
                "Sierra Water",
                "Tango Sports",
            )
        ):
            c = create_customer(s, name, industry="Other", tier="CD"[n % 2])
            if n % 3 == 0:
                log_follow_up(s, cfg, c, "Intro", at=_at(date(2026, 11, 20)), next_on=date(2026, 12, 1 + n))
            ids[name.split()[0].lower()] = c.id
    return ids


def open_fixture_store(path: Path) -> tuple[Store, dict[str, int]]:
    store = Store.open(str(path))
    return store, build_crm(store)


async def settle(pilot, rounds: int = 3) -> None:
    """Let worker threads finish and their messages be handled (a worker's handler may start another)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


# -- screen text ---------------------------------------------------------------------------------


class _Printed(Exception):
    """Stops ``export_screenshot`` once the screen is printed (the SVG itself is not needed)."""


def _printed(app: App[Any], styles: bool) -> list[str]:
    """``app.export_screenshot()`` prints the current screen (with the screens under a modal) on a
    recording console, then makes an SVG of it: this reads that console's text instead."""
    recorded: list[str] = []
    export_svg = Console.export_svg

    def record(console: Console, *args: Any, **kwargs: Any) -> str:
        recorded.append(console.export_text(clear=False))
        if styles:
            recorded.append(console.export_text(clear=False, styles=True))
        raise _Printed

    Console.export_svg = record  # type: ignore[method-assign]
    try:
        app.export_screenshot()
    except _Printed:
        pass
    finally:
        Console.export_svg = export_svg  # type: ignore[method-assign]
    return recorded


def _rows(text: str) -> list[str]:
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


@dataclass(frozen=True)
class Screenshot:
    """The current screen as ``app.export_screenshot()`` prints it: its text (one string per
    terminal row, each as wide as the terminal, a wide character as one character), and the same
    cells as a terminal gets them (text with its SGR colours and any OSC 8 link, rows split by
    newlines)."""

    lines: list[str]
    terminal: str


def screenshot(app: App[Any]) -> Screenshot:
    """The current screen's text and terminal output (see ``Screenshot``)."""
    text, terminal = _printed(app, styles=True)
    return Screenshot(_rows(text), terminal)


def screen_lines(app: App[Any]) -> list[str]:
    """The current screen's text, one string per terminal row (see ``Screenshot``)."""
    return _rows(_printed(app, styles=False)[0])


def screen_text(app: App[Any]) -> str:
    """The current screen as text, rows joined with newlines."""
    return "\n".join(screen_lines(app))


def crop_cells(line: str, start: int, end: int) -> str:
    """The part of ``line`` from cell ``start`` up to cell ``end`` (wide characters are 2 cells)."""
    out: list[str] = []
    cells = 0
    for ch in line:
        if cells >= end:
            break
        if cells >= start:
            out.append(ch)
        cells += cell_len(ch)
    return "".join(out)


def region_lines(app: App[Any], region: Any) -> list[str]:
    """The screen's text inside ``region`` (a ``textual.geometry.Region``), one string per row."""
    lines = screen_lines(app)
    return [crop_cells(lines[y], region.x, region.right) for y in range(region.y, region.bottom)]


def style_at(app: App[Any], x: int, y: int) -> Style:
    """The style of the cell at (x, y) of the current screen."""
    return app.screen.get_style_at(x, y)


# -- notifications -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """One notification the app was asked to show."""

    message: str
    title: str = ""
    severity: str = "information"


def notifications(app: App[Any]) -> list[Note]:
    """Every notification ``app`` is asked to show from now on (widgets' and screens' ``notify``
    call the app's). Installing it twice returns the same list."""
    notes: list[Note] | None = getattr(app, "recorded_notifications", None)
    if notes is not None:
        return notes
    recorded: list[Note] = []
    original = app.notify

    def notify(message: str, *, title: str = "", severity: Any = "information", **kwargs: Any) -> None:
        recorded.append(Note(str(message), title, str(severity)))
        original(message, title=title, severity=severity, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.recorded_notifications = recorded  # type: ignore[attr-defined]
    return recorded


def notified(app: App[Any]) -> list[str]:
    """The messages of the notifications recorded so far (``notifications`` must be installed)."""
    return [note.message for note in notifications(app)]


# -- a host app ----------------------------------------------------------------------------------


class Host(App[None]):
    """Shows the screen ``factory`` builds; records the customers it is asked to open."""

    def __init__(self, factory: Any) -> None:
        super().__init__()
        self.factory = factory
        self.opened: list[int] = []

    def on_mount(self) -> None:
        self.push_screen(self.factory())

    def on_open_customer(self, message: OpenCustomer) -> None:
        self.opened.append(message.customer_id)
