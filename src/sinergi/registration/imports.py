"""Bulk import of participants (and optionally their applications) from CSV or XLSX.

One pass over the file in chunks: each chunk is checked row by row (import_rows.check_row, no
queries), then the NIK keyed hashes of the chunk are looked up in one query, and — when writing —
new people are bulk-created and changed ones bulk-updated. A person whose data in the file equals
what is stored is not written at all, so re-importing a file changes nothing. All writes of one
import run in one transaction: either every valid row is stored or nothing is.

Used by the `sinergi import participants` command and by the web upload (a background job that
first checks the file, then — if the admin chooses — imports the valid rows).
"""

from __future__ import annotations

import enum
import hmac
import io
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import pii, tables
from sinergi.core.audit import record_bulk
from sinergi.core.jobs import job_handler, report_progress
from sinergi.core.tables import TableRefused
from sinergi.partnerships.metrics import mark_stale
from sinergi.registration.import_rows import (
    APPLICATION_COLUMNS,
    CHOICE_COLUMNS,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    ClassInfo,
    CleanRow,
    RowChecker,
    RowContext,
    activity_codes,
    outside_office_error,
)

CHUNK = 2000
COPY_MIN_ROWS = 200  # below this, COPY's set-up costs more than it saves
SCREEN_ERRORS = 200  # errors kept in the job result for the report page; the XLSX report has them all
ERROR_COLUMN = "kesalahan"
# Fields an import may change on an existing person; blank cells never erase what is stored.
UPDATABLE = (
    "full_name",
    "birth_date",
    "sex",
    "email",
    "phone",
    "domicile_id",
    "category",
    "nip",
    "activity_before",
)
OPTIONAL_FIELDS = ("email", "phone", "nip", "activity_before")


# The file as a whole cannot be imported (missing, not CSV/XLSX, over a limit, required columns missing).
UnreadableFile = TableRefused
DATE_COLUMN = "tanggal_lahir"


# --- Reading -------------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]  # column names as written in the file
    columns: list[str]  # the same, normalised (lower case, trimmed) for lookups
    rows: Iterator[tuple[int, list[str]]]  # (row number in the file, header = 1; cells as text)

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close:
            close()


def _cell_text(value: Any, is_date: bool) -> str:
    if value.__class__ is str:  # every CSV cell: what cell_text does to text, without its type tests
        return value.strip()  # type: ignore[no-any-return]
    if is_date and isinstance(value, int | float) and not isinstance(value, bool):
        day = tables.parse_date(value)  # an Excel serial number in a cell not formatted as a date
        if day is not None:
            return day.isoformat()
    return tables.cell_text(value)


def open_table(source: str | Path | IO[bytes], name: str = "") -> Table:
    """Open a CSV or XLSX file (core.tables: encodings, delimiters, limits); check its header."""
    name = name or str(source if isinstance(source, str | Path) else getattr(source, "name", ""))
    owned = isinstance(source, str | Path)  # a stream the caller passed in stays open for them
    try:
        if isinstance(source, str | Path):
            data_stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by the row iterator
        else:
            data_stream = source
    except FileNotFoundError:
        raise UnreadableFile(_("Berkas tidak ditemukan: %(name)s") % {"name": name}) from None
    except IsADirectoryError:
        raise UnreadableFile(
            _("%(name)s adalah folder, bukan berkas CSV atau XLSX.") % {"name": name}
        ) from None
    except OSError as exc:
        raise UnreadableFile(
            _("Berkas tidak dapat dibuka: %(name)s (%(err)s)") % {"name": name, "err": exc.strerror or exc}
        ) from None
    try:
        header, rows = _read(data_stream, name)
    except TableRefused:
        if owned:
            data_stream.close()
        raise

    def closing_rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from rows
        finally:
            if owned:
                data_stream.close()

    return Table(header=header, columns=[h.strip().lower() for h in header], rows=closing_rows())


def _read(stream: IO[bytes], name: str) -> tuple[list[str], Generator[tuple[int, list[str]], None, None]]:
    text_only = not tables.is_xlsx(stream)  # CSV cells are all text: _cell_text is a strip
    raw = tables.read_rows(stream, tables.limits(), name)
    try:
        header = _header(next(raw, None), name)
    except TableRefused:
        raw.close()
        raise
    width = len(header)
    is_date = [h.strip().lower() == DATE_COLUMN for h in header]

    def rows() -> Generator[tuple[int, list[str]], None, None]:
        try:
            for line, values in raw:
                if text_only:
                    cells = [v.strip() for v in values[:width]]
                else:
                    cells = [_cell_text(v, is_date[i]) for i, v in enumerate(values[:width])]
                if any(cells):
                    yield line, cells
        finally:
            raw.close()

    return header, rows()


