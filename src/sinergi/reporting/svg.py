"""Server-rendered SVG charts: no script, no CDN, nothing fetched by the browser.

Pure module (no Django import). Each function returns an SVG document as a string, sized by its
viewBox so it scales to the width of its container (a 360-px phone or a desktop column). Colours
and sizes are presentation attributes, not style attributes, so the Content-Security-Policy that
forbids inline styles does not blank them. Every chart is paired on the page with a data table of
the same numbers (the accessible reading) and a CSV of exactly those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BRAND = "#0b5cad"
MUTED = "#9aa5b1"
INK = "#1f2933"
MUTED_INK = "#52606d"
GRID = "#e4e7eb"
# viewBox units; the SVG itself is width=100 %: about a phone's width, so 14-unit text reads as
# ~12 px on a 360-px screen; the stylesheet caps the drawing's width on a desktop.
WIDTH = 360
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data (drawn as a note, not as a zero)
    note: str = ""  # shown after the value, e.g. "62 % dari tahap sebelumnya" or "belum ada data"


def _number(value: float) -> str:
    """Indonesian thousands separator (a dot); one decimal only when the value has one."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _open(height: int, title: str, description: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" {FONT}>',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def bar_chart(
    bars: Sequence[Bar], *, title: str, description: str = "", chart_id: str = "chart", unit: str = ""
) -> str:
    """Horizontal bars, one per row: the label and value on a line above the bar, the note below it.
    Nothing is drawn beside a bar, so long Indonesian labels and notes stay whole on a phone."""
    row_height, bar_height, top = 62, 14, 4
    height = top + row_height * max(len(bars), 1)
    known = [b.value for b in bars if b.value is not None]
    peak = max(known, default=0) or 1
    parts = _open(height, title, description, chart_id)
    for i, bar in enumerate(bars):
        y = top + i * row_height
        value = "" if bar.value is None else _number(bar.value) + (f" {unit}" if unit else "")
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="16" fill="{INK}">{escape(bar.label)}'
            + (f' <tspan font-weight="700">{escape(value)}</tspan>' if value else "")
            + "</text>"
        )
        bar_y = y + 22
        parts.append(f'<rect x="0" y="{bar_y}" width="{WIDTH}" height="{bar_height}" fill="{GRID}" rx="3"/>')
        if bar.value is not None and bar.value > 0:
            width = max(round(WIDTH * bar.value / peak, 1), 2)
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{width}" height="{bar_height}" fill="{BRAND}" rx="3"/>'
            )
        if bar.note:
            italic = ' font-style="italic"' if bar.value is None else ""
            parts.append(
                f'<text x="0" y="{bar_y + bar_height + 15}" font-size="13" fill="{MUTED_INK}"{italic}>'
                f"{escape(bar.note)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    points: Sequence[tuple[str, float]], *, title: str, description: str = "", chart_id: str = "chart"
) -> str:
    """Columns over time (e.g. one per month), the peak value labelled on the axis, the last month
    named and evenly spaced ones before it."""
    height, left, bottom, top = 200, 44, 30, 14
    plot_w, plot_h = WIDTH - left - 8, height - bottom - top
    parts = _open(height, title, description, chart_id)
    peak = max((v for _, v in points), default=0) or 1
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 8}" y2="{top + plot_h}" stroke="{MUTED}"/>'
    )
    parts.append(f'<line x1="{left}" y1="{top}" x2="{WIDTH - 8}" y2="{top}" stroke="{GRID}"/>')
    parts.append(
        f'<text x="{left - 6}" y="{top + 5}" font-size="12" text-anchor="end" fill="{INK}">'
        f"{_number(peak)}</text>"
    )
    parts.append(
        f'<text x="{left - 6}" y="{top + plot_h + 5}" font-size="12" text-anchor="end" fill="{INK}">0</text>'
    )
    n = max(len(points), 1)
    slot = plot_w / n
    every = max(1, -(-n // 4))  # at most about four labels of 7 characters across a phone
    for i, (label, value) in enumerate(points):
        h = round(plot_h * value / peak, 1) if value > 0 else 0
        x = round(left + i * slot + slot * 0.15, 1)
        parts.append(
            f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(slot * 0.7, 1)}" height="{h}" '
            f'fill="{BRAND}"><title>{escape(label)}: {_number(value)}</title></rect>'
        )
        if (n - 1 - i) % every == 0:  # counted from the last, so the latest month is always named
            parts.append(
                f'<text x="{round(x + slot * 0.35, 1)}" y="{height - 10}" font-size="12" '
                f'text-anchor="middle" fill="{INK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
