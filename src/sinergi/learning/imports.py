"""Attendance imported from an LMS export (CSV or XLSX), all or nothing.

Columns (header names are case-insensitive; Indonesian and English names accepted):
  email  or  nik   who: the participant's e-mail address or NIK (one of the two is required)
  sesi             which session: its number (1, 2, …) or its date (core.tables.parse_date: 2026-11-23,
                   23/11/2026, 23-11-2026, 23.11.2026 or a date cell)
  hadir            ya/tidak (also: yes/no, 1/0, hadir/absen, y/t)
Every row is checked first; if any row is wrong, nothing is saved and each error names its row (as
numbered in the spreadsheet, the header being row 1) and column.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import IO

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core import pii, tables
from sinergi.core.jobs import job_handler, report_progress
from sinergi.learning.models import Attendance, ClassSession, Enrolment
from sinergi.learning.services import write_attendance
from sinergi.programs.models import TrainingClass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

_ALIASES = {
    "email": "email",
    "e-mail": "email",
    "surel": "email",
    "alamat email": "email",
    "nik": "nik",
    "sesi": "sesi",
    "sesi ke": "sesi",
    "pertemuan": "sesi",
    "session": "sesi",
    "tanggal": "sesi",
    "hadir": "hadir",
    "kehadiran": "hadir",
    "present": "hadir",
    "attendance": "hadir",
}
_YES = {"ya", "y", "yes", "1", "true", "hadir", "h", "v", "✓"}
_NO = {"tidak", "t", "no", "n", "0", "false", "absen", "tidak hadir", "a", "alpa", "-", "x"}


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    present: int = 0
    absent: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_upload(name: str, size: int) -> str | None:
    """What is wrong with an upload before it is even read (its kind and size), or None."""
    if not name.lower().endswith((".csv", ".txt", ".xlsx")):
        return _("Format berkas tidak dikenali: unggah berkas .csv atau .xlsx.")
    if size > MAX_BYTES:
        return _("Berkas terlalu besar (maksimal 5 MB).")
    return None


def read_table(name: str, stream: IO[bytes]) -> list[tuple[int, list[object]]]:
    """Numbered rows of a CSV or XLSX file (core.tables: encodings, delimiters, limits)."""
    return list(tables.read_rows(stream, tables.limits(max_bytes=MAX_BYTES).with_rows(MAX_ROWS), name))


_text = tables.cell_text


def import_attendance(training_class: TrainingClass, name: str, stream: IO[bytes], *, user) -> ImportResult:
    """Check every row, then save all of them in one transaction, or none."""
    try:
        table = read_table(name, stream)
    except tables.TableRefused as exc:
        return ImportResult(errors=[str(exc)])
    # Skip fully blank lines (spreadsheets often end with some).
    numbered = [(i, row) for i, row in table if not tables.is_blank(row)]
    if not numbered:
        return ImportResult(errors=[_("Berkas kosong.")])
    header_line, header = numbered[0]
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        name_key = _ALIASES.get(_text(heading).lower())
        if name_key and name_key not in columns:
            columns[name_key] = index
    missing = [c for c in ("sesi", "hadir") if c not in columns]
    if "email" not in columns and "nik" not in columns:
        missing.insert(0, "email/nik")
    if missing:
        return ImportResult(
            errors=[
                _("Baris %(row)s (judul kolom): kolom wajib tidak ditemukan: %(cols)s.")
                % {"row": header_line, "cols": ", ".join(missing)}
            ]
        )
    rows = numbered[1:]
    if not rows:
        return ImportResult(errors=[_("Berkas hanya berisi judul kolom; tidak ada baris data.")])
    if len(rows) > MAX_ROWS:
        return ImportResult(errors=[_("Terlalu banyak baris (maksimal %(max)s).") % {"max": MAX_ROWS}])

    enrolments = list(
        training_class.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).select_related("participant")
    )
    by_email = {e.participant.email.lower(): e for e in enrolments if e.participant.email}
    by_nik_hash = {e.participant.nik_hash: e for e in enrolments}
    sessions = list(training_class.sessions.all())
    by_number = {s.number: s for s in sessions}
    by_date: dict[datetime.date, list[ClassSession]] = {}
    for s in sessions:
        by_date.setdefault(s.date, []).append(s)

    result = ImportResult(rows=len(rows))
    seen: dict[tuple[int, int], tuple[bool, int]] = {}
    planned: list[tuple[ClassSession, int, bool]] = []

    def cell(row: list[object], key: str) -> object:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    def error(line: int, column: str, message: str) -> None:
        result.errors.append(
            _("Baris %(row)s, kolom '%(col)s': %(msg)s") % {"row": line, "col": column, "msg": message}
        )

    for line, row in rows:
        enrolment = None
        email = _text(cell(row, "email")).lower()
        nik = pii.normalise_number(_text(cell(row, "nik")))
        if email:
            enrolment = by_email.get(email)
            if enrolment is None:
                error(
                    line,
                    "email",
                    _("tidak ada peserta kelas ini dengan e-mail %(email)s.") % {"email": email},
                )
        elif nik:
            if len(nik) != 16:
                error(line, "nik", _("NIK harus 16 angka."))
            else:
                enrolment = by_nik_hash.get(pii.keyed_hash(nik))
                if enrolment is None:
                    error(
                        line,
                        "nik",
                        _("tidak ada peserta kelas ini dengan NIK %(nik)s.") % {"nik": pii.mask(nik)},
                    )
        else:
            error(line, "email/nik", _("kosong; isi e-mail atau NIK peserta."))

        session = None
        raw_session = cell(row, "sesi")
        text = _text(raw_session)
        if not text:
            error(line, "sesi", _("kosong; isi nomor sesi atau tanggalnya."))
        elif text.isdigit():
            session = by_number.get(int(text))
            if session is None:
                error(line, "sesi", _("kelas ini tidak memiliki sesi ke-%(n)s.") % {"n": text})
        else:
            day = tables.parse_date(raw_session)
            if day is None:
                error(
                    line,
                    "sesi",
                    _("'%(value)s' bukan nomor sesi atau tanggal (contoh: 3 atau 2026-11-23).")
                    % {"value": text},
                )
            elif day not in by_date:
                error(
                    line,
                    "sesi",
                    _("tidak ada sesi pada tanggal %(date)s.") % {"date": day.strftime("%d/%m/%Y")},
                )
            elif len(by_date[day]) > 1:
                error(
                    line,
                    "sesi",
                    _("ada %(n)s sesi pada tanggal %(date)s; pakai nomor sesi.")
                    % {"n": len(by_date[day]), "date": day.strftime("%d/%m/%Y")},
                )
            else:
                session = by_date[day][0]

        present = None
        answer = _text(cell(row, "hadir")).lower()
        if answer in _YES:
            present = True
        elif answer in _NO:
            present = False
        else:
            error(
                line,
                "hadir",
                _("'%(value)s' tidak dikenali; isi ya atau tidak.") % {"value": answer}
                if answer
                else _("kosong; isi ya atau tidak."),
            )

        if enrolment is None or session is None or present is None:
            continue
        pair = (enrolment.pk, session.pk)
        if pair in seen:
            earlier_present, earlier_line = seen[pair]
            if earlier_present != present:
                error(
                    line,
                    "hadir",
                    _("bertentangan dengan baris %(other)s untuk peserta dan sesi yang sama.")
                    % {"other": earlier_line},
                )
            continue
        seen[pair] = (present, line)
        planned.append((session, enrolment.pk, present))

    if result.errors:
        return result
    by_session: dict[ClassSession, dict[int, bool]] = {}
    for session, enrolment_id, present in planned:
        by_session.setdefault(session, {})[enrolment_id] = present
    with transaction.atomic():
        for session, marks in by_session.items():
            write_attendance(session, marks, user=user, method=Attendance.Method.IMPORT)
    result.present = sum(1 for _s, _e, p in planned if p)
    result.absent = len(planned) - result.present
    return result


# --- Background job: the request stores the file, the job reads it ---------------------------------

JOB_KIND = "learning.attendance_import"
SCREEN_ERRORS = 200  # errors kept for the result page


@job_handler(JOB_KIND)
def attendance_import_job(job, *, path: str, filename: str, class_id: int, user_id: int) -> dict:
    from sinergi.accounts.models import User
    from sinergi.learning.selectors import managed_class

    try:
        user = User.objects.get(pk=user_id)
        training_class = managed_class(user, class_id)  # the uploader may have lost the class since
        report_progress(job, 0, 0, _("Memeriksa berkas…"))
        with default_storage.open(path, "rb") as stream:
            result = import_attendance(training_class, filename, stream, user=user)
    finally:
        tables.discard_upload(path)  # e-mail addresses and NIKs: kept no longer than needed
    job.message = (
        _("Impor berhasil: %(rows)s baris, %(present)s hadir, %(absent)s tidak hadir.")
        % {"rows": result.rows, "present": result.present, "absent": result.absent}
        if result.ok
        # A plural entry on the import page, so gettext() alone would not find its translation.
        else ngettext(
            "Ada %(n)s kesalahan; tidak ada data yang disimpan.",
            "Ada %(n)s kesalahan; tidak ada data yang disimpan.",
            len(result.errors),
        )
        % {"n": len(result.errors)}
    )
    return {
        "ok": result.ok,
        "errors": result.errors[:SCREEN_ERRORS],
        "error_count": len(result.errors),
        "rows": result.rows,
        "present": result.present,
        "absent": result.absent,
    }
