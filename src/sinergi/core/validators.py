"""Checks of free text that every form, API schema and import shares.

Control characters never belong in a title or a name: NUL is refused by PostgreSQL (a 500 instead of
a message), and the others cannot be written into an XLSX cell. Multi-line text (a scope, a note) may
keep tab and newlines. Names of people and organisations also refuse a first character that a
spreadsheet would read as the start of a formula (= + - @, tab, CR).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# C0 controls and DEL; tab, newline and carriage return are allowed in multi-line text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def strip_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """The Indonesian message for a text holding a control character, or None when it holds none."""
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("mengandung karakter NUL (\\0) yang tidak diizinkan.")
    if found.group() in "\t\n\r":
        return _("harus satu baris, tanpa tab atau ganti baris.")
    return _("mengandung karakter kendali (kode %(code)s) yang tidak diizinkan.") % {
        "code": f"U+{ord(found.group()):04X}"
    }


def name_problem(text: str) -> str | None:
    """The Indonesian message for a person's or organisation's name that is not a plain name."""
    if formula_like(text):
        return _("tidak boleh diawali %(chars)s (dibaca sebagai rumus oleh spreadsheet).") % {
            "chars": "= + - @"
        }
    return control_character_problem(text)


def _raise(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem[:1].upper() + problem[1:], code="invalid")


def validate_single_line(value: str) -> None:
    """Django validator for titles, numbers and other one-line text."""
    _raise(control_character_problem(value))


def validate_multiline(value: str) -> None:
    """Django validator for free text that may span lines."""
    _raise(control_character_problem(value, multiline=True))


def validate_name(value: str) -> None:
    """Django validator for names of people and organisations."""
    _raise(name_problem(value.strip()))


def nested_text_problem(value: Any) -> str | None:
    """The first control-character problem in any key or string of a JSON-like value (a breakdown
    object is stored as JSON, where PostgreSQL refuses NUL too)."""
    if isinstance(value, str):
        return control_character_problem(value, multiline=True)
    if isinstance(value, dict):
        items: list[Any] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    for item in items:
        if problem := nested_text_problem(item):
            return problem
    return None