def _header(first: tuple[int, list[Any]] | None, name: str) -> list[str]:
    if first is None:
        raise UnreadableFile(_("Berkas %(name)s kosong: tidak ada baris judul.") % {"name": name})
    header = [tables.cell_text(v) for v in first[1]]
    while header and not header[-1]:
        header.pop()
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise UnreadableFile(
            _("Kolom wajib tidak ada di baris judul: %(cols)s. Kolom templat: %(all)s.")
            % {"cols": ", ".join(missing), "all": ",".join(PERSON_COLUMNS)}
        )
    doubled = sorted({c for c in columns if c and columns.count(c) > 1})
    if doubled:
        raise UnreadableFile(_("Kolom muncul lebih dari sekali: %(cols)s.") % {"cols": ", ".join(doubled)})
    return header


# --- Context -------------------------------------------------------------------------------------------


def _identity_check() -> Callable[..., list[tuple[str, str]]]:
    from sinergi.registration import nik

    return nik.validate_identity  # type: ignore[attr-defined,no-any-return]


def build_context(user=None, *, with_classes: bool = False) -> RowContext:
    """What rows are checked against, read once. `user` None: the command line (no region limit)."""
    from sinergi.accounts.scoping import scope_for
    from sinergi.programs.models import Batch, TrainingClass
    from sinergi.programs.selectors import classes_visible_to
    from sinergi.regions.models import Region

    regions = dict(
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY]).values_list("code", "name")
    )
    scope_code = scope_name = None
    if user is not None:
        scope = scope_for(user)
        if not scope.is_national:
            if not scope.is_regional:
                raise PermissionError("only national and regional admins import participants")
            scope_code = scope.region_code
            scope_name = Region.objects.get(code=scope_code).name
    classes: dict[str, ClassInfo] = {}
    if with_classes:
        qs = classes_visible_to(user) if user is not None else TrainingClass.objects.all()
        for pk, code, batch_id, batch_name, max_choices, status in qs.values_list(
            "pk",
            "code",
            "program__batch_id",
            "program__batch__name",
            "program__batch__max_choices",
            "program__batch__status",
        ):
            classes[code.upper()] = ClassInfo(
                pk, batch_id, batch_name, max_choices, status != Batch.Status.ALLOCATED
            )
    return RowContext(
        regions=regions,
        identity_check=_identity_check(),
        scope_code=scope_code,
        scope_name=scope_name or "",
        classes=classes,
    )


# --- Checking and storing ------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    errors: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        return {
            "row": self.row,
            "ok": self.ok,
            "errors": [{"field": f, "message": m} for f, m in self.errors],
        }


@dataclass
class ImportResult:
    rows: list[RowOutcome] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applications_created: int = 0
    applications_updated: int = 0
    flagged: int = 0  # new people flagged as likely duplicates of someone stored
    written: bool = False
    # NIK hashes of the rows stored, so the people of this import can be invited afterwards.
    people: set[str] = field(default_factory=set)

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def invalid(self) -> int:
        return len(self.rows) - self.valid

    def errors_by_row(self) -> dict[int, list[tuple[str, str]]]:
        return {r.row: r.errors for r in self.rows if r.errors}

    def summary(self) -> dict:
        return {
            "valid": self.valid,
            "invalid": self.invalid,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "applications_created": self.applications_created,
            "applications_updated": self.applications_updated,
            "flagged": self.flagged,
            "written": self.written,
        }


def _nik_hasher() -> Callable[[str], str]:
    """pii.keyed_hash for a NIK already reduced to digits, with the key encoded once per import."""
    key = settings.PII_HASH_KEY.encode()
    digest = hmac.digest  # one-shot C call; hmac.new builds an object per NIK

    def hash_nik(nik: str) -> str:
        return digest(key, nik.encode(), "sha256").hex()

    return hash_nik


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def run_import(
    table: Table,
    ctx: RowContext,
    *,
    write: bool,
    progress: Callable[[int], None] | None = None,
    now=None,
) -> ImportResult:
    """Check every row; with `write`, store the valid ones (one transaction). Returns per-row outcomes."""
    result = ImportResult(written=write)
    if write:
        with transaction.atomic():
            _run(table, ctx, result, write=True, progress=progress, now=now or timezone.now())
    else:
        _run(table, ctx, result, write=False, progress=progress, now=now or timezone.now())
    return result


