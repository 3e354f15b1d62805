"""Agreements in from the XLSX format that partnerships.exports writes (see its docstring for the
sheets and columns): every cell read and checked, every problem reported with sheet, row and column,
and nothing saved unless there is none. Each agreement is saved through partnerships.services, as
the edit page and the API save it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.accounts.models import Organization
from sinergi.core import tables
from sinergi.core.audit import record_bulk
from sinergi.core.jobs import job_handler
from sinergi.core.validators import control_character_problem, name_problem
from sinergi.partnerships import services
from sinergi.partnerships.exports import (
    AGREEMENT_COLUMNS,
    COMMITMENT_COLUMNS,
    PARTY_COLUMNS,
    SHEET_AGREEMENTS,
    SHEET_COMMITMENTS,
    SHEET_PARTIES,
    SHEETS,
    Column,
)
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
    agreements_visible_to,
    can_create_agreement_in,
    can_manage_agreement,
)
from sinergi.regions.models import Region

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
SCREEN_PROBLEMS = 500  # problems shown on the result page


@dataclass(frozen=True)
class ImportProblem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("lembar %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            where.append(_("baris %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = _("%(created)s kerja sama baru, %(updated)s diperbarui, %(unchanged)s tidak berubah.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            text = _("Uji coba (tidak ada yang disimpan): %(text)s") % {"text": text}
        return text


@dataclass
class _Cell:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class _PartyDraft:
    row: int
    organization: Organization
    role: str
    signatory_name: str
    signatory_position: str
    party_number: str


@dataclass
class _CommitmentDraft:
    row: int
    id: int | None
    title: str
    metric_key: str
    target_value: Decimal
    unit: str
    deadline: date
    baseline: Decimal
    weight: Decimal
    breakdown: dict


@dataclass
class _AgreementDraft:
    row: int
    ref: str
    existing: Agreement | None
    values: dict[str, Any]  # model field → value, only the fields the file states
    status: str | None
    status_reason: str
    parties: list[_PartyDraft] = field(default_factory=list)
    commitments: list[_CommitmentDraft] = field(default_factory=list)


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code or its label in any interface language, case-insensitively."""
    from django.conf import settings

    lookup = {}
    for value, _label in choices:
        lookup[str(value).lower()] = value
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                lookup.setdefault(str(label).strip().lower(), value)
    return lookup


_text = tables.cell_text


