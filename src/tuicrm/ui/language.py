"""Switching the language of the running TUI (the palette's "Language: 中文 / English").

Text made on the fly is translated as it is drawn, so rebuilding the screens would be enough —
but binding descriptions (footer, palette, help), column titles and the palette's commands were
translated once, when their module was imported. ``_()`` returns a ``Message`` that remembers its
source; the switch walks those import-time values (module constants, class attributes, default
arguments, every Binding) and translates them again, then rebuilds the screens of every mode
so that each composes, mounts and loads afresh in the new language. Open forms and pushed
screens close (their text would be half old, half new); the data is never touched.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen

from tuicrm import i18n
from tuicrm.i18n import Message, _, retranslate
from tuicrm.records import is_record, record_fields

# Where import-time translations live: our UI modules (Textual's own text is English only).
PACKAGES = ("tuicrm.ui",)
_BLANK_MODE = "_language_switch"


def other_language() -> str:
    """The language the switch goes to: English from Chinese, Chinese from anything else."""
    return "en" if i18n.is_chinese() else "zh_CN"


def language_name(lang: str) -> str:
    """A language named in its own words (the same in every UI language)."""
    return "中文" if lang.lower().startswith("zh") else "English"


def _again(value: Any, depth: int = 0) -> Any:
    """``value`` with every ``Message`` in it translated again; the same object when none is."""
    if isinstance(value, Message):
        return retranslate(value)
    if depth > 4 or isinstance(value, str | bytes | int | float | type(None)):
        return value
    if isinstance(value, Binding):
        return dataclasses.replace(
            value, description=_again(value.description), tooltip=_again(value.tooltip)
        )
    if isinstance(value, tuple | list):
        items = [_again(v, depth + 1) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if isinstance(value, list):
            value[:] = items  # in place: whoever holds the list sees the new words
            return value
        return type(value)._make(items) if hasattr(value, "_make") else type(value)(items)
    if isinstance(value, dict):
        for key, item in list(value.items()):
            new = _again(item, depth + 1)
            if new is not item:
                value[key] = new
        return value
    names = _field_names(value)
    if names:
        changes = {}
        for name in names:
            item = getattr(value, name)
            new = _again(item, depth + 1)
            if new is not item:
                changes[name] = new
        if changes:
            for name, new in changes.items():
                object.__setattr__(value, name, new)  # frozen dataclasses too (a display field)
        return value
    return value


def _field_names(value: object) -> tuple[str, ...]:
    """The fields of a dataclass or record instance (``tuicrm.records``); () for anything else."""
    if is_record(value):
        return record_fields(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(field.name for field in dataclasses.fields(value))
    return ()


def _retranslate_modules() -> None:
    """Module constants, class attributes and default arguments of the UI modules."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(PACKAGES):
            continue
        space = vars(module)
        for key, value in list(space.items()):
            if isinstance(value, type) and value.__module__ == name:
                for attr, item in list(vars(value).items()):
                    if attr.startswith("__") or callable(item) and not isinstance(item, type | list):
                        _retranslate_defaults(item)
                        continue
                    new = _again(item)
                    if new is not item:
                        setattr(value, attr, new)
            elif callable(value) and getattr(value, "__module__", None) == name:
                _retranslate_defaults(value)
            else:
                new = _again(value)
                if new is not value:
                    space[key] = new


def _retranslate_defaults(function: Any) -> None:
    function = getattr(function, "__func__", function)
    defaults = getattr(function, "__defaults__", None)
    if defaults:
        new = _again(defaults)
        if new is not defaults:
            function.__defaults__ = new
    kwdefaults = getattr(function, "__kwdefaults__", None)
    if kwdefaults:
        _again(kwdefaults)


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    todo: list[type] = [cls]
    while todo:
        subs: list[type] = todo.pop().__subclasses__()
        for sub in subs:
            found.append(sub)
            todo.append(sub)
    return found


def _retranslate_bindings(app: App[Any]) -> None:
    """Every class's merged bindings, then the live nodes' own copies (keys kept: the keymap)."""
    # Every class, also those that only inherit BINDINGS: their merged copy was made in the old language.
    for cls in _subclasses(DOMNode):
        cls._merged_bindings = cls._merge_bindings()  # type: ignore[attr-defined]
    nodes: list[DOMNode] = [app]
    for stack in app._screen_stacks.values():
        for screen in stack:
            nodes.append(screen)
            nodes.extend(screen.walk_children(with_self=False))
    for node in nodes:
        bindings: BindingsMap = node._bindings
        bindings.key_to_bindings = {
            key: [_again(b) for b in items] for key, items in bindings.key_to_bindings.items()
        }


async def switch_language(app: App[Any], lang: str) -> None:
    """Show ``lang`` everywhere from now on, without a restart (see the module's docstring)."""
    i18n.set_language(lang)
    _retranslate_modules()
    _retranslate_bindings(app)
    app.title = retranslate(app.title)
    current = app.current_mode
    factories = dict(app._modes)
    # The current mode cannot be removed while shown: stand on a blank screen meanwhile, in a
    # batch (no frame of the blank one reaches the terminal; switches are not masked).
    with app.batch_update():
        app.add_mode(_BLANK_MODE, Screen)
        await app.switch_mode(_BLANK_MODE)
        for mode, factory in factories.items():
            await app.remove_mode(mode)
            app.add_mode(mode, factory)
        await app.switch_mode(current)
        await app.remove_mode(_BLANK_MODE)
    app.screen.refresh()
    app.refresh_bindings()
    app.notify(_("Language: {name}").format(name=language_name(lang)), timeout=3)


__all__ = ["switch_language", "other_language", "language_name", "PACKAGES"]
