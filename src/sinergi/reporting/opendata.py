"""Open data: public datasets of aggregates per region and year, with a data dictionary, small cells
suppressed (suppression.py), downloadable as CSV, XLSX and JSON, listed in a DCAT catalogue.

Every dataset is built from the stored funnel (FunnelCount), which holds counts only: no row of a
person ever reaches this module. Datasets cover batches that are not drafts, by the year their
registration closed, and count people by their domicile (the region of the dataset and everything
inside it)."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.tables import csv_field, xlsx_row
from sinergi.programs.models import Batch, Category
from sinergi.regions.models import Region
from sinergi.registration.models import Sex
from sinergi.reporting.funnel import STAGE_LABELS, STAGES
from sinergi.reporting.models import FunnelCount
from sinergi.reporting.suppression import COMPLEMENTARY, PRIMARY, suppress_column, suppress_system

StrOrPromise = Any  # a str or a lazy translation (django.utils.functional.Promise)
NATIONAL = "nasional"  # the region part of a national dataset's address
PUBLISHER = "Sinergi — Kementerian Komunikasi dan Digital (Komdigi)"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = gettext_lazy("Sinergi: pendaftaran, kehadiran, kelulusan dan sertifikat yang tercatat")
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Variable:
    name: str
    definition: str
    unit: str
    formula: str


@dataclass(frozen=True)
class DatasetKind:
    slug: str
    title: StrOrPromise
    description: StrOrPromise
    keywords: tuple[str, ...]
    theme: str
    build: Callable[[Region | None, int], tuple[list[str], list[list]]]
    variables: Callable[[], list[Variable]]


def _descendant_cells(region: Region | None, year: int, dimension: str):
    qs = FunnelCount.objects.filter(
        dimension=dimension,
        program__isnull=True,
        batch__in=Batch.objects.exclude(status=Batch.Status.DRAFT)
        .filter(registration_closes__year=year)
        .values("pk"),
    )
    if region is not None:
        qs = (
            qs.filter(value__startswith=region.code + ".")
            | qs.filter(value=region.code)
            | qs.filter(value__startswith=region.code + "|")
        )
    return qs


TOTAL = "*"  # the total column of a row in the linked system


def linked_system(year: int, dimension: str, stage: str, columns: list[str]):
    """Every kab/kota, province and national count of one cross table, suppressed as one system.

    The national table's row for a province is the province table's total row, and a province
    table's row for a kab/kota is that kab/kota's table: the same numbers published in two tables.
    Suppressed table by table, a count one table hides could be read off another that shows it, and
    the hidden cell it protected worked out from there. So every equation of every table (kab/kota
    rows, province rows, each province's columns over its kab/kota, the national columns over the
    provinces) is suppressed together, and each number reads the same wherever it is published.
    Returns (values, primary, hidden) keyed ("K"|"P"|"N", region code, column or TOTAL)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cells = _descendant_cells(None, year, dimension).filter(stage=stage)
    for value, n in cells.values_list("value").annotate(n=Sum("count")).order_by():
        domicile, _sep, column = value.partition("|")
        if domicile and column in columns:
            counts[".".join(domicile.split(".")[:2])][column] += int(n)
    values: dict[tuple[str, str, str], int] = {}
    lines: list[list[tuple[str, str, str]]] = []
    kabs_of: dict[str, list[str]] = defaultdict(list)
    for kab in sorted(counts):
        kabs_of[kab.split(".")[0]].append(kab)
    every = [*columns, TOTAL]
    for level, code, members in [
        *(("K", kab, None) for kab in sorted(counts)),
        *(("P", province, kabs) for province, kabs in sorted(kabs_of.items())),
        ("N", "", sorted(kabs_of)),
    ]:
        for column in columns:
            if level == "K":
                values[(level, code, column)] = counts[code].get(column, 0)
            else:
                child = "K" if level == "P" else "P"
                values[(level, code, column)] = sum(values[(child, m, column)] for m in members or [])
        values[(level, code, TOTAL)] = sum(values[(level, code, c)] for c in columns)
        lines.append([(level, code, c) for c in every])  # the row sums to its total
        if members is not None:  # each column (and the totals) of the members sums to this row's
            child = "K" if level == "P" else "P"
            lines.extend([*((child, m, c) for m in members), (level, code, c)] for c in every)
    primary, hidden = suppress_system(values, lines)
    return values, primary, hidden