class _Reader:
    """Reads one workbook into drafts, collecting every problem instead of stopping at the first."""

    def __init__(self, user):
        self.user = user
        self.problems: list[ImportProblem] = []
        self.types = _choice_lookup(AgreementType.choices)
        self.statuses = _choice_lookup(Status.choices)
        self.topics = _choice_lookup(Topic.choices)
        self.schemes = _choice_lookup(Scheme.choices)
        self.roles = _choice_lookup(AgreementParty.Role.choices)
        self.metrics = {k.lower(): k for k in METRICS} | {
            str(m.label).lower(): m.key for m in METRICS.values()
        }
        self.visible = agreements_visible_to(user)
        # Lookups repeat across rows (the same ministry is a party to many agreements): one query each.
        self._agreements: dict[int, Agreement | None] = {}
        self._regions: dict[str, Region | None] = {}
        self._organizations: dict[tuple[str, str], list[Organization]] = {}

    def preload(self, cells: list[_Cell]) -> None:
        """Fetch every agreement the file names by id, with its parties and commitments, at once."""
        ids = {
            int(text)
            for cell in cells
            for key in ("id", "parent")
            if (text := _text(cell.values.get(key))).isdigit()
        }
        found = (
            self.visible.select_related("region", "parent")
            .prefetch_related("parties", "commitments")
            .in_bulk(list(ids))
        )
        self._agreements.update({pk: found.get(pk) for pk in ids})

    def visible_agreement(self, raw: str) -> Agreement | None:
        if not raw.isdigit():
            return None
        pk = int(raw)
        if pk not in self._agreements:
            self._agreements[pk] = self.visible.filter(pk=pk).first()
        return self._agreements[pk]

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = (
                Region.objects.filter(code=code).exclude(level=Region.Level.DISTRICT).first()
            )
        return self._regions[code]

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(sheet, row, column, message))

    # Cell parsers: each returns None (and records a problem) when the value is unusable.

    def date(self, cell: _Cell, column: Column) -> date | None:
        value = cell.values.get(column.key)
        if value in (None, ""):
            if column.required:
                self.problem(cell.sheet, cell.row, column.header, _("wajib diisi."))
            return None
        day = tables.parse_date(value)
        if day is not None:
            return day
        text = _text(value)
        self.problem(
            cell.sheet,
            cell.row,
            column.header,
            _("'%(value)s' bukan tanggal yang valid (gunakan HH-BB-TTTT, mis. 20-12-2021).")
            % {"value": text},
        )
        return None

    def decimal(self, cell: _Cell, column: Column, default: Decimal | None = None) -> Decimal | None:
        value = cell.values.get(column.key)
        if value in (None, ""):
            if column.required:
                self.problem(cell.sheet, cell.row, column.header, _("wajib diisi."))
            return default
        try:
            if isinstance(value, int | float):
                number = Decimal(str(value))
            else:
                number = Decimal(_text(value).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            self.problem(
                cell.sheet, cell.row, column.header, _("'%(value)s' bukan angka.") % {"value": _text(value)}
            )
            return None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            self.problem(cell.sheet, cell.row, column.header, _("angka di luar batas."))
            return None
        return number

    def choice(self, cell: _Cell, column: Column, lookup: dict[str, str], default: str | None) -> str | None:
        text = _text(cell.values.get(column.key))
        if not text:
            if column.required:
                self.problem(cell.sheet, cell.row, column.header, _("wajib diisi."))
            return default
        value = lookup.get(text.lower())
        if value is None:
            self.problem(
                cell.sheet,
                cell.row,
                column.header,
                _("'%(value)s' tidak dikenal; lihat daftar pilihan di lembar Petunjuk.") % {"value": text},
            )
        return value

    def text(self, cell: _Cell, column: Column, max_length: int, *, kind: str = "line") -> str:
        """`kind`: "line" (one line), "multiline" (tab and newlines allowed) or "name" (of a person)."""
        text = _text(cell.values.get(column.key))
        if column.required and not text:
            self.problem(cell.sheet, cell.row, column.header, _("wajib diisi."))
        elif len(text) > max_length:
            self.problem(
                cell.sheet,
                cell.row,
                column.header,
                _("terlalu panjang (%(n)s karakter, maks. %(max)s).") % {"n": len(text), "max": max_length},
            )
        elif problem := (
            name_problem(text)
            if kind == "name"
            else control_character_problem(text, multiline=kind == "multiline")
        ):
            self.problem(cell.sheet, cell.row, column.header, problem)
        return text

    # Sheets.

    def read_rows(self, wb: tables.Workbook, sheet: str, required: bool) -> list[_Cell]:
        columns = SHEETS[sheet]
        if sheet not in wb.sheetnames:
            if required:
                self.problem(sheet, 0, "", _("lembar tidak ditemukan dalam berkas."))
            return []
        rows = wb.rows(sheet)
        header = next(rows, (1, []))[1]
        positions: dict[str, int] = {}
        by_header = {c.header.lower(): c for c in columns}
        for index, name in enumerate(header):
            column = by_header.get(_text(name).lower())
            if column is not None and not column.info_only:
                positions[column.key] = index
        missing = [c.header for c in columns if c.required and c.key not in positions]
        for header_name in missing:
            self.problem(sheet, 1, header_name, _("kolom wajib tidak ada pada baris judul."))
        if missing:
            return []
        cells: list[_Cell] = []
        for number, values in rows:
            if all(v in (None, "") for v in values):
                continue
            cells.append(
                _Cell(
                    sheet, number, {k: values[i] if i < len(values) else None for k, i in positions.items()}
                )
            )
        return cells

    def agreement(self, cell: _Cell, refs: dict[str, _AgreementDraft]) -> _AgreementDraft | None:
        col = {c.key: c for c in AGREEMENT_COLUMNS}
        ref = _text(cell.values.get("ref"))
        if not ref:
            self.problem(cell.sheet, cell.row, col["ref"].header, _("wajib diisi."))
        elif ref in refs:
            self.problem(
                cell.sheet,
                cell.row,
                col["ref"].header,
                _("Ref '%(ref)s' sudah dipakai di baris %(row)s.") % {"ref": ref, "row": refs[ref].row},
            )
            ref = ""
        values: dict[str, Any] = {
            "number": self.text(cell, col["number"], 120),
            "title": self.text(cell, col["title"], 300),
            "scope": self.text(cell, col["scope"], 20_000, kind="multiline"),
            "signed_place": self.text(cell, col["signed_place"], 120),
            "type": self.choice(cell, col["type"], self.types, None),
            "scheme": self.choice(cell, col["scheme"], self.schemes, Scheme.KSDPK),
            "signed_date": self.date(cell, col["signed_date"]),
            "start_date": self.date(cell, col["start_date"]),
            "end_date": self.date(cell, col["end_date"]),
        }
        status = self.choice(cell, col["status"], self.statuses, None)
        topics = []
        for part in _text(cell.values.get("topics")).replace(",", ";").split(";"):
            if part.strip():
                topic = self.choice(
                    _Cell(cell.sheet, cell.row, {"t": part}),
                    Column("t", col["topics"].header, ""),
                    self.topics,
                    None,
                )
                if topic and topic not in topics:
                    topics.append(topic)
        values["topics"] = topics
        for message in services.period_errors(values["start_date"], values["end_date"]).get("end_date", []):
            self.problem(cell.sheet, cell.row, col["end_date"].header, message)
        existing = self._existing(cell, col, values["number"])
        region_code = _text(cell.values.get("region"))
        if region_code:
            region = self.region(region_code)
            if region is None:
                self.problem(
                    cell.sheet,
                    cell.row,
                    col["region"].header,
                    _("kode wilayah '%(code)s' tidak dikenal.") % {"code": region_code},
                )
            values["region"] = region
        parent_id = _text(cell.values.get("parent"))
        if parent_id:
            parent = self.visible_agreement(parent_id)
            if parent is None:
                self.problem(
                    cell.sheet,
                    cell.row,
                    col["parent"].header,
                    _("MoU induk dengan ID '%(id)s' tidak dikenal.") % {"id": parent_id},
                )
            else:
                rules = services.parent_errors(
                    user=self.user, type=values["type"], parent=parent, agreement=existing
                )
                for message in rules.get("parent", []):
                    self.problem(cell.sheet, cell.row, col["parent"].header, message)
            values["parent"] = parent
        else:
            values["parent"] = None
        if ref == "":
            return None
        draft = _AgreementDraft(
            row=cell.row,
            ref=ref,
            existing=existing,
            values=values,
            status=status,
            status_reason=_text(cell.values.get("status_reason")),
        )
        refs[ref] = draft
        return draft

    def _existing(self, cell: _Cell, col: dict[str, Column], number: str) -> Agreement | None:
        raw = _text(cell.values.get("id"))
        if raw:
            found = self.visible_agreement(raw)
            if found is None:
                self.problem(
                    cell.sheet,
                    cell.row,
                    col["id"].header,
                    _("kerja sama dengan ID '%(id)s' tidak dikenal.") % {"id": raw},
                )
            return found
        if number:
            # A file prepared outside Sinergi has no ids; its agreement numbers keep a re-import from
            # creating duplicates.
            same = [a for a in self.visible.filter(number=number)[:2] if can_manage_agreement(self.user, a)]
            if len(same) == 1:
                return same[0]
        return None

    def organization(self, cell: _Cell) -> Organization | None:
        col = {c.key: c for c in PARTY_COLUMNS}
        name = _text(cell.values.get("organization"))
        code = _text(cell.values.get("org_region"))
        if not name:
            self.problem(cell.sheet, cell.row, col["organization"].header, _("wajib diisi."))
            return None
        key = (name.lower(), code)
        if key not in self._organizations:
            candidates = Organization.objects.filter(name__iexact=name)
            if not candidates.exists():
                candidates = Organization.objects.filter(short_name__iexact=name)
            if code:
                candidates = candidates.filter(region_id=code)
            self._organizations[key] = list(candidates[:2])
        found = self._organizations[key]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self.problem(
                cell.sheet,
                cell.row,
                col["org_region"].header,
                _("ada lebih dari satu organisasi bernama '%(name)s'; isi kode wilayah organisasi.")
                % {"name": name},
            )
            return None
        where = _(" di wilayah %(code)s") % {"code": code} if code else ""
        self.problem(
            cell.sheet,
            cell.row,
            col["organization"].header,
            _("organisasi '%(name)s'%(where)s tidak dikenal; daftarkan dahulu di Sinergi.")
            % {"name": name, "where": where},
        )
        return None

    def party(self, cell: _Cell, refs: dict[str, _AgreementDraft]) -> None:
        col = {c.key: c for c in PARTY_COLUMNS}
        draft = self._draft_for(cell, refs, col["ref"])
        organization = self.organization(cell)
        role = self.choice(cell, col["role"], self.roles, AgreementParty.Role.OTHER)
        party = _PartyDraft(
            row=cell.row,
            organization=organization,  # type: ignore[arg-type]
            role=role or "",
            signatory_name=self.text(cell, col["signatory_name"], 120, kind="name"),
            signatory_position=self.text(cell, col["signatory_position"], 120),
            party_number=self.text(cell, col["party_number"], 120),
        )
        if draft is None or organization is None or role is None:
            return
        if any(p.organization.pk == organization.pk for p in draft.parties):
            self.problem(
                cell.sheet,
                cell.row,
                col["organization"].header,
                _("organisasi '%(name)s' sudah tercatat sebagai pihak kerja sama ini.")
                % {"name": organization.name},
            )
            return
        draft.parties.append(party)

    def commitment(self, cell: _Cell, refs: dict[str, _AgreementDraft]) -> None:
        col = {c.key: c for c in COMMITMENT_COLUMNS}
        draft = self._draft_for(cell, refs, col["ref"])
        title = self.text(cell, col["title"], 300)
        unit = self.text(cell, col["unit"], 40)
        metric = self.choice(cell, col["metric"], self.metrics, "manual")
        target = self.decimal(cell, col["target"])
        baseline = self.decimal(cell, col["baseline"], Decimal(0))
        weight = self.decimal(cell, col["weight"], Decimal(1))
        deadline = self.date(cell, col["deadline"])
        if target is not None and baseline is not None and target <= baseline:
            self.problem(
                cell.sheet, cell.row, col["target"].header, _("target harus lebih besar dari nilai awal.")
            )
        if weight is not None and weight < 0:
            self.problem(cell.sheet, cell.row, col["weight"].header, _("bobot tidak boleh negatif."))
        breakdown: dict = {}
        raw = _text(cell.values.get("breakdown"))
        if raw:
            try:
                breakdown = json.loads(raw)
            except json.JSONDecodeError:
                breakdown = None  # type: ignore[assignment]
            if not isinstance(breakdown, dict):
                self.problem(
                    cell.sheet,
                    cell.row,
                    col["breakdown"].header,
                    _('harus berupa objek JSON, mis. {"dasar": 5000}.'),
                )
        commitment_id = None
        raw_id = _text(cell.values.get("id"))
        if raw_id:
            existing_ids = (
                {c.pk for c in draft.existing.commitments.all()} if draft and draft.existing else set()
            )
            if raw_id.isdigit() and int(raw_id) in existing_ids:
                commitment_id = int(raw_id)
            elif draft is not None:
                self.problem(
                    cell.sheet,
                    cell.row,
                    col["id"].header,
                    _("komitmen dengan ID '%(id)s' bukan milik kerja sama ini.") % {"id": raw_id},
                )
        if draft is None or None in (metric, target, baseline, weight, deadline) or not title or not unit:
            return
        draft.commitments.append(
            _CommitmentDraft(
                row=cell.row,
                id=commitment_id,
                title=title,
                metric_key=metric,  # type: ignore[arg-type]
                target_value=target,  # type: ignore[arg-type]
                unit=unit,
                deadline=deadline,  # type: ignore[arg-type]
                baseline=baseline,  # type: ignore[arg-type]
                weight=weight,  # type: ignore[arg-type]
                breakdown=breakdown if isinstance(breakdown, dict) else {},
            )
        )

    def _draft_for(
        self, cell: _Cell, refs: dict[str, _AgreementDraft], column: Column
    ) -> _AgreementDraft | None:
        ref = _text(cell.values.get("ref"))
        if not ref:
            self.problem(cell.sheet, cell.row, column.header, _("wajib diisi."))
            return None
        if ref not in refs:
            self.problem(
                cell.sheet,
                cell.row,
                column.header,
                _("Ref '%(ref)s' tidak ada di lembar %(sheet)s.") % {"ref": ref, "sheet": SHEET_AGREEMENTS},
            )
            return None
        return refs[ref]


def read_workbook(file: IO[bytes], user, name: str = "") -> list[_AgreementDraft]:
    reader = _Reader(user)
    lim = tables.limits(max_bytes=MAX_IMPORT_BYTES).with_rows(MAX_IMPORT_ROWS)
    try:
        with tables.Workbook(file, lim, name) as wb:
            refs: dict[str, _AgreementDraft] = {}
            agreement_cells = reader.read_rows(wb, SHEET_AGREEMENTS, required=True)
            reader.preload(agreement_cells)
            drafts = [d for cell in agreement_cells if (d := reader.agreement(cell, refs)) is not None]
            for cell in reader.read_rows(wb, SHEET_PARTIES, required=False):
                reader.party(cell, refs)
            for cell in reader.read_rows(wb, SHEET_COMMITMENTS, required=False):
                reader.commitment(cell, refs)
    except tables.TableRefused as refused:
        raise ImportFailed([ImportProblem("", 0, "", str(refused))]) from None
    if not drafts and not reader.problems:
        reader.problem(SHEET_AGREEMENTS, 0, "", _("tidak ada baris kerja sama untuk diimpor."))
    if reader.problems:
        raise ImportFailed(reader.problems)
    return drafts


# Model field → header, to place a service's ValidationError in the right column.
_FIELD_COLUMNS = {
    "end_date": "Tanggal berakhir",
    "start_date": "Tanggal mulai",
    "parties": "Ref",
    "parent": "ID MoU induk",
    "commitments": "Ref",
    "status": "Status",
    "reason": "Alasan perubahan status",
    "title": "Judul",
    "signed_date": "Tanggal penandatanganan",
}


def _problems_from(error: ValidationError, row: int) -> list[ImportProblem]:
    if hasattr(error, "message_dict"):
        return [
            ImportProblem(SHEET_AGREEMENTS, row, _FIELD_COLUMNS.get(f, f), m)
            for f, messages in error.message_dict.items()
            for m in messages
        ]
    return [ImportProblem(SHEET_AGREEMENTS, row, "", m) for m in error.messages]


def import_xlsx(file: IO[bytes], *, user, dry_run: bool = False, name: str = "") -> ImportResult:
    """Read, check and save; all or nothing. Raises ImportFailed with every problem found."""
    drafts = read_workbook(file, user, name)
    result = ImportResult(dry_run=dry_run)
    problems: list[ImportProblem] = []
    with transaction.atomic():
        for draft in drafts:
            try:
                outcome = _apply(draft, user, result)
            except ValidationError as error:
                problems += _problems_from(error, draft.row)
                continue
            except _Refused as refused:
                problems.append(ImportProblem(SHEET_AGREEMENTS, draft.row, refused.column, refused.message))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise ImportFailed(problems)
    # Agreements saved here are audited row by row too, but a job has no request, so only this entry
    # says who imported them (and who tried the file first).
    operation = _("Uji coba impor kerja sama") if dry_run else _("Impor kerja sama")
    record_bulk(
        actor=user,
        target=Agreement,
        operation=f"{operation}: {PurePath(name).name}" if name else operation,
        counts={
            _("kerja sama baru"): result.created,
            _("kerja sama diperbarui"): result.updated,
            _("tidak berubah"): result.unchanged,
        },
    )
    return result


IMPORT_JOB = "partnerships.import_xlsx"


@job_handler(IMPORT_JOB)
def import_job(job, *, path: str, filename: str, user_id: int, dry_run: bool) -> dict:
    """The XLSX import of the upload page, read in a job (core.tables limits and deadline); the
    result page shows the summary or every problem."""
    from sinergi.accounts.models import User

    user = User.objects.get(pk=user_id)
    try:
        with default_storage.open(path, "rb") as stream:
            result = import_xlsx(stream, user=user, dry_run=dry_run, name=filename)
    except ImportFailed as failure:
        count = len(failure.problems)
        # The same msgid is a plural entry (the import page), so gettext() alone would not find it.
        job.message = ngettext(
            "%(n)s kesalahan; tidak ada yang disimpan.", "%(n)s kesalahan; tidak ada yang disimpan.", count
        ) % {"n": count}
        return {
            "ok": False,
            "problems": [asdict(p) for p in failure.problems[:SCREEN_PROBLEMS]],
            "problem_count": len(failure.problems),
        }
    finally:
        tables.discard_upload(path)
    job.message = result.summary()
    return {"ok": True, "summary": result.summary(), "warnings": result.warnings, "dry_run": dry_run}


class _Refused(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _apply(draft: _AgreementDraft, user, result: ImportResult) -> str:
    if draft.existing is None:
        region = draft.values.get("region")
        if not can_create_agreement_in(user, region):
            raise _Refused("Kode wilayah", _("Anda tidak berwenang menambah kerja sama untuk wilayah ini."))
        values = {k: v for k, v in draft.values.items() if k in services.EDITABLE_FIELDS}
        created = services.create_agreement(
            user=user,
            status=draft.status or Status.USULAN,
            parties=[
                services.PartyInput(
                    p.organization.pk, p.role, p.signatory_name, p.signatory_position, p.party_number
                )
                for p in draft.parties
            ],
            commitments=[_commitment_input(c, pk=None) for c in draft.commitments],
            **values,
        )
        result.warnings += [f"Ref {draft.ref}: {w}" for w in created.warnings]
        return "created"

    # Compare with what was read first; lock and compare again only when something differs, so an
    # unchanged file costs no writes and no row locks.
    if not any(_diff(draft.existing, draft)):
        return "unchanged"
    agreement = Agreement.objects.select_for_update().get(pk=draft.existing.pk)
    changes, party_changes, commitment_changes, status_change = _diff(agreement, draft)
    if not (changes or party_changes or commitment_changes or status_change):
        return "unchanged"
    if not can_manage_agreement(user, agreement):
        raise _Refused("ID Sinergi", _("Anda tidak berwenang mengubah kerja sama ini."))
    if "region" in changes and not can_create_agreement_in(user, changes["region"]):
        raise _Refused("Kode wilayah", _("Anda tidak berwenang memindahkan kerja sama ke wilayah ini."))
    services.update_agreement(
        agreement=agreement,
        user=user,
        parties=_party_inputs(agreement, draft.parties) if party_changes else None,
        commitments=_commitment_inputs(agreement, draft.commitments) if commitment_changes else None,
        status=draft.status if status_change else None,
        reason=draft.status_reason or _("Diubah melalui impor berkas."),
        **changes,
    )
    return "updated"


def _diff(agreement: Agreement, draft: _AgreementDraft) -> tuple[dict, list, list, bool]:
    changes = {
        k: v
        for k, v in draft.values.items()
        if k in services.EDITABLE_FIELDS
        and not (k == "region" and v is None)
        and _differs(getattr(agreement, k), v)
    }
    return (
        changes,
        _party_changes(agreement, draft.parties),
        _commitment_changes(agreement, draft.commitments),
        draft.status is not None and draft.status != agreement.status,
    )


def _differs(current: Any, new: Any) -> bool:
    # Cells are read stripped; surrounding blanks stored earlier are not a change.
    if isinstance(current, str) and isinstance(new, str):
        return current.strip() != new
    return current != new


def _party_changes(agreement: Agreement, parties: list[_PartyDraft]) -> list[tuple[AgreementParty, dict]]:
    current = {p.organization_id: p for p in agreement.parties.all()}
    changes = []
    for draft in parties:
        values = {
            "role": draft.role,
            "signatory_name": draft.signatory_name,
            "signatory_position": draft.signatory_position,
            "party_number": draft.party_number,
        }
        party = current.get(draft.organization.pk)
        if party is None:
            changes.append((AgreementParty(agreement=agreement, organization=draft.organization), values))
            continue
        diff = {k: v for k, v in values.items() if _differs(getattr(party, k), v)}
        if diff:
            changes.append((party, diff))
    return changes


def _party_inputs(agreement: Agreement, parties: list[_PartyDraft]) -> list[services.PartyInput]:
    """The agreement's complete new party list: the file's rows for the organisations it names, and
    the parties it leaves out as they are (a row removed from a file deletes nothing)."""
    drafts = {p.organization.pk: p for p in parties}
    inputs = []
    for party in agreement.parties.all():
        draft = drafts.pop(party.organization_id, None)
        source: Any = draft if draft is not None else party
        inputs.append(
            services.PartyInput(
                party.organization_id,
                source.role,
                source.signatory_name,
                source.signatory_position,
                source.party_number,
            )
        )
    inputs += [
        services.PartyInput(d.organization.pk, d.role, d.signatory_name, d.signatory_position, d.party_number)
        for d in drafts.values()
    ]
    return inputs


def _commitment_inputs(
    agreement: Agreement, commitments: list[_CommitmentDraft]
) -> list[services.CommitmentInput]:
    """The agreement's complete new commitment list, matched as _commitment_changes matches them;
    commitments the file leaves out stay as they are."""
    current = list(agreement.commitments.all())
    by_id = {c.pk: c for c in current}
    by_title = {c.title: c for c in current}
    matched: dict[int, _CommitmentDraft] = {}
    new: list[_CommitmentDraft] = []
    for draft in commitments:
        commitment = by_id.get(draft.id) if draft.id else by_title.get(draft.title)
        if commitment is None:
            new.append(draft)
        else:
            matched[commitment.pk] = draft
    inputs = []
    for commitment in current:
        source: Any = matched.get(commitment.pk, commitment)
        inputs.append(_commitment_input(source, pk=commitment.pk))
    return inputs + [_commitment_input(d, pk=None) for d in new]


def _commitment_input(source: Any, *, pk: int | None) -> services.CommitmentInput:
    return services.CommitmentInput(
        title=source.title,
        target_value=source.target_value,
        unit=source.unit,
        deadline=source.deadline,
        metric_key=source.metric_key,
        baseline=source.baseline,
        weight=source.weight,
        breakdown=source.breakdown,
        pk=pk,
    )


def _commitment_changes(
    agreement: Agreement, commitments: list[_CommitmentDraft]
) -> list[tuple[Commitment, dict]]:
    current = list(agreement.commitments.all())
    by_id = {c.pk: c for c in current}
    by_title = {c.title: c for c in current}
    changes = []
    for draft in commitments:
        values = {
            "title": draft.title,
            "metric_key": draft.metric_key,
            "target_value": draft.target_value,
            "unit": draft.unit,
            "deadline": draft.deadline,
            "baseline": draft.baseline,
            "weight": draft.weight,
            "breakdown": draft.breakdown,
        }
        commitment = by_id.get(draft.id) if draft.id else by_title.get(draft.title)
        if commitment is None:
            changes.append((Commitment(agreement=agreement), values))
            continue
        diff = {k: v for k, v in values.items() if _differs(getattr(commitment, k), v)}
        if diff:
            changes.append((commitment, diff))
    return changes