def _run(table: Table, ctx: RowContext, result: ImportResult, *, write: bool, progress, now) -> None:
    hash_nik = _nik_hasher()
    columns = table.columns
    first_line_of: dict[str, int] = {}  # NIK hash → line where it first appeared
    stored_people = _stored_people_reader()
    new_people: list[tuple[int, date, str]] = []  # (id, birth date, name) of everyone created
    check_row = RowChecker(ctx)
    done = 0
    for chunk in _chunks(table.rows, CHUNK):
        checked: list[tuple[RowOutcome, CleanRow, str]] = []
        for line, cells in chunk:
            values = dict(zip(columns, cells, strict=False))
            errors, clean = check_row(values)
            outcome = RowOutcome(line, errors)
            result.rows.append(outcome)
            if clean is None:
                continue
            nik_hash = hash_nik(clean.nik)
            if nik_hash in first_line_of:
                outcome.errors.append(
                    (
                        "nik",
                        _("NIK ini sudah ada di baris %(line)d berkas ini.")
                        % {"line": first_line_of[nik_hash]},
                    )
                )
                continue
            first_line_of[nik_hash] = line
            checked.append((outcome, clean, nik_hash))
        # Plain rows, not model instances: on a re-import every row is found here.
        existing = stored_people([h for _o, _c, h in checked])
        accepted: list[tuple[CleanRow, str]] = []
        for outcome, clean, nik_hash in checked:
            person = existing.get(nik_hash)
            if person is not None and not ctx.covers(person["domicile_id"]):
                outcome.errors.append(outside_office_error(ctx))
                continue
            accepted.append((clean, nik_hash))
            result.people.add(nik_hash)
        _store_chunk(accepted, existing, result, new_people, write=write, now=now)
        done += len(chunk)
        if progress:
            progress(done)
    if new_people:
        # Once for the whole file, not per chunk: each chunk would read again everyone born on its
        # dates. Same pairs as chunk by chunk, since a new person is only compared with lower ids.
        result.flagged = _flag_lookalikes(new_people)


_PERSON_FIELDS = ("pk", "nik_hash", *UPDATABLE)


def _stored_people_reader(*, generic: bool = False) -> Callable[[list[str]], dict[str, dict[str, Any]]]:
    """NIK hash → stored fields of the people with those hashes. On PostgreSQL one array parameter
    instead of 2,000 placeholders, which cost more to build and parse than the query takes to run."""
    from django.db import connection

    from sinergi.registration.models import Participant

    if generic or connection.vendor != "postgresql":

        def read_orm(hashes: list[str]) -> dict[str, dict[str, Any]]:
            people = Participant.objects.filter(nik_hash__in=hashes).values(*_PERSON_FIELDS)
            return {row["nik_hash"]: row for row in people}

        return read_orm

    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("id", *_PERSON_FIELDS[1:]))  # each field's column is its attname
    table = quote(Participant._meta.db_table)
    # The hashes as one comma-joined text: psycopg builds a list parameter in Python, item by item.
    sql = f"SELECT {columns} FROM {table} WHERE nik_hash = ANY(string_to_array(%s, ','))"  # noqa: S608

    def read_sql(hashes: list[str]) -> dict[str, dict[str, Any]]:
        if not hashes:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [",".join(hashes)])
            return {row[1]: dict(zip(_PERSON_FIELDS, row, strict=True)) for row in cursor.fetchall()}

    return read_sql


def _store_chunk(accepted, existing, result: ImportResult, new_people: list, *, write: bool, now) -> None:
    from sinergi.registration.models import Participant

    new: list[tuple[CleanRow, str]] = []
    changed: list[Participant] = []
    for clean, nik_hash in accepted:
        person = existing.get(nik_hash)
        if person is None:
            new.append((clean, nik_hash))
            continue
        updates = {}
        for fld in UPDATABLE:
            value = getattr(clean, fld)
            if fld in OPTIONAL_FIELDS and not value:
                continue
            if person[fld] != value:
                updates[fld] = value
        if updates:
            changed.append(Participant(**{**person, **updates, "updated_at": now}))
        else:
            result.unchanged += 1
    result.created += len(new)
    result.updated += len(changed)
    if not write:
        return
    need_ids = any(clean.batch_id is not None for clean, _h in accepted)
    ids = {h: row["pk"] for h, row in existing.items()}
    if new:
        new_ids = _insert_new(new, now)
        ids.update(new_ids)
        new_people.extend((new_ids[h], c.birth_date, c.full_name) for c, h in new)
    if changed:
        Participant.objects.bulk_update(changed, [*UPDATABLE, "updated_at"], batch_size=CHUNK)
    if need_ids:
        wanted = {ids[h]: clean for clean, h in accepted if clean.batch_id is not None}
        _store_applications(wanted, result, now)


def _flag_lookalikes(new_people: list[tuple[int, date, str]]) -> int:
    """Flag new people who look like someone stored earlier (same birth date, near-identical name,
    another NIK) for admin review, as sign-up does, with one read per 2,000 birth dates. Returns how many."""
    from collections import defaultdict

    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    from sinergi.registration.models import DuplicateFlag, Participant
    from sinergi.registration.services import DUPLICATE_SIMILARITY, comparable_name

    new_ids = {pk for pk, _born, _name in new_people}
    by_birth: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for pk, born, name in _people_born_on({born for _pk, born, _name in new_people}):
        by_birth[born].append((pk, name))
    comparable: dict[str, str] = {}  # names repeat; each is simplified once
    flags = []
    for group in by_birth.values():
        if len(group) < 2:
            continue
        group.sort()
        names = [comparable.get(n) or comparable.setdefault(n, comparable_name(n)) for _pk, n in group]
        for i in range(1, len(group)):
            me = group[i][0]
            if me not in new_ids:
                continue
            # The later record waits for review, never the earlier one (as at sign-up).
            for _name, score, j in process.extract(
                names[i],
                names[:i],
                scorer=JaroWinkler.similarity,
                score_cutoff=DUPLICATE_SIMILARITY,
                limit=None,
            ):
                flags.append(
                    DuplicateFlag(
                        participant_id=me, similar_to_id=group[j][0], similarity=round(float(score), 4)
                    )
                )
    if not flags:
        return 0
    DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=CHUNK)
    flagged = sorted({f.participant_id for f in flags})
    for ids in _chunks(flagged, CHUNK):
        Participant.objects.filter(pk__in=ids).update(duplicate_status=Participant.DuplicateStatus.FLAGGED)
    return len(flagged)


def _people_born_on(births: set[date], *, generic: bool = False) -> list[tuple[int, date, str]]:
    """(id, birth date, name) of everyone stored with one of these birth dates."""
    from django.db import connection

    from sinergi.registration.models import Participant

    days = sorted(births)
    if generic or connection.vendor != "postgresql":
        return [
            row
            for dates in _chunks(days, CHUNK)
            for row in Participant.objects.filter(birth_date__in=dates).values_list(
                "pk", "birth_date", "full_name"
            )
        ]
    table = connection.ops.quote_name(Participant._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, birth_date, full_name FROM {table} WHERE birth_date = ANY(%s)",  # noqa: S608 - quoted name
            [days],
        )
        return cursor.fetchall()


# Columns a new imported person is written with; the others keep their defaults.
_NEW_COLUMNS = (
    "nik_hash",
    "nik_encrypted",
    "full_name",
    "birth_date",
    "sex",
    "email",
    "phone",
    "domicile_id",
    "category",
    "nip",
    "activity_before",
    "created_at",
    "updated_at",
)


def _copy_defaults() -> dict[str, object]:
    """Every other non-null column with the model's own default: Django keeps defaults in Python, not
    in the table, so COPY must write them, and a field added later cannot break the import."""
    from sinergi.registration.models import Participant

    defaults: dict[str, object] = {}
    for column in Participant._meta.concrete_fields:
        if column.primary_key or column.null or column.column in _NEW_COLUMNS or column.column is None:
            continue
        default = column.get_default()
        # Choices are str enums; the table holds their value.
        defaults[column.column] = default.value if isinstance(default, enum.Enum) else default
    return defaults


