"""Compile the message catalogues (``.po`` → ``.mo``) at build time, for the wheel and for
``pip install -e .`` alike: the ``.mo`` files are build output (gitignored), the ``.po`` files
are the source a translator edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # the tests import compile_catalogues without hatchling (a build-only tool)
    BuildHookInterface = object

LOCALE = Path("src") / "tuicrm" / "i18n" / "locale"


def compile_catalogues(root: Path) -> list[Path]:
    """Write ``tuicrm.mo`` next to every ``tuicrm.po`` under ``root/LOCALE``; the paths written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalogue)
        written.append(mo)
    return written


class CatalogueHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for mo in compile_catalogues(root):
            # Gitignored files are left out of a wheel unless named: the editable install reads
            # them from src/ where they were just written, the wheel carries them.
            if version != "editable":
                build_data["force_include"][str(mo)] = str(mo.relative_to(root / "src"))
