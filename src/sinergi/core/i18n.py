"""Translation for the pure modules (eligibility, NIK checks), which import no Django.

They mark their messages with `gettext` from here; the app installs Django's gettext at start-up
(CoreConfig.ready), and outside Django (benchmarks, engine tests) the Indonesian source text is kept.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = str


def gettext(message: str) -> str:
    return _translate(message)


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate
