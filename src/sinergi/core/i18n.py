"""Translation for the pure modules (eligibility, NIK checks, signing, text intake), which import no
Django.

Two ways, both leaving the engines free of Django:
- `gettext`: the message is translated where it is made. The app installs Django's gettext at
  start-up (CoreConfig.ready); outside Django (benchmarks, engine tests) the Indonesian text is kept.
- `gettext_noop`: the engine keeps the Indonesian text (its command-line output, a cached result and
  a stored record stay in one language) and the Django side translates it where it reaches a page,
  with Django's gettext of the same text, `% params` for the placeholders. `makemessages` collects
  both names, so every such message has its entry in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = str


def gettext(message: str) -> str:
    return _translate(message)


def gettext_noop(message: str) -> str:
    """Mark `message` for the catalogue; it is translated later, at the boundary."""
    return message


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate
