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
GRID = "#e4e7eb"
WIDTH = 640  # viewBox units; the SVG itself is width="100%"
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
    """Horizontal bars, one per row, each label above its bar (long Indonesian labels stay readable
    on a phone, where a label column beside the bars would leave no room for them)."""
    row_height, bar_height, top = 46, 18, 8
    height = top + row_height * max(len(bars), 1) + 4
    known = [b.value for b in bars if b.value is not None]
    peak = max(known, default=0) or 1
    parts = _open(height, title, description, chart_id)
    for i, bar in enumerate(bars):
        y = top + i * row_height
        parts.append(f'<text x="0" y="{y + 14}" font-size="15" fill="{INK}">{escape(bar.label)}</text>')
        bar_y = y + 20
        parts.append(f'<rect x="0" y="{bar_y}" width="{WIDTH}" height="{bar_height}" fill="{GRID}" rx="3"/>')
        if bar.value is None:
            text = bar.note
            parts.append(
                f'<text x="8" y="{bar_y + 14}" font-size="14" fill="{INK}" font-style="italic">{escape(text)}</text>'
            )
            continue
        width = round(WIDTH * bar.value / peak, 1) if bar.value > 0 else 0
        parts.append(f'<rect x="0" y="{bar_y}" width="{width}" height="{bar_height}" fill="{BRAND}" rx="3"/>')
        text = _number(bar.value) + (f" {unit}" if unit else "") + (f" · {bar.note}" if bar.note else "")
        # The value sits inside a long bar (white) or after a short one (dark), never clipped.
        inside = width > WIDTH * 0.55
        x = 8 if inside else width + 6
        colour = "#ffffff" if inside else INK
        parts.append(f'<text x="{x}" y="{bar_y + 14}" font-size="14" fill="{colour}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    points: Sequence[tuple[str, float]], *, title: str, description: str = "", chart_id: str = "chart"
) -> str:
    """Columns over time (e.g. one per month), the peak value labelled on the axis, the first and the
    last label and every other one between when there is room."""
    height, left, bottom, top = 260, 56, 36, 16
    plot_w, plot_h = WIDTH - left - 8, height - bottom - top
    parts = _open(height, title, description, chart_id)
    peak = max((v for _, v in points), default=0) or 1
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 8}" y2="{top + plot_h}" stroke="{MUTED}"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{WIDTH - 8}" y2="{top}" stroke="{GRID}"/>')
    parts.append(
        f'<text x="{left - 6}" y="{top + 5}" font-size="14" text-anchor="end" fill="{INK}">{_number(peak)}</text>'
    )
    parts.append(
        f'<text x="{left - 6}" y="{top + plot_h + 5}" font-size="14" text-anchor="end" fill="{INK}">0</text>'
    )
    n = max(len(points), 1)
    slot = plot_w / n
    every = max(1, round(n / 6))  # at most about six labels: 14-px text on a 360-px screen
    for i, (label, value) in enumerate(points):
        h = round(plot_h * value / peak, 1) if value > 0 else 0
        x = round(left + i * slot + slot * 0.15, 1)
        parts.append(
            f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(slot * 0.7, 1)}" height="{h}" '
            f'fill="{BRAND}"><title>{escape(label)}: {_number(value)}</title></rect>'
        )
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{round(x + slot * 0.35, 1)}" y="{height - 12}" font-size="13" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