def _insert_new(new: list[tuple[CleanRow, str]], now) -> dict[str, int]:
    """Store new people; on PostgreSQL by COPY (several times faster than INSERT for big files).
    NIKs are encrypted all at once (pii.encrypt_many). Returns NIK hash → id."""
    from django.db import connection

    from sinergi.registration.models import Participant

    tokens = pii.encrypt_many([c.nik for c, _h in new])
    rows = [
        (
            nik_hash,
            token,
            c.full_name,
            c.birth_date,
            c.sex,
            c.email,
            c.phone,
            c.domicile_id,
            c.category,
            c.nip,
            c.activity_before,
            now,
            now,
        )
        for (c, nik_hash), token in zip(new, tokens, strict=True)
    ]
    if connection.vendor != "postgresql" or len(rows) < COPY_MIN_ROWS:
        made = Participant.objects.bulk_create(
            [Participant(**dict(zip(_NEW_COLUMNS, row, strict=True))) for row in rows], batch_size=CHUNK
        )
        return {p.nik_hash: p.pk for p in made}
    table = connection.ops.quote_name(Participant._meta.db_table)
    copy_defaults = _copy_defaults()
    names = [*_NEW_COLUMNS, *copy_defaults]
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    defaults = tuple(copy_defaults.values())
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, inside Django's transaction
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + defaults)
        # COPY returns no ids; one text parameter rather than 2,000 placeholders (see _stored_people_reader)
        cursor.execute(
            f"SELECT nik_hash, id FROM {table} WHERE nik_hash = ANY(string_to_array(%s, ','))",  # noqa: S608
            [",".join(h for _c, h in new)],
        )
        return dict(cursor.fetchall())


def _store_applications(wanted: dict[int, CleanRow], result: ImportResult, now) -> None:
    """Create or re-rank applications; an application the person withdrew is left as they left it."""
    from sinergi.registration.models import Application, ApplicationChoice

    batch_ids = {clean.batch_id for clean in wanted.values() if clean.batch_id is not None}
    current: dict[tuple[int, int], Application] = {
        (a.participant_id, a.batch_id): a
        for a in Application.objects.filter(participant_id__in=wanted, batch_id__in=batch_ids)
    }
    ranked: dict[int, list[int]] = {}
    for app_id, class_id in (
        ApplicationChoice.objects.filter(application__in=[a.pk for a in current.values()])
        .order_by("application_id", "rank")
        .values_list("application_id", "training_class_id")
    ):
        ranked.setdefault(app_id, []).append(class_id)
    new_apps: list[Application] = []
    rerank: list[Application] = []
    for participant_id, clean in wanted.items():
        assert clean.batch_id is not None
        app = current.get((participant_id, clean.batch_id))
        if app is None:
            app = Application(
                participant_id=participant_id, batch_id=clean.batch_id, created_at=now, updated_at=now
            )
            new_apps.append(app)
        elif app.status == Application.Status.WITHDRAWN or ranked.get(app.pk) == clean.class_ids:
            continue
        else:
            app.updated_at = now
            rerank.append(app)
        app._import_class_ids = clean.class_ids  # type: ignore[attr-defined]
    if new_apps:
        Application.objects.bulk_create(new_apps)
    if rerank:
        ApplicationChoice.objects.filter(application__in=[a.pk for a in rerank]).delete()
        Application.objects.bulk_update(rerank, ["updated_at"])
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application_id=app.pk, training_class_id=class_id, rank=rank)
        for app in [*new_apps, *rerank]
        for rank, class_id in enumerate(app._import_class_ids, start=1)  # type: ignore[attr-defined]
    )
    if new_apps or rerank:  # bulk writes: no model signals reach the stored progress
        mark_stale(Q(agreement__programs__batch__in={a.batch_id for a in [*new_apps, *rerank]}))
    result.applications_created += len(new_apps)
    result.applications_updated += len(rerank)


def import_file(
    source: str | Path | IO[bytes], *, user=None, write: bool, name: str = "", progress=None
) -> ImportResult:
    """Open, check and (with `write`) store. Raises UnreadableFile for a file that cannot be imported."""
    table = open_table(source, name)
    try:
        with_classes = any(c in table.columns for c in CHOICE_COLUMNS)
        result = run_import(
            table, build_context(user, with_classes=with_classes), write=write, progress=progress
        )
    finally:
        table.close()
    _audit(result, user=user, name=name or str(getattr(source, "name", source)))
    return result


