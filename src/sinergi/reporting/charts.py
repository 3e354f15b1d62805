"""Each chart of the dashboards as one Table (the numbers shown, in the order shown) plus its SVG
drawing of that table: the page's data table, the drawing and the CSV download are all made from the
same Table, so the CSV is exactly what is on screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sinergi.core.tables import csv_field
from sinergi.reporting import selectors, svg
from sinergi.reporting.funnel import STAGE_LABELS, STAGES
from sinergi.reporting.selectors import COMPARED_STAGES, Filters


@dataclass
class Table:
    name: str
    title: str
    header: list[str]
    rows: list[list]
    description: str = ""
    svg: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def drawing(self) -> SafeString:
        return mark_safe(self.svg)  # noqa: S308 - built by svg.py, every text escaped there

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_field(h) for h in self.header])
        for row in self.rows:
            writer.writerow([csv_field(v) for v in row])
        return out.getvalue()


def _fmt(n: float | None) -> str:
    return "" if n is None else svg._number(n)


def funnel_table(user, filters: Filters) -> Table:
    steps = selectors.funnel(user, filters)
    rows = [
        [
            s.label,
            s.count if s.count is not None else "",
            "" if s.share_of_previous is None else s.share_of_previous,
            s.note,
        ]
        for s in steps
    ]
    bars = [
        svg.Bar(
            s.label,
            s.count,
            s.note
            or (
                _("%(p)s%% dari tahap sebelumnya") % {"p": _fmt(s.share_of_previous)}
                if s.share_of_previous is not None
                else ""
            ),
        )
        for s in steps
    ]
    title = _("Corong pelatihan")
    description = _("Jumlah orang di setiap tahap, dari mendaftar sampai bersertifikat dan hasil tracer.")
    return Table(
        "corong",
        title,
        [_("Tahap"), _("Jumlah orang"), _("% dari tahap sebelumnya"), _("Keterangan")],
        rows,
        description,
        svg.bar_chart(bars, title=title, description=description, chart_id="chart-corong"),
    )


def breakdown_table(user, filters: Filters, dimension: str) -> Table:
    rows_in = selectors.breakdown(user, filters, dimension)
    label = selectors.breakdown_labels()[dimension]
    stage_labels = [str(STAGE_LABELS[s]) for s in STAGES]
    rows = [[r.label, *(r.counts[s] for s in STAGES)] for r in rows_in]
    title = _("Menurut %(dimension)s") % {"dimension": label.lower()}
    description = _("Pendaftar per %(dimension)s; tabel memuat semua tahap.") % {"dimension": label.lower()}
    bars = [
        svg.Bar(r.label, r.counts["registered"], _("%(n)s lulus") % {"n": _fmt(r.counts["completed"])})
        for r in rows_in
    ]
    return Table(
        f"rincian-{dimension}",
        title,
        [label, *stage_labels],
        rows,
        description,
        svg.bar_chart(bars, title=title, description=description, chart_id=f"chart-{dimension}"),
        [_("Grafik: pendaftar; keterangan batang: lulusan.")],
    )


def time_table(user, filters: Filters) -> Table:
    series = selectors.time_series(user, filters, "registered")
    completed = dict(selectors.time_series(user, filters, "completed"))
    rows = [[month, n, completed.get(month, 0)] for month, n in series]
    title = _("Pendaftar per bulan")
    description = _("Jumlah pendaftaran baru setiap bulan.")
    return Table(
        "per-bulan",
        title,
        [_("Bulan"), _("Pendaftar"), _("Lulus")],
        rows,
        description,
        svg.column_chart(series, title=title, description=description, chart_id="chart-bulan")
        if series
        else "",
    )


def regions_table(user, filters: Filters) -> Table:
    rates = selectors.regions_per_100k(user, filters)
    header = [_("Wilayah")]
    for stage in COMPARED_STAGES:
        header += [
            str(STAGE_LABELS[stage]),
            _("%(stage)s per 100.000 penduduk") % {"stage": STAGE_LABELS[stage]},
        ]
    header += [_("Penduduk"), _("Tahun data penduduk"), _("Sumber data penduduk")]
    rows = []
    for r in rates:
        row: list = [r.name]
        for stage in COMPARED_STAGES:
            rate = r.per_100k(stage)
            row += [r.counts.get(stage, 0), "" if rate is None else rate]
        row += [r.population or "", r.population_year or "", r.source]
        rows.append(row)
    title = _("Perbandingan wilayah per 100.000 penduduk")
    description = _("Pendaftar per 100.000 penduduk menurut domisili peserta.")
    ranked = sorted(rates, key=lambda r: -(r.per_100k("registered") or 0))
    bars = [
        svg.Bar(r.name, r.per_100k("registered"), "" if r.population else _("jumlah penduduk belum ada"))
        for r in ranked
    ]
    return Table(
        "per-100rb",
        title,
        header,
        rows,
        description,
        svg.bar_chart(bars, title=title, description=description, chart_id="chart-wilayah"),
    )


CHARTS: dict[str, Callable[..., Table]] = {
    "corong": funnel_table,
    "per-bulan": time_table,
    "per-100rb": regions_table,
}


def chart_by_name(user, filters: Filters, name: str) -> Table | None:
    if name in CHARTS:
        return CHARTS[name](user, filters)
    if name.startswith("rincian-") and name[len("rincian-") :] in selectors.BREAKDOWNS:
        return breakdown_table(user, filters, name[len("rincian-") :])
    return None
