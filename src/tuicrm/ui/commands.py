"""Command palette (ctrl+p): every action of the app and of every screen, each with where it
applies, plus "Open customer …" hits found by searching the database as you type.

A command of another screen is offered too ("Snooze · Customers, Timeline (s)"): choosing it goes
to the first screen that has it and runs it there, on that screen's highlighted row."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.screen import Screen
from textual.widget import Widget

from tuicrm.i18n import _, language
from tuicrm.i18n.names import status_name
from tuicrm.query.customers import find
from tuicrm.ui import text as ut
from tuicrm.ui.messages import OpenCustomer
from tuicrm.ui.screens.help import load_class

# App-level commands: (title, help, app action)
APP_COMMANDS = (
    (_("Customers"), _("Go to the customer list (1)"), "show_customers"),
    (_("Timeline"), _("Follow-ups by day: overdue, today, next 7 days (2)"), "show_timeline"),
    (_("Tier board"), _("Customers in columns A/B/C/D (3)"), "show_tiers"),
    (_("Pipeline"), _("Opportunities by stage, with the forecast (4)"), "show_pipeline"),
    (_("Reports"), _("Weekly report, funnel, forecast, value, lost reasons (5)"), "show_reports"),
    (_("Agenda"), _("Planned visits and calls: overdue, today, this week (6)"), "show_agenda"),
    (_("Leads"), _("BANT-scored leads and their response deadlines (7)"), "show_leads"),
    (_("Receivables"), _("What customers owe, by age, and payments (8)"), "show_receivables"),
    (_("Complaints"), _("Open complaints and their deadlines (9)"), "show_complaints"),
    (_("Toggle overdue panel"), _("Show or hide what to call next (o)"), "toggle_overdue"),
    (_("Search customers"), _("Type to narrow the list (/)"), "search"),
    (_("Undo last change"), _("Shows what it will undo first (u)"), "undo"),
    (_("Help: keys"), _("Every key on every screen (?)"), "help"),
    (_("Quit"), _("Leave tuicrm (q)"), "quit"),
)


# Every screen's keys, for the palette: (the app action that shows it, its name, "module:Class" of
# the screen and of the widgets whose keys work on it). Same classes as the help screen's sections.
SCREEN_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "show_customers",
        _("Customers"),
        (
            "tuicrm.ui.screens.customers:CustomersScreen",
            "tuicrm.ui.widgets.customer_table:CustomerTable",
            "tuicrm.ui.widgets.overdue_panel:OverdueList",
            "tuicrm.ui.widgets.search_input:SearchInput",
        ),
    ),
    ("show_timeline", _("Timeline"), ("tuicrm.ui.screens.timeline:TimelineScreen",)),
    ("show_tiers", _("Tier board"), ("tuicrm.ui.screens.tiers:TierBoardScreen",)),
    ("show_pipeline", _("Pipeline"), ("tuicrm.ui.screens.pipeline:PipelineScreen",)),
    ("show_reports", _("Reports"), ("tuicrm.ui.screens.reports:ReportsScreen",)),
    ("show_agenda", _("Agenda"), ("tuicrm.ui.screens.agenda:AgendaScreen",)),
    ("show_leads", _("Leads"), ("tuicrm.ui.screens.leads:LeadsScreen",)),
    ("show_receivables", _("Receivables"), ("tuicrm.ui.screens.receivables:ReceivablesScreen",)),
    ("show_complaints", _("Complaints"), ("tuicrm.ui.screens.complaints:ComplaintsScreen",)),
)


def command_title(binding: Binding) -> str:
    return binding.description if not binding.tooltip else f"{binding.description}: {binding.tooltip}"


def palette_bindings(cls: type) -> list[Binding]:
    """The bindings of ``cls`` the palette offers: described, not system keys, not scrolling."""
    return [
        b
        for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", []))
        if b.description and not b.system and not b.action.startswith("scroll(")
    ]


@dataclass
class ScreenCommand:
    """One command of the screens: where it applies (screen names, show actions, its keys)."""

    title: str
    action: str
    places: list[tuple[str, str, str, str]] = field(default_factory=list)  # (show, name, class path, key)

    def where(self, skip: frozenset[str] = frozenset()) -> str:
        """The screens it applies to, but those whose class name is in ``skip`` (the current one)."""
        return " · ".join(
            f"{name} ({key})" for _show, name, path, key in self.places if path.partition(":")[2] not in skip
        )


def screen_commands() -> dict[str, ScreenCommand]:
    """Every screen's commands by title, in the order of SCREEN_KEYS (imports the screen modules)."""
    commands: dict[str, ScreenCommand] = {}
    for show, name, paths in SCREEN_KEYS:
        for path in paths:
            cls = load_class(path)
            if cls is None:
                continue
            for binding in palette_bindings(cls):
                title = command_title(binding)
                command = commands.setdefault(title, ScreenCommand(title, binding.action))
                if all(place[0] != show for place in command.places):
                    command.places.append((show, name, path, binding.key.split(",")[0]))
    return commands


# screen_commands() by language, once per process (the screens' bindings do not change).
_SCREEN_COMMANDS: dict[str, dict[str, ScreenCommand]] = {}
_READING: set[str] = set()


