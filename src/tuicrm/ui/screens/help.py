"""The ``?`` help screen, generated from the BINDINGS of every screen and widget (so it never drifts
from the keys that really work). ``keys_markdown()`` renders the same table for docs/keys.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from tuicrm.i18n import _
from tuicrm.ui.textual_compat import character_to_key
from tuicrm.ui.widgets.key_footer import KeyFooter

# (section title, "module:Class" whose BINDINGS are listed, extra rows not expressed as bindings)
SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (_("Everywhere"), ("tuicrm.ui.app:TuiCrmApp",), ()),
    (_("Overdue panel (left of the list)"), ("tuicrm.ui.widgets.overdue_panel:OverdueList",), ()),
    (
        _("Customer list (1)"),
        (
            "tuicrm.ui.screens.customers:CustomersScreen",
            "tuicrm.ui.widgets.customer_table:CustomerTable",
            "tuicrm.ui.widgets.search_input:SearchInput",
        ),
        (
            ("/", _("Search as you type (name, code, contact, phone, email)")),
            (_("enter (in search)"), _("Open the first match")),
            (_("esc, down (in search)"), _("Back to the list")),
            (_("tab / shift+tab"), _("Move between panel, search and list")),
            (_("click a column title"), _("Sort by it (click again to reverse)")),
            (
                _("s x t a c (rows marked)"),
                _("Snooze, archive, tag, owner, status: all marked rows, one undo"),
            ),
        ),
    ),
    (
        _("Saved filters (v in the list)"),
        ("tuicrm.ui.screens.saved_filter_picker:SavedFilterPicker",),
        (("1-9", _("Apply the saved filter with that key")), ("enter", _("Apply the highlighted one"))),
    ),
    (_("Customer detail"), ("tuicrm.ui.screens.customer_detail:CustomerDetailScreen",), ()),
    (
        _("A customer's contacts (C on the detail)"),
        ("tuicrm.ui.widgets.contact_picker:ContactPicker", "tuicrm.ui.widgets.contact_picker:ContactList"),
        (
            ("enter", _("Edit the contact (ctrl+r in the form shows its phones)")),
            (_("j / k, ↑ / ↓"), _("Move")),
        ),
    ),
    (
        _("Forms"),
        (
            "tuicrm.ui.widgets.forms:FormScreen",
            "tuicrm.ui.widgets.customer_form:CustomerForm",
            "tuicrm.ui.widgets.contact_form:ContactForm",
            "tuicrm.ui.widgets.followup_form:FollowUpForm",
            "tuicrm.ui.widgets.assessment_form:AssessmentForm",
        ),
        (
            (_("enter (in a text field)"), _("Save")),
            (_("tab / shift+tab"), _("Next / previous field")),
            (_("enter, space (on a choice)"), _("Open the choices; type to jump")),
        ),
    ),
    (
        _("Another writer changed the same fields (after a save)"),
        ("tuicrm.ui.widgets.conflict:ConflictScreen",),
        (),
    ),
    (_("Questions (undo, …)"), ("tuicrm.ui.widgets.confirm:ConfirmModal",), ()),
    (
        _("Possible duplicates (M on the detail)"),
        ("tuicrm.ui.widgets.merge_picker:MergePicker", "tuicrm.ui.widgets.merge_picker:DupeList"),
        (),
    ),
    (
        _("Timeline (2)"),
        ("tuicrm.ui.screens.timeline:TimelineScreen", "tuicrm.ui.screens.timeline:TimelineList"),
        (),
    ),
    (
        _("Tier board (3)"),
        (
            "tuicrm.ui.screens.tiers:TierBoardScreen",
            "tuicrm.ui.widgets.board:Board",
            "tuicrm.ui.widgets.board:BoardList",
        ),
        (),
    ),
    (
        _("Pipeline (4)"),
        (
            "tuicrm.ui.screens.pipeline:PipelineScreen",
            "tuicrm.ui.widgets.board:Board",
            "tuicrm.ui.widgets.board:BoardList",
        ),
        (),
    ),
    (
        _("Moving a card (m on the boards)"),
        (
            "tuicrm.ui.widgets.board:TargetPicker",
            "tuicrm.ui.widgets.stage_move:StageMoveModal",
            "tuicrm.ui.widgets.stage_move:ReasonList",
        ),
        (),
    ),
    (_("Reports (5)"), ("tuicrm.ui.screens.reports:ReportsScreen",), ()),
    (_("Agenda (6)"), ("tuicrm.ui.screens.agenda:AgendaScreen",), ()),
    (_("Leads (7)"), ("tuicrm.ui.screens.leads:LeadsScreen",), ()),
    (_("Receivables (8)"), ("tuicrm.ui.screens.receivables:ReceivablesScreen",), ()),
    (_("Complaints (9)"), ("tuicrm.ui.screens.complaints:ComplaintsScreen",), ()),
    (_("Help"), ("tuicrm.ui.screens.help:HelpScreen",), ()),
)


def section_of(screen: object) -> str | None:
    """The title of the section for ``screen`` (the screen ``?`` was pressed on): the first
    section listing its class or one of its bases (a form: "Forms")."""
    for cls in type(screen).__mro__:
        path = f"{cls.__module__}:{cls.__qualname__}"
        for title, paths, _extra in SECTIONS:
            if path in paths:
                return title
    return None


_DISPLAY = {
    "enter": "enter",
    "escape": "esc",
    "space": "space",
    "tab": "tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_display(key: str) -> str:
    if len(key) == 1:
        key = character_to_key(key)
    if key in _DISPLAY:
        return _DISPLAY[key]
    parts = key.split("+")
    parts[-1] = _DISPLAY.get(parts[-1], format_key(parts[-1]))
    return "+".join(parts)


@dataclass(frozen=True)
class KeyRow:
    keys: str
    description: str
    binding_id: str | None = None


def load_class(path: str) -> Any:
    module, _sep, name = path.partition(":")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None  # a screen that is not built yet


def _own_bindings(cls: type) -> list[Binding]:
    """BINDINGS declared on ``cls`` itself (not inherited from Textual's base widgets)."""
    raw = cls.__dict__.get("BINDINGS", [])
    return list(Binding.make_bindings(raw))


def section_rows(classes: list[Any], keymap: Mapping[str, str] | None = None) -> list[KeyRow]:
    keymap = keymap or {}
    # One row per action, label and binding id: two classes' bindings of one action under different
    # ids (form.save, assess.save) are two rows, since each id is changed on its own in the keymap.
    rows: dict[tuple[str, str, str | None], list[str]] = {}
    for cls in classes:
        for b in _own_bindings(cls):
            if not (b.description or b.tooltip) or b.system:
                continue
            label = b.description if not b.tooltip else f"{b.description}: {b.tooltip}"
            key = keymap.get(b.id, b.key) if b.id else b.key
            slot = (b.action, label, b.id)
            for k in key.split(","):
                shown = key_display(k.strip())
                if shown not in rows.setdefault(slot, []):
                    rows[slot].append(shown)
    return [KeyRow(", ".join(keys), label, binding_id) for (_action, label, binding_id), keys in rows.items()]


def key_sections(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[KeyRow]]]:
    out = []
    for title, paths, extra in SECTIONS:
        classes = [c for c in (load_class(p) for p in paths) if c is not None]
        if not classes:
            continue
        rows = section_rows(classes, keymap)
        rows += [KeyRow(k, d) for k, d in extra]
        if rows:
            out.append((title, rows))
    return out