def _shown(key, values, primary, hidden) -> int | str:
    if key in primary:
        return PRIMARY
    return COMPLEMENTARY if key in hidden else values[key]


def _cross(region: Region | None, year: int, dimension: str, stage: str, columns: list[tuple[str, str]]):
    keys = [key for key, _label in columns]
    values, primary, hidden = linked_system(year, dimension, stage, keys)
    header = [_("kode_wilayah"), _("nama_wilayah"), *(label for _key, label in columns), _("jumlah")]
    if region is None:
        rows_of, total = [("P", code) for _l, code, c in values if _l == "P" and c == TOTAL], ("N", "")
    elif region.level == Region.Level.PROVINCE:
        rows_of = [
            ("K", code)
            for level, code, c in values
            if level == "K" and c == TOTAL and code.startswith(region.code + ".")
        ]
        total = ("P", region.code)
    else:
        rows_of = [("K", region.code)] if ("K", region.code, TOTAL) in values else []
        total = ("K", region.code)
    if not rows_of:
        return header, []
    names = dict(Region.objects.filter(code__in=[c for _l, c in rows_of]).values_list("code", "name"))

    def line(level: str, code: str) -> list:
        return [_shown((level, code, c), values, primary, hidden) for c in [*keys, TOTAL]]

    rows = [[code, names.get(code, code), *line(level, code)] for level, code in sorted(rows_of)]
    rows.append(["", _("Jumlah"), *line(*total)])
    return header, rows


def _participants_by_category(region: Region | None, year: int):
    columns = [(k, str(v)) for k, v in Category.choices]
    return _cross(region, year, "region_category", "registered", columns)


def _graduates_by_sex(region: Region | None, year: int):
    columns = [(k, str(v)) for k, v in Sex.choices]
    return _cross(region, year, "region_sex", "completed", columns)


def _funnel(region: Region | None, year: int):
    totals = dict(
        _descendant_cells(region, year, "region").values_list("stage").annotate(n=Sum("count")).order_by()
    )
    values = suppress_column([int(totals.get(stage) or 0) for stage in STAGES])
    # The registered and completed totals are also the totals of the two cross tables: hidden there
    # to protect a cell, they are hidden here too.
    key = (
        ("N", "", TOTAL)
        if region is None
        else (
            "P" if region.level == Region.Level.PROVINCE else "K",
            region.code,
            TOTAL,
        )
    )
    for stage, dimension, choices in (
        ("registered", "region_category", Category.values),
        ("completed", "region_sex", Sex.values),
    ):
        _values, primary, hidden = linked_system(year, dimension, stage, list(choices))
        if key in hidden and key not in primary:
            values[STAGES.index(stage)] = COMPLEMENTARY
    header = [_("tahap"), _("keterangan_tahap"), _("jumlah_orang")]
    return header, [
        [stage, str(STAGE_LABELS[stage]), value] for stage, value in zip(STAGES, values, strict=True)
    ]


def _count_variables(what: str, formula: str) -> list[Variable]:
    return [
        Variable(_("kode_wilayah"), _("Kode wilayah Kemendagri (provinsi atau kab/kota domisili)"), "-", "-"),
        Variable(_("nama_wilayah"), _("Nama resmi wilayah menurut Kemendagri"), "-", "-"),
        Variable(
            what,
            _(
                "Jumlah orang pada kolom tersebut; '<5' berarti 1–4 orang, 'x' disembunyikan agar sel "
                "'<5' tidak dapat dihitung dari total"
            ),
            _("orang"),
            formula,
        ),
        Variable(_("jumlah"), _("Jumlah seluruh kolom pada baris"), _("orang"), _("penjumlahan kolom")),
    ]


