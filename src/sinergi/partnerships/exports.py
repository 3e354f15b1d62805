"""Agreements out to spreadsheets: the XLSX export (read back by partnerships.imports, a round trip)
and the CSV export. Every text cell written is neutralised against formulas (core.tables).

File format (also written into every export as the "Petunjuk" sheet):

* Lembar "Kerja sama": one row per agreement. "Ref" is a free key, unique in the file, that the two
  other sheets use to point at their agreement. "ID Sinergi" is the agreement's id here: filled, the
  row updates that agreement; empty, the row updates the agreement with the same "Nomor" when exactly
  one such agreement can be managed by the importer, or else creates a new one.
* Lembar "Pihak": one row per party, keyed by "Ref kerja sama". An organisation is named by its name
  and Kemendagri region code (empty for national bodies), exactly as in the export.
* Lembar "Komitmen": one row per commitment, keyed by "Ref kerja sama"; "ID komitmen" (or, when empty,
  the same title) updates an existing commitment, otherwise a new one is added.

Columns marked "hanya info" (computed progress, region names) are written for readers and ignored on
import. Rows removed from a file delete nothing: deletion is a decision made on the agreement's page.
An import is all-or-nothing: every problem is reported with sheet, row and column, and nothing is
saved unless there is none. Exporting and importing the same file changes nothing.

Headers are identifiers of the format, so they stay Indonesian whatever the interface language."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sinergi.core import tables
from sinergi.partnerships.metrics import METRICS
from sinergi.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementType,
    Commitment,
    Scheme,
    Status,
    Topic,
)
from sinergi.partnerships.selectors import (
    AgreementRow,
)

XLSX_CONTENT_TYPE = tables.XLSX_CONTENT_TYPE
DATE_FORMAT = "DD-MM-YYYY"
TOPIC_SEPARATOR = "; "

SHEET_AGREEMENTS = "Kerja sama"
SHEET_PARTIES = "Pihak"
SHEET_COMMITMENTS = "Komitmen"
SHEET_GUIDE = "Petunjuk"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    note: str
    required: bool = False
    info_only: bool = False  # written for readers, ignored on import


AGREEMENT_COLUMNS = [
    Column("ref", "Ref", "Kunci baris, unik dalam berkas; dipakai lembar Pihak dan Komitmen.", True),
    Column("id", "ID Sinergi", "Kosongkan untuk kerja sama baru; diisi = memperbarui kerja sama itu."),
    Column("number", "Nomor", "Nomor naskah kerja sama."),
    Column("title", "Judul", "Judul kerja sama (maks. 300 karakter).", True),
    Column("type", "Jenis", "Salah satu jenis pada daftar di bawah.", True),
    Column("scheme", "Skema", "KSDD, KSDPK, KSDPL atau KSDLL; kosong = KSDPK."),
    Column("status", "Status", "Salah satu status pada daftar di bawah; kosong = Usulan (kerja sama baru)."),
    Column("topics", "Topik", "Satu atau lebih topik dari daftar, dipisah titik koma."),
    Column("scope", "Ruang lingkup", "Teks bebas."),
    Column("signed_date", "Tanggal penandatanganan", "Tanggal (HH-BB-TTTT)."),
    Column("signed_place", "Tempat penandatanganan", "Teks bebas."),
    Column("start_date", "Tanggal mulai", "Tanggal (HH-BB-TTTT).", True),
    Column("end_date", "Tanggal berakhir", "Tanggal (HH-BB-TTTT), tidak sebelum tanggal mulai.", True),
    Column(
        "region", "Kode wilayah", "Kode Kemendagri wilayah pemilik, mis. 64.72; kosong = wilayah kerja Anda."
    ),
    Column("region_name", "Wilayah", "Hanya info.", info_only=True),
    Column("parent", "ID MoU induk", "Untuk PKS: ID Sinergi MoU induknya."),
    Column("status_reason", "Alasan perubahan status", "Wajib bila status diubah menjadi Dihentikan."),
    Column("progress", "Kemajuan (%)", "Hanya info: dihitung dari data.", info_only=True),
    Column("progress_status", "Status kemajuan", "Hanya info.", info_only=True),
]
PARTY_COLUMNS = [
    Column("ref", "Ref kerja sama", "Ref baris di lembar Kerja sama.", True),
    Column("organization", "Organisasi", "Nama organisasi persis seperti terdaftar di Sinergi.", True),
    Column("org_region", "Kode wilayah organisasi", "Kode Kemendagri; kosong untuk lembaga nasional."),
    Column("org_kind", "Jenis organisasi", "Hanya info.", info_only=True),
    Column("role", "Peran", "Pihak pertama, Pihak kedua atau Pihak lain; kosong = Pihak lain."),
    Column("signatory_name", "Nama penanda tangan", "Teks bebas."),
    Column("signatory_position", "Jabatan penanda tangan", "Mis. Wali Kota, Bupati, Sekda."),
    Column("party_number", "Nomor pihak", "Nomor naskah menurut pihak ini."),
]
COMMITMENT_COLUMNS = [
    Column("ref", "Ref kerja sama", "Ref baris di lembar Kerja sama.", True),
    Column("id", "ID komitmen", "Kosongkan untuk komitmen baru."),
    Column("title", "Komitmen", "Uraian komitmen (maks. 300 karakter).", True),
    Column("metric", "Metrik", "Kunci metrik dari daftar di bawah; kosong = manual."),
    Column("target", "Target", "Angka, lebih besar dari nilai awal.", True),
    Column("unit", "Satuan", "Mis. kursi, ASN, UKM.", True),
    Column("deadline", "Tenggat", "Tanggal (HH-BB-TTTT).", True),
    Column("baseline", "Nilai awal", "Angka; kosong = 0."),
    Column("weight", "Bobot", "Angka tidak negatif; kosong = 1."),
    Column("breakdown", "Rincian (JSON)", 'Objek JSON, mis. {"dasar": 5000, "menengah": 3000}.'),
    Column("value", "Nilai saat ini", "Hanya info: dihitung dari data.", info_only=True),
    Column("percent", "Persen (%)", "Hanya info.", info_only=True),
    Column("progress_status", "Status kemajuan", "Hanya info.", info_only=True),
]
SHEETS = {
    SHEET_AGREEMENTS: AGREEMENT_COLUMNS,
    SHEET_PARTIES: PARTY_COLUMNS,
    SHEET_COMMITMENTS: COMMITMENT_COLUMNS,
}


def _ref(agreement: Agreement) -> str:
    return f"KS-{agreement.pk}"


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _topics_text(agreement: Agreement) -> str:
    return TOPIC_SEPARATOR.join(agreement.topic_labels())


def agreement_values(row: AgreementRow) -> dict[str, Any]:
    a = row.agreement
    return {
        "ref": _ref(a),
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "type": a.get_type_display(),
        "scheme": a.scheme,
        "status": a.get_status_display(),
        "topics": _topics_text(a),
        "scope": a.scope,
        "signed_date": a.signed_date,
        "signed_place": a.signed_place,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "region": a.region_id or "",
        "region_name": a.region.name if a.region else "",
        "parent": a.parent_id,
        "status_reason": "",
        "progress": row.rollup.percent if row.has_progress else None,
        "progress_status": _progress_label(row.rollup.status),
    }


def _progress_label(status: str | None) -> str:
    from sinergi.partnerships.metrics import STATUS_LABELS

    return str(STATUS_LABELS[status]) if status else ""


def party_values(agreement: Agreement, party: AgreementParty) -> dict[str, Any]:
    org = party.organization
    return {
        "ref": _ref(agreement),
        "organization": org.name,
        "org_region": org.region_id or "",
        "org_kind": org.get_kind_display(),
        "role": party.get_role_display(),
        "signatory_name": party.signatory_name,
        "signatory_position": party.signatory_position,
        "party_number": party.party_number,
    }


def commitment_values(agreement: Agreement, commitment: Commitment, progress) -> dict[str, Any]:
    return {
        "ref": _ref(agreement),
        "id": commitment.pk,
        "title": commitment.title,
        "metric": commitment.metric_key,
        "target": _num(commitment.target_value),
        "unit": commitment.unit,
        "deadline": commitment.deadline,
        "baseline": _num(commitment.baseline),
        "weight": _num(commitment.weight),
        "breakdown": json.dumps(commitment.breakdown, ensure_ascii=False) if commitment.breakdown else "",
        "value": _num(progress.value),
        "percent": progress.percent,
        "progress_status": progress.status_label,
    }


def _write_sheet(ws, columns: Sequence[Column], records: Iterable[dict[str, Any]]) -> None:
    ws.append(tables.xlsx_row(ws, [c.header for c in columns], bold=True))
    ws.freeze_panes = "A2"
    for record in records:
        # Text cells stay text (a title beginning with "=" is never run as a formula).
        ws.append(tables.xlsx_row(ws, [record.get(c.key) for c in columns], date_format=DATE_FORMAT))
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(column.header) + 4))


def _guide_rows() -> list[list[str]]:
    rows = [["Lembar", "Kolom", "Wajib", "Keterangan"]]
    for sheet, columns in SHEETS.items():
        rows += [[sheet, c.header, "ya" if c.required else "", c.note] for c in columns]
    rows.append([])
    rows.append(["Pilihan", "Nilai", "", "Keterangan"])
    with translation.override("id"):
        rows += [["Jenis", str(label), "", value] for value, label in AgreementType.choices]
        rows += [["Status", str(label), "", value] for value, label in Status.choices]
        rows += [["Topik", str(label), "", value] for value, label in Topic.choices]
        rows += [["Skema", value, "", str(label)] for value, label in Scheme.choices]
        rows += [["Peran", str(label), "", value] for value, label in AgreementParty.Role.choices]
    rows += [["Metrik", m.key, "", f"{m.label}: {m.description}"] for m in METRICS.values()]
    rows.append([])
    rows.append(
        [
            "Catatan",
            "",
            "",
            "Baris yang dihapus dari berkas tidak menghapus data. Impor bersifat semua-atau-tidak-sama-"
            "sekali: bila ada satu kesalahan, tidak ada yang disimpan.",
        ]
    )
    return rows


def export_xlsx(rows: Sequence[AgreementRow]) -> bytes:
    # The export is a file format, read back by import_xlsx whatever the reader's interface language.
    with translation.override("id"):
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET_AGREEMENTS
        _write_sheet(ws, AGREEMENT_COLUMNS, (agreement_values(r) for r in rows))
        _write_sheet(
            wb.create_sheet(SHEET_PARTIES),
            PARTY_COLUMNS,
            (party_values(r.agreement, p) for r in rows for p in r.agreement.parties.all()),
        )
        _write_sheet(
            wb.create_sheet(SHEET_COMMITMENTS),
            COMMITMENT_COLUMNS,
            (commitment_values(r.agreement, c, p) for r in rows for c, p in r.commitments),
        )
        guide = wb.create_sheet(SHEET_GUIDE)
        for line in _guide_rows():
            guide.append(tables.xlsx_row(guide, line))
        guide.column_dimensions["B"].width = 28
        guide.column_dimensions["D"].width = 90
        out = io.BytesIO()
        wb.save(out)
    return out.getvalue()


def export_csv(rows: Sequence[AgreementRow]) -> bytes:
    """The agreements sheet as CSV (UTF-8 with BOM so spreadsheet programs read the accents), plus a
    readable "Pihak" column. Dates are ISO (TTTT-BB-HH) here, for scripts."""
    columns = [c for c in AGREEMENT_COLUMNS if c.key != "status_reason"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([tables.csv_field(c.header) for c in columns] + ["Pihak"])
    with translation.override("id"):
        for row in rows:
            values = agreement_values(row)
            parties = " | ".join(
                f"{p.organization.name} ({p.get_role_display()})" for p in row.agreement.parties.all()
            )
            writer.writerow([tables.csv_field(values[c.key]) for c in columns] + [tables.csv_field(parties)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