def _audit(result: ImportResult, *, user, name: str) -> None:
    """A check reads who exists as much as an import writes, so both leave one entry."""
    from sinergi.registration.models import Participant

    operation = _("Impor peserta") if result.written else _("Pemeriksaan impor peserta")
    record_bulk(
        actor=user,
        target=Participant,
        operation=f"{operation}: {Path(name).name}",
        counts={
            _("baris valid"): result.valid,
            _("baris tidak valid"): result.invalid,
            _("peserta baru"): result.created,
            _("peserta diubah"): result.updated,
            _("pendaftaran baru"): result.applications_created,
            _("pendaftaran diubah"): result.applications_updated,
            _("ditandai data ganda"): result.flagged,
        },
    )


def count_rows(source: str | Path | IO[bytes], name: str = "") -> int:
    table = open_table(source, name)
    try:
        return sum(1 for _ in table.rows)
    finally:
        table.close()


# --- Files: template, report, uploads ------------------------------------------------------------------


def template_xlsx() -> bytes:
    """An empty import template with a sheet explaining each column."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "peserta"
    columns = [*PERSON_COLUMNS, *APPLICATION_COLUMNS]
    sheet.append(tables.xlsx_row(sheet, columns, bold=True))
    for i in range(1, len(columns) + 1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = 22
        # Text format, so Excel keeps NIK, NIP, codes and leading zeros of phone numbers as typed.
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("petunjuk")
    help_sheet.append(tables.xlsx_row(help_sheet, [_("kolom"), _("wajib"), _("keterangan")], bold=True))
    for col, required, text in _column_help():
        help_sheet.append(tables.xlsx_row(help_sheet, [col, _("ya") if required else _("tidak"), text]))
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["C"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_help() -> list[tuple[str, bool, str]]:
    return [
        (
            "nik",
            True,
            _("NIK 16 angka sesuai KTP/KK; tanggal lahir dan jenis kelamin harus cocok dengan NIK."),
        ),
        ("nama", True, _("Nama lengkap sesuai KTP.")),
        (
            "tanggal_lahir",
            True,
            _(
                "TTTT-BB-HH (1990-05-17) atau HH-BB-TTTT (17-05-1990, 17/05/1990, 17.05.1990), "
                "atau sel tanggal."
            ),
        ),
        ("jenis_kelamin", True, _("L (laki-laki) atau P (perempuan).")),
        ("email", False, _("Alamat e-mail untuk pemberitahuan.")),
        ("telepon", False, _("Nomor telepon/WhatsApp, 8–15 angka.")),
        (
            "kode_wilayah",
            True,
            _("Kode kabupaten/kota Kemendagri domisili, mis. 16.71 (Kota Palembang); 1671 juga diterima."),
        ),
        ("kategori", True, _("asn, pelajar, guru, umkm atau umum.")),
        ("nip", False, _("NIP 18 angka; wajib untuk kategori asn.")),
        (
            "kegiatan_sebelum_pelatihan",
            False,
            _(
                "Kegiatan utama sebelum pelatihan, untuk dibandingkan dengan jawaban tracer sesudahnya: "
                "%(codes)s (atau tulis labelnya, mis. “Bekerja penuh waktu”). Kosong: tidak diubah."
            )
            % {"codes": ", ".join(activity_codes())},
        ),
        ("gelombang", False, _("Nama gelombang pendaftaran (boleh kosong bila kelas diisi).")),
        ("kelas_1", False, _("Kode kelas pilihan pertama; kelas_2 dan kelas_3 untuk pilihan berikutnya.")),
    ]


def report_xlsx(
    source: str | Path | IO[bytes], errors_by_row: dict[int, list[tuple[str, str]]], name: str = ""
) -> bytes:
    """The uploaded rows as they were, plus a column with each row's problems in Indonesian."""
    import openpyxl

    table = open_table(source, name)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("laporan")
    sheet.append(tables.xlsx_row(sheet, [*table.header, ERROR_COLUMN]))
    width = len(table.header)
    try:
        for line, cells in table.rows:
            padded = (cells + [""] * width)[:width]
            problems = "; ".join(f"{fld}: {msg}" for fld, msg in errors_by_row.get(line, []))
            # Cells as uploaded, so "=HYPERLINK(…)" in a name stays text here too.
            sheet.append(tables.xlsx_row(sheet, [*padded, problems]))
    finally:
        table.close()
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def save_upload(uploaded, user) -> str:
    return tables.store_upload(uploaded, user, "imports")