KINDS: dict[str, DatasetKind] = {
    "peserta-menurut-kategori": DatasetKind(
        "peserta-menurut-kategori",
        gettext_lazy("Pendaftar pelatihan menurut kategori peserta"),
        gettext_lazy(
            "Jumlah orang yang mendaftar (pendaftaran aktif) per wilayah domisili dan kategori peserta."
        ),
        ("pelatihan", "talenta digital", "pendaftar", "kategori"),
        "Pendidikan dan Pelatihan",
        _participants_by_category,
        lambda: _count_variables(
            _("<kategori>"), _("COUNT(pendaftaran aktif) per gelombang, dijumlahkan per wilayah domisili")
        ),
    ),
    "lulusan-menurut-jenis-kelamin": DatasetKind(
        "lulusan-menurut-jenis-kelamin",
        gettext_lazy("Lulusan pelatihan menurut jenis kelamin"),
        gettext_lazy("Jumlah peserta yang dinyatakan lulus per wilayah domisili dan jenis kelamin."),
        ("pelatihan", "lulusan", "gender"),
        "Pendidikan dan Pelatihan",
        _graduates_by_sex,
        lambda: _count_variables(_("<jenis kelamin>"), _("COUNT(peserta kelas berstatus lulus)")),
    ),
    "corong-pelatihan": DatasetKind(
        "corong-pelatihan",
        gettext_lazy("Corong pelatihan: dari pendaftar sampai bersertifikat"),
        gettext_lazy(
            "Jumlah orang di setiap tahap pelatihan (mendaftar, memenuhi syarat, ditawari kursi, "
            "menerima, hadir, lulus, bersertifikat)."
        ),
        ("pelatihan", "corong", "sertifikat", "kinerja"),
        "Pendidikan dan Pelatihan",
        _funnel,
        lambda: [
            Variable(_("tahap"), _("Kode tahap"), "-", "-"),
            Variable(_("keterangan_tahap"), _("Nama tahap"), "-", "-"),
            Variable(
                _("jumlah_orang"),
                _("Jumlah orang yang mencapai tahap ini; '<5' berarti 1–4 orang"),
                _("orang"),
                _("COUNT(orang) per tahap, lihat definisi tahap di dasbor"),
            ),
        ],
    ),
}


def available_years() -> list[int]:
    years = (
        Batch.objects.exclude(status=Batch.Status.DRAFT)
        .filter(pk__in=FunnelCount.objects.values("batch_id"))
        .values_list("registration_closes__year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def regions_with_data(year: int) -> list[Region]:
    """Provinces and kab/kota with at least one person counted in the year."""
    domiciles = set(_descendant_cells(None, year, "region").values_list("value", flat=True).distinct())
    codes = {d.split(".")[0] for d in domiciles if d} | {".".join(d.split(".")[:2]) for d in domiciles if d}
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def region_for(code: str) -> Region | None:
    """None for the national dataset; raises Region.DoesNotExist for an unknown or kecamatan code."""
    if code == NATIONAL:
        return None
    return Region.objects.exclude(level=Region.Level.DISTRICT).get(code=code)


def dictionary(kind: DatasetKind, region: Region | None, year: int) -> list[dict[str, str]]:
    time_reference = _("Gelombang pelatihan yang pendaftarannya ditutup pada tahun %(year)s") % {"year": year}
    return [
        {
            "variabel": v.name,
            "definisi": v.definition,
            "satuan": v.unit,
            "rumus": v.formula,
            "sumber": str(SOURCE),
            "referensi_waktu": time_reference,
        }
        for v in kind.variables()
    ]


def render(kind: DatasetKind, region: Region | None, year: int, fmt: str) -> bytes:
    header, rows = kind.build(region, year)
    if fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_field(h) for h in header])
        for row in rows:
            writer.writerow([csv_field(v) for v in row])
        return out.getvalue().encode("utf-8")
    if fmt == "json":
        document = {
            "judul": str(kind.title),
            "wilayah": region.name if region else "Indonesia",
            "tahun": year,
            "kolom": header,
            "baris": rows,
            "kamus_data": dictionary(kind, region, year),
            "catatan": _("'%(primary)s' = 1–4 orang; '%(other)s' = disembunyikan (sensor komplementer).")
            % {"primary": PRIMARY, "other": COMPLEMENTARY},
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("data"))
    sheet.append(xlsx_row(sheet, header, bold=True))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    help_sheet = workbook.create_sheet(_("kamus_data"))
    entries = dictionary(kind, region, year)
    help_sheet.append(xlsx_row(help_sheet, list(entries[0]), bold=True))
    for entry in entries:
        help_sheet.append(xlsx_row(help_sheet, list(entry.values())))
    out_bytes = io.BytesIO()
    workbook.save(out_bytes)
    return out_bytes.getvalue()


