"""Indonesian quantities: "10.000", "10 ribu", "1,5 juta", "sepuluh ribu", "dua ratus lima puluh"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_TEENS_AND_TENS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 1_000_000}
_SCALES = {
    "ribu": 1000,
    "rb": 1000,
    "juta": 1_000_000,
    "jt": 1_000_000,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}

WORD_NUMBER_TOKENS = sorted(
    list(_UNITS)
    + list(_TEENS_AND_TENS)
    + ["belas", "puluh", "ratus", "ribu", "juta", "miliar", "milyar", "triliun", "setahun", "se"],
    key=len,
    reverse=True,
)

# Digits with Indonesian thousands dots ("10.000"), a decimal comma ("1,5"), then an optional scale word.
_DIGITS = (
    r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?=\s*(?:ribu|juta|miliar|milyar|triliun)\b)"
)
_WORDNUM = (
    r"(?:(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|sejuta)"
    r"(?:\s+(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    r"belas|puluh|ratus|ribu|juta|miliar|milyar|triliun))*)"
)
QUANTITY_RE = re.compile(
    rf"(?<![\w.,])(?P<num>(?P<digits>{_DIGITS})(?:\s*(?P<scale>ribu|rb|juta|jt|miliar|milyar|triliun)\b)?"
    rf"|(?P<words>{_WORDNUM}))(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    value: float
    start: int
    end: int
    text: str


def parse_digits(digits: str, scale: str | None = None) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        value = float(digits.replace(".", "").replace(",", "."))
    elif re.fullmatch(r"\d+\.\d{1,2}", digits):
        # "1.5 juta": an English-style decimal point before a scale word.
        value = float(digits)
    else:
        value = float(digits.replace(",", "."))
    if scale:
        value *= _SCALES[scale.lower()]
    return value


def parse_words(words: str) -> float | None:
    """Parse "dua ratus lima puluh ribu" → 250000; None when the words do not form a number."""
    total = 0
    current = 0
    last_was_digit = False
    for tok in words.lower().split():
        if tok in _UNITS:
            if last_was_digit:
                return None  # "dua tiga" is not a number
            current += _UNITS[tok]
            last_was_digit = True
            continue
        last_was_digit = False
        if tok == "sepuluh":
            current += 10
        elif tok == "sebelas":
            current += 11
        elif tok == "seratus":
            current += 100
        elif tok == "seribu":
            total += 1000
        elif tok == "sejuta":
            total += 1_000_000
        elif tok == "belas":
            current = (current or 1) + 10
        elif tok == "puluh":
            # "dua puluh" is 20; keep any hundreds already in current ("seratus dua puluh").
            hundreds, rest = divmod(current, 100)
            current = hundreds * 100 + (rest or 1) * 10
        elif tok == "ratus":
            current = (current or 1) * 100
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0
        else:
            return None
    value = total + current
    return float(value) if value else None


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    out = []
    for m in QUANTITY_RE.finditer(text, start, len(text) if end is None else end):
        if m.group("digits"):
            value = parse_digits(m.group("digits"), m.group("scale"))
        else:
            parsed = parse_words(m.group("words"))
            if parsed is None:
                continue
            value = parsed
        out.append(Quantity(value, m.start(), m.end(), m.group(0)))
    return out


def number_value(token: str) -> float | None:
    """Value of a single number expression (digits or words), used for "N tahun" phrases."""
    token = token.strip()
    if token.lower() in ("setahun", "se"):
        return 1.0
    m = QUANTITY_RE.fullmatch(token)
    if not m:
        return None
    if m.group("digits"):
        return parse_digits(m.group("digits"), m.group("scale"))
    return parse_words(m.group("words"))


def as_int_if_whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
