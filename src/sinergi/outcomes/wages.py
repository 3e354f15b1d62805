"""Loading the minimum-wage table (UMP per province and year) from a CSV file.

No figures ship with Sinergi: each comes from a governor's decree (Keputusan Gubernur) and must be
entered with its source. The CSV has a header row and these columns (comma or semicolon separated,
UTF-8):

    kode_provinsi  Kemendagri code of the province, e.g. 16 (Sumatera Selatan)
    tahun          year the wage applies, e.g. 2026
    ump            monthly amount in rupiah, digits only or with thousands dots, e.g. 3.500.000
    sumber         the decree's number and date, e.g. "Kepgub Sumsel No. …/KPTS/…/2025"
    tautan         optional: link to the decree or the official announcement

Every row is checked first; a file with any bad row loads nothing and lists each problem by row.
A row for a province and year already listed replaces its amount and source.
"""

from __future__ import annotations

import csv
import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.outcomes.models import MinimumWage
from sinergi.regions.models import Region

COLUMNS = ("kode_provinsi", "tahun", "ump", "sumber", "tautan")


def load_minimum_wages(text: str) -> int:
    sample = text.lstrip("\ufeff")
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(sample), delimiter=delimiter)
    missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)})
    provinces = set(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))
    problems: list[str] = []
    rows = []
    for number, row in enumerate(reader, start=2):
        code = (row.get("kode_provinsi") or "").strip()
        year_text = (row.get("tahun") or "").strip()
        amount_text = re.sub(r"[.\s]|^rp", "", (row.get("ump") or "").strip().lower())
        source = (row.get("sumber") or "").strip()
        where = _("Baris %(n)s") % {"n": number}
        if code not in provinces:
            problems.append(
                _("%(where)s, kode_provinsi: “%(code)s” bukan kode provinsi.")
                % {"where": where, "code": code}
            )
        if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            problems.append(_("%(where)s, tahun: isi tahun empat angka, mis. 2026.") % {"where": where})
        if not (amount_text.isdigit() and 100_000 <= int(amount_text) <= 100_000_000):
            problems.append(
                _("%(where)s, ump: isi jumlah rupiah per bulan, mis. 3500000.") % {"where": where}
            )
        if not source:
            problems.append(
                _("%(where)s, sumber: wajib diisi (nomor dan tanggal keputusan).") % {"where": where}
            )
        rows.append((code, year_text, amount_text, source[:300], (row.get("tautan") or "").strip()[:200]))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for code, year, amount, source, url in rows:
            MinimumWage.objects.update_or_create(
                province_id=code,
                year=int(year),
                defaults={"amount": int(amount), "source": source, "source_url": url},
            )
    return len(rows)