def keys_markdown(keymap: Mapping[str, str] | None = None) -> str:
    lines = []
    for title, rows in key_sections(keymap):
        lines += [f"### {title}", "", "| Key | Does | Binding id |", "|---|---|---|"]  # i18n: not shown
        for r in rows:
            keys = r.keys.replace("|", "\\|")
            lines.append(f"| `{keys}` | {r.description} | {f'`{r.binding_id}`' if r.binding_id else ''} |")
        lines.append("")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", _("Close help"), id="help.close"),
        Binding("j", "scroll('down')", _("Scroll"), show=False, id="help.down"),
        Binding("k", "scroll('up')", _("Scroll"), show=False, id="help.up"),
    ]
    AUTO_FOCUS = "#help-body"

    def __init__(self, keymap: Mapping[str, str] | None = None, start: str | None = None) -> None:
        """``start``: the title of the section to open at (the current screen's)."""
        super().__init__()
        self.keymap = dict(keymap or {})
        self.start = start

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", can_focus=True):
            yield Static(Text(_("tuicrm keys"), style="bold"), id="help-title")
            for title, rows in key_sections(self.keymap):
                table = Table(
                    title=title,
                    title_justify="left",
                    title_style="bold",
                    show_header=False,
                    box=None,
                    padding=(0, 1),
                    expand=True,
                )
                table.add_column("key", style="bold", no_wrap=True, ratio=1)
                table.add_column("does", ratio=3)
                for r in rows:
                    table.add_row(Text(r.keys), Text(r.description))
                section = Static(table, classes="help-section")
                section.section_title = title  # type: ignore[attr-defined]  # where ``?`` opens
                yield section
            yield Static(
                Text(
                    _('Keys can be changed in config.toml: [keymap] binding-id = "key" (see docs/keys.md).'),
                    style="dim",
                )
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        for section in self.query(".help-section"):
            if getattr(section, "section_title", None) == self.start:
                self.call_after_refresh(
                    self.query_one("#help-body", VerticalScroll).scroll_to_widget,
                    section,
                    animate=False,
                    top=True,
                )
                break

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_down() if direction == "down" else body.scroll_up()


BEGIN_MARK = "<!-- BEGIN GENERATED KEYS: tuicrm.ui.screens.help.keys_markdown() -->"
END_MARK = "\n## Changing keys"  # the generated block runs from BEGIN_MARK to this heading


def generated_block(text: str) -> str:
    """The generated part of docs/keys.md's ``text``."""
    return text.split(BEGIN_MARK, 1)[1].split(END_MARK, 1)[0]


def write_keys_doc(path: str = "docs/keys.md") -> None:
    """Replace the generated tables in docs/keys.md: ``python -m tuicrm.ui.screens.help``."""
    from pathlib import Path

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    head, _sep, rest = text.partition(BEGIN_MARK)
    _body, _sep, tail = rest.partition(END_MARK)
    p.write_text(f"{head}{BEGIN_MARK}\n{keys_markdown()}{END_MARK}{tail}", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    import sys

    write_keys_doc(sys.argv[1] if len(sys.argv) > 1 else "docs/keys.md")
