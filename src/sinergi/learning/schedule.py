"""The dates of a class's sessions from a weekly schedule, as a pure function (no Django), so the
provider can lay out a whole class at once and edit single sessions afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def session_dates(
    first_day: dt.date, last_day: dt.date, weekdays: Collection[int], count: int
) -> list[dt.date]:
    """The first `count` days from first_day to last_day (inclusive) whose weekday (Monday = 0) is in
    weekdays. Fewer come back when the period is too short: the caller says how many fit."""
    if not weekdays or count <= 0:
        return []
    days: list[dt.date] = []
    day = first_day
    while day <= last_day and len(days) < count:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days