# --- Background job ------------------------------------------------------------------------------------


@job_handler("registration.import")
def import_job(job, *, path: str, filename: str, user_id: int, write: bool = False) -> dict:
    """Check (write=False) or import (write=True) a stored upload; the result feeds the report page."""
    from sinergi.accounts.models import User

    user = User.objects.get(pk=user_id)
    try:
        result = _check_or_import(job, path, filename, user, write)
    except TableRefused:
        # Over a limit or past the deadline: nothing was stored, nothing can be; the file of NIKs goes.
        discard_upload(path)
        raise
    errors = [r.as_json() for r in result.rows if r.errors]
    invited = without_email = 0
    if write:
        discard_upload(path)  # imported: the personal data now lives (encrypted) in the database only
        invited, without_email = _invite_imported(result, user)
    else:
        # The report is written here, in the job, so that downloading it reads no upload in a request.
        with default_storage.open(path, "rb") as stream:
            report = report_xlsx(stream, result.errors_by_row(), filename)
        default_storage.save(report_path(path), io.BytesIO(report))
    job.message = (
        _("%(valid)d baris valid, %(invalid)d baris bermasalah.")
        % {"valid": result.valid, "invalid": result.invalid}
        if not write
        else _("%(new)d peserta baru, %(upd)d diperbarui, %(same)d tanpa perubahan.")
        % {"new": result.created, "upd": result.updated, "same": result.unchanged}
    )
    return {
        **result.summary(),
        "errors": errors[:SCREEN_ERRORS],
        "total": len(result.rows),
        "invited": invited,
        "without_email": without_email,
    }


def _invite_imported(result: ImportResult, user) -> tuple[int, int]:
    """Invite the people of this import who have no account yet (not again on a re-import); count those
    without an address, whom the officer must reach another way."""
    from sinergi.registration.invitations import invite
    from sinergi.registration.models import Participant

    ids: list[int] = []
    without_email = 0
    hashes = list(result.people)
    for chunk in _chunks(hashes, CHUNK):
        for pk, email in Participant.objects.filter(nik_hash__in=chunk, user__isnull=True).values_list(
            "pk", "email"
        ):
            if email:
                ids.append(pk)
            else:
                without_email += 1
    return invite(ids, actor=user, only_new=True), without_email


def _check_or_import(job, path: str, filename: str, user, write: bool) -> ImportResult:
    with default_storage.open(path, "rb") as stream:
        total = count_rows(stream, filename)
    # An import stores every row in one transaction: until it ends nothing is saved, so the bar
    # counts rows prepared, and a worker that dies mid-way leaves nothing to undo.
    report_progress(
        job,
        0,
        total,
        _("Memeriksa %(n)d baris…") % {"n": total}
        if not write
        else _("Mengimpor %(n)d baris; semuanya disimpan sekaligus di akhir…") % {"n": total},
    )
    step = max(CHUNK, total // 20)

    def progress(done: int) -> None:
        if done % step < CHUNK or done >= total:
            report_progress(job, done, total)

    with default_storage.open(path, "rb") as stream:
        return import_file(stream, user=user, write=write, name=filename, progress=progress)


def report_path(path: str) -> str:
    return path + ".laporan.xlsx"


UNDECIDED_UPLOAD_LIFETIME = timedelta(days=2)


def purge_undecided_uploads(now=None) -> int:
    """Delete uploads nobody decided on within UNDECIDED_UPLOAD_LIFETIME: a file of NIKs must not
    linger on disk because an admin closed the tab. Their checks are marked "expired"."""
    from sinergi.core.models import Job

    cutoff = (now or timezone.now()) - UNDECIDED_UPLOAD_LIFETIME
    stale = Job.objects.filter(
        kind="registration.import", created_at__lt=cutoff, params__write=False
    ).exclude(params__has_key="decision")
    count = 0
    for job in stale:
        discard_upload(job.params["path"])
        job.params = {**job.params, "decision": "expired"}
        job.save(update_fields=["params"])
        count += 1
    return count


def discard_upload(path: str) -> None:
    for name in (path, report_path(path)):
        tables.discard_upload(name)