def file_name(kind: DatasetKind, region: Region | None, year: int, fmt: str) -> str:
    place = region.code.replace(".", "") if region else NATIONAL
    return f"{kind.slug}-{place}-{year}.{fmt}"


def catalog(base_url: str, url_for: Callable[[str, str, int, str | None], str]) -> dict:
    """The DCAT catalogue (JSON-LD) of every dataset × region × year, harvestable by CKAN portals.
    url_for(slug, region_part, year, fmt or None for the landing page) gives a path."""
    datasets = []
    for year in available_years():
        places: list[Region | None] = [None, *regions_with_data(year)]
        for place in places:
            part = place.code if place else NATIONAL
            spatial = place.name if place else "Indonesia"
            for kind in KINDS.values():
                landing = base_url + url_for(kind.slug, part, year, None)
                datasets.append(
                    {
                        "@type": "dcat:Dataset",
                        "@id": landing,
                        "dct:identifier": f"{kind.slug}/{part}/{year}",
                        "dct:title": f"{kind.title} — {spatial} {year}",
                        "dct:description": str(kind.description),
                        "dcat:keyword": list(kind.keywords),
                        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": PUBLISHER},
                        "dct:license": {"@id": LICENSE},
                        "dct:temporal": {
                            "@type": "dct:PeriodOfTime",
                            "dcat:startDate": {"@value": f"{year}-01-01", "@type": "xsd:date"},
                            "dcat:endDate": {"@value": f"{year}-12-31", "@type": "xsd:date"},
                        },
                        "dct:spatial": {
                            "@type": "dct:Location",
                            "skos:prefLabel": spatial,
                            "dct:identifier": part,
                        },
                        "dcat:theme": kind.theme,
                        "dcat:landingPage": {"@id": landing},
                        "dcat:distribution": [
                            {
                                "@type": "dcat:Distribution",
                                "dct:title": f"{kind.title} ({fmt.upper()})",
                                "dcat:downloadURL": {"@id": base_url + url_for(kind.slug, part, year, fmt)},
                                "dcat:mediaType": media,
                                "dct:format": fmt.upper(),
                                "dct:license": {"@id": LICENSE},
                            }
                            for fmt, media in FORMATS.items()
                        ],
                    }
                )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@type": "dcat:Catalog",
        "@id": base_url + "/data/catalog.jsonld",
        "dct:title": _("Data terbuka Sinergi"),
        "dct:description": _(
            "Data agregat pelatihan talenta digital per wilayah dan tahun; sel kecil disensor."
        ),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": PUBLISHER},
        "dct:license": {"@id": LICENSE},
        "dcat:dataset": datasets,
    }