def screen_commands_now() -> dict[str, ScreenCommand]:
    """``screen_commands()`` for the language in use, read once (the app's warm-up reads it)."""
    lang = language()
    if lang not in _SCREEN_COMMANDS:
        _SCREEN_COMMANDS[lang] = screen_commands()
    return _SCREEN_COMMANDS[lang]


TYPE_CHECKING = False
if TYPE_CHECKING:
    from tuicrm.store import Store


def language_command(app: Any) -> tuple[str, str, Callable[[], object]]:
    """The palette's language switch: its title names both languages, in their own words."""
    from tuicrm.ui.language import language_name, other_language, switch_language

    target = other_language()
    return (
        _("Language: 中文 / English"),
        _(
            "Show every screen in {name} from now on (this session; set language in config.toml to keep it)"
        ).format(name=language_name(target)),
        partial(app.run_worker, partial(switch_language, app, target), exclusive=True, group="language"),
    )


def safe_highlight(matcher: Matcher, candidate: str) -> Text:
    """Like ``Matcher.highlight`` but without parsing ``candidate`` as markup (it may be user text)."""
    text = Text(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                text.stylize("bold underline", offset, offset + 1)
    return text


class CrmCommands(Provider):
    @property
    def _elsewhere(self) -> dict[str, ScreenCommand] | None:
        """Every screen's commands once read (per language); None while they are being read."""
        return _SCREEN_COMMANDS.get(language())

    async def startup(self) -> None:
        # Importing every screen module takes a moment (more on a first run, compiling them): read
        # off the UI thread, and not waited for — a search lists this screen's and the app's
        # commands at once, the other screens' from the keystroke after they are read.
        lang = language()
        if lang not in _SCREEN_COMMANDS and lang not in _READING:
            _READING.add(lang)

            async def read() -> None:
                try:
                    _SCREEN_COMMANDS[lang] = await asyncio.to_thread(screen_commands)
                finally:
                    _READING.discard(lang)

            self._reader = asyncio.create_task(read())

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (title, help_, partial(app.run_action, action)) for title, help_, action in APP_COMMANDS
        ]
        commands.append(language_command(app))  # "Language: 中文 / English", without a restart
        screen = self.screen
        seen = {title for title, _help, _command in commands}
        nodes = self._screen_nodes(screen)
        here = frozenset(type(node).__name__ for node in nodes)
        for node in nodes:
            for binding in Binding.make_bindings(type(node).__dict__.get("BINDINGS", [])):
                if not binding.description or binding.system or binding.action.startswith("scroll("):
                    continue
                title = command_title(binding)
                if title in seen:
                    continue
                seen.add(title)
                elsewhere = (self._elsewhere or {}).get(title)
                help_ = _("here, key {key}").format(key=binding.key)
                others = elsewhere.where(skip=here) if elsewhere is not None else ""
                if others:
                    help_ = _("{here} · also on {where}").format(here=help_, where=others)
                commands.append((title, help_, partial(node.run_action, binding.action)))
        for title, command in (self._elsewhere or {}).items():
            if title in seen or not command.places:
                continue
            seen.add(title)
            commands.append(
                (title, _("on {where}").format(where=command.where()), partial(self._run_on, command))
            )
        return commands

    async def _run_on(self, command: ScreenCommand) -> None:
        """Go to the first screen that has ``command`` and run it there."""
        app = self.app
        show, _name, path, _key = command.places[0]
        await app.run_action(show)
        cls_name = path.partition(":")[2]
        screen = app.screen
        nodes: list[Widget] = [screen] if type(screen).__name__ == cls_name else list(screen.query(cls_name))
        if nodes:
            await nodes[0].run_action(command.action)

    @staticmethod
    def _screen_nodes(screen: Screen[object]) -> list[Widget]:
        nodes: list[Widget] = [screen]
        for cls_name in ("CustomerTable", "OverdueList", "SearchInput"):
            nodes += [n for n in screen.query(cls_name)]
        return nodes

    async def discover(self) -> Hits:
        for title, help_, command in self._commands():
            yield DiscoveryHit(title, command, help=help_)

    def _open_customer(self, customer_id: int) -> None:
        self.app.post_message(OpenCustomer(customer_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, safe_highlight(matcher, title), command, text=title, help=help_)
        if len(query.strip()) >= 2:
            store = getattr(self.app, "store", None)
            if store is None:
                return
            rows = await asyncio.to_thread(self._find, store, query)
            for row in rows:
                name = ut.clean(row.name)
                display = Text(_("Open customer: "), style="dim")
                display.append(name)
                yield Hit(
                    0.5,
                    display,
                    partial(self._open_customer, row.id),
                    text=_("Open customer: {name}").format(name=name),
                    help=ut.markup_safe(
                        _("{code} · tier {tier} · {status}").format(
                            code=row.code, tier=row.tier, status=status_name(row.status)
                        )
                    ),
                )

    @staticmethod
    def _find(store: Store, query: str) -> list[Any]:
        with store.reading() as conn:
            return find(conn, query, limit=8)
