"""Render a source text as HTML with every extracted value wrapped in <mark> at its span. Pure Python.

Spans may overlap or nest (a party's "Walikota Palembang" contains a person's position "Walikota"), so
the text is cut at every span boundary and each piece lists all the marks covering it in `data-marks`.
An empty anchor (`id="src-<mark>"`) sits where each mark first begins, so a draft field can link to
its source with a plain fragment link that works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Mark:
    id: str  # letters, digits and dashes only: used in ids and data attributes
    kind: str  # party / person / type / status / date / place / commitment / deadline / duration / topic
    label: str  # what the officer sees on hover: "Pihak: Pemerintah Kota Palembang"
    spans: list[tuple[int, int]] = field(default_factory=list)


def render_marked(text: str, marks: list[Mark]) -> str:
    """HTML for `text` with marks; spans outside the text or empty are ignored."""
    n = len(text)
    pieces: list[tuple[int, int, Mark]] = []
    for mark in marks:
        for a, b in mark.spans:
            a, b = max(0, a), min(n, b)
            if a < b:
                pieces.append((a, b, mark))
    bounds = sorted({0, n, *(a for a, _, _ in pieces), *(b for _, b, _ in pieces)})
    first_start: dict[str, int] = {}
    for a, _, mark in sorted(pieces, key=lambda p: p[0]):
        first_start.setdefault(mark.id, a)
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        covering = [(pa, pb, m) for pa, pb, m in pieces if pa <= a and pb >= b]
        starting = dict.fromkeys(m.id for pa, _, m in covering if pa == a and first_start[m.id] == a)
        anchors = "".join(f'<span class="src-anchor" id="src-{mid}"></span>' for mid in starting)
        chunk = escape(text[a:b], quote=False)
        if not covering:
            out.append(chunk)
            continue
        # The innermost (shortest) mark decides the colour; the title lists every value found here.
        inner = min(covering, key=lambda p: p[1] - p[0])[2]
        ids = " ".join(dict.fromkeys(m.id for _, _, m in covering))
        title = "; ".join(dict.fromkeys(m.label for _, _, m in covering))
        out.append(
            f'{anchors}<mark class="src-mark k-{escape(inner.kind)}" data-marks="{escape(ids)}" '
            f'title="{escape(title)}">{chunk}</mark>'
        )
    return "".join(out)
