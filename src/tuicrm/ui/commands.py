"""Command palette (ctrl+p): every action of the app and of the current screen, plus
"Open customer …" hits found by searching the database as you type."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.screen import Screen
from textual.widget import Widget

from tuicrm.i18n import _
from tuicrm.i18n.names import status_name
from tuicrm.query.customers import find
from tuicrm.ui import text as ut
from tuicrm.ui.messages import OpenCustomer

# App-level commands: (title, help, app action)
APP_COMMANDS = (
    (_("Customers"), _("Go to the customer list (1)"), "show_customers"),
    (_("Timeline"), _("Follow-ups by day: overdue, today, next 7 days (2)"), "show_timeline"),
    (_("Tier board"), _("Customers in columns A/B/C/D (3)"), "show_tiers"),
    (_("Pipeline"), _("Opportunities by stage, with the forecast (4)"), "show_pipeline"),
    (_("Reports"), _("Weekly report, funnel, forecast, value, lost reasons (5)"), "show_reports"),
    (_("Toggle overdue panel"), _("Show or hide what to call next (o)"), "toggle_overdue"),
    (_("Search customers"), _("Type to narrow the list (/)"), "search"),
    (_("Undo last change"), _("Shows what it will undo first (u)"), "undo"),
    (_("Help: keys"), _("Every key on every screen (?)"), "help"),
    (_("Quit"), _("Leave tuicrm (q)"), "quit"),
)


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
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (title, help_, partial(app.run_action, action)) for title, help_, action in APP_COMMANDS
        ]
        commands.append(language_command(app))  # "Language: 中文 / English", without a restart
        screen = self.screen
        seen = {title for title, _help, _command in commands}
        for node in self._screen_nodes(screen):
            for binding in Binding.make_bindings(type(node).__dict__.get("BINDINGS", [])):
                if not binding.description or binding.system or binding.action.startswith("scroll("):
                    continue
                title = (
                    binding.description
                    if not binding.tooltip
                    else f"{binding.description}: {binding.tooltip}"
                )
                if title in seen:
                    continue
                seen.add(title)
                commands.append(
                    (title, _("key {key}").format(key=binding.key), partial(node.run_action, binding.action))
                )
        return commands

    @staticmethod
    def _screen_nodes(screen: Screen[object]) -> list[Widget]:
        nodes: list[Widget] = [screen]
        for cls_name in ("CustomerTable", "OverdueList"):
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
