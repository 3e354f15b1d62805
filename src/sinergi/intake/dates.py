"""Indonesian dates in news text.

Forms handled: "Kamis, 10 Maret 2022", "10 Maret 2022", "(10/3/2022)", "[20/12/21]", "Senin (1/11)",
"Rabu (15/3)", "12/09/2023", "2022-03-10", "pada hari Senin". Dates without a year take it from a
reference date (the article's date line); the weekday, when given, picks between neighbouring years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agst": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "jum’at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
WEEKDAY_NAMES = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_RE = r"senin|selasa|rabu|kamis|jum[’']?at|sabtu|minggu|ahad"
_PART_OF_DAY = r"(?:\s+(?:pagi|siang|sore|malam|petang|lalu|kemarin))?"

# "Kamis, 10 Maret 2022" / "10 Maret 2022" / "10 Maret" (no year).
LONG_RE = re.compile(
    rf"(?:(?P<wd>{_DAY_RE}){_PART_OF_DAY}\s*,?\s*(?:tanggal\s+)?)?\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RE})\.?"
    rf"(?:\s+(?P<y>\d{{4}}))?\b",
    re.IGNORECASE,
)
# "(10/3/2022)", "[20/12/21]", "Senin (1/11)", "Kamis Pagi, (10/3/2022)".
BRACKET_RE = re.compile(
    rf"(?:(?P<wd>{_DAY_RE}){_PART_OF_DAY}\s*,?\s*)?[(\[]\s*(?P<d>\d{{1,2}})\s*[/.\-]\s*(?P<m>\d{{1,2}})"
    rf"(?:\s*[/.\-]\s*(?P<y>\d{{4}}|\d{{2}}))?\s*[)\]]",
    re.IGNORECASE,
)
# "12/09/2023", "13/6/2023" outside brackets; "2022-03-10".
NUMERIC_RE = re.compile(
    rf"(?:(?P<wd>{_DAY_RE})\s*,?\s*)?(?<![\d/])(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}})(?![\d/])",
    re.IGNORECASE,
)
ISO_RE = re.compile(r"(?<!\d)(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)")
# "pada hari Senin", "Senin lalu", "Selasa kemarin": a weekday without a date. "Minggu" alone also
# means "week", so it only counts after "hari".
WEEKDAY_ONLY_RE = re.compile(
    rf"(?:\bpada\s+(?:hari\s+)?|\bhari\s+)(?P<wd>{_DAY_RE})\b|\b(?P<wd2>senin|selasa|rabu|kamis|jum[’']?at|sabtu)"
    rf"\s+(?:lalu|kemarin)\b",
    re.IGNORECASE,
)
TIME_AFTER_RE = re.compile(r"^\s*[-|,]?\s*(?:pukul\s+)?\d{1,2}[:.]\d{2}\b")


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None
    has_time: bool = False
    resolved: dt.date | None = None
    confidence: float = 0.0
    weekday_only: bool = False


def _year(y: str | None) -> int | None:
    if not y:
        return None
    value = int(y)
    return value + 2000 if value < 100 else value


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    # Characters already claimed by an earlier pattern's date: checking a match costs its own length,
    # not the number of dates found so far.
    taken = bytearray(len(text))

    def overlaps(m: re.Match[str]) -> bool:
        return any(taken[m.start() : m.end()])

    def claim(m: re.Match[str]) -> None:
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    def add(m: re.Match[str], month: int, *, year: int | None) -> None:
        if overlaps(m):
            return
        day = int(m.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return
        wd = m.groupdict().get("wd")
        weekday = WEEKDAYS.get(wd.lower().replace("’", "'")) if wd else None
        mention = DateMention(m.start(), m.end(), m.group(0), day, month, year, weekday)
        mention.has_time = bool(TIME_AFTER_RE.match(text[m.end() : m.end() + 20]))
        found.append(mention)
        claim(m)

    for m in LONG_RE.finditer(text):
        add(m, MONTHS[m.group("m").lower()], year=_year(m.group("y")))
    for m in BRACKET_RE.finditer(text):
        add(m, int(m.group("m")), year=_year(m.group("y")))
    for m in NUMERIC_RE.finditer(text):
        add(m, int(m.group("m")), year=_year(m.group("y")))
    for m in ISO_RE.finditer(text):
        add(m, int(m.group("m")), year=int(m.group("y")))
    for m in WEEKDAY_ONLY_RE.finditer(text):
        if overlaps(m):
            continue
        wd = (m.group("wd") or m.group("wd2")).lower().replace("’", "'")
        found.append(
            DateMention(m.start(), m.end(), m.group(0), None, None, None, WEEKDAYS[wd], weekday_only=True)
        )
        claim(m)
    found.sort(key=lambda x: x.start)
    return found


def resolve(mention: DateMention, reference: dt.date | None, today: dt.date) -> None:
    """Fill mention.resolved and mention.confidence using the reference date for missing years."""
    if mention.weekday_only:
        if reference is None or mention.weekday is None:
            return
        # The most recent such weekday on or before the article's date.
        delta = (reference.weekday() - mention.weekday) % 7
        mention.resolved = reference - dt.timedelta(days=delta)
        mention.confidence = 0.6
        return
    assert mention.month is not None and mention.day is not None
    if mention.year is not None:
        date = _valid(mention.year, mention.month, mention.day)
        if date is None:
            return
        mention.resolved = date
        ok_weekday = mention.weekday is None or date.weekday() == mention.weekday
        mention.confidence = 0.95 if ok_weekday else 0.7
        return
    if reference is not None:
        # A news article reports events from the recent past: prefer the reference year, or the
        # year before when the date would otherwise lie after the article was written.
        candidates = [reference.year, reference.year - 1, reference.year + 1]
        best: tuple[float, dt.date] | None = None
        for rank, y in enumerate(candidates):
            date = _valid(y, mention.month, mention.day)
            if date is None:
                continue
            score = 3.0 - rank
            if date > reference + dt.timedelta(days=7):
                score -= 2.5
            if mention.weekday is not None:
                score += 3.0 if date.weekday() == mention.weekday else -3.0
            if best is None or score > best[0]:
                best = (score, date)
        if best is not None:
            mention.resolved = best[1]
            weekday_ok = mention.weekday is None or best[1].weekday() == mention.weekday
            mention.confidence = 0.85 if weekday_ok else 0.5
        return
    if mention.weekday is not None:
        # No date line at all: the latest past year in which this day fell on the given weekday.
        for y in range(today.year, today.year - 15, -1):
            date = _valid(y, mention.month, mention.day)
            if date and date <= today and date.weekday() == mention.weekday:
                mention.resolved = date
                mention.confidence = 0.45
                return
