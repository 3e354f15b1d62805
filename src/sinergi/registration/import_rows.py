"""Checks of one row of a participant import, with no database access.

Everything a row is checked against (kab/kota codes, the importer's region, class codes, the NIK
rules) comes in an `RowContext` built once per file, so a 100,000-row file costs no query per row.
Error fields are the file's column names, so a message can be matched to a cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.core import tables
from sinergi.core.validators import name_problem

PERSON_COLUMNS = [
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "email",
    "telepon",
    "kode_wilayah",
    "kategori",
    "nip",
    "kegiatan_sebelum_pelatihan",
]
ACTIVITY_COLUMN = "kegiatan_sebelum_pelatihan"
APPLICATION_COLUMNS = ["gelombang", "kelas_1", "kelas_2", "kelas_3"]
CHOICE_COLUMNS = APPLICATION_COLUMNS[1:]
REQUIRED_COLUMNS = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "kategori"]
CATEGORIES = ("asn", "pelajar", "guru", "umkm", "umum")
NAME_MAX = 150

# Field names the NIK rules report in, translated to this file's column names.
_IDENTITY_FIELD_TO_COLUMN = {
    "birth_date": "tanggal_lahir",
    "sex": "jenis_kelamin",
    "category": "kategori",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARACTERS = re.compile(r"[^\d\s+()\-.]")
_SEX = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}


@functools.cache
def _activities() -> dict[str, str]:
    """What the status-before-training column accepts: each ActivityStatus code or its Indonesian label,
    ignoring case, spaces, hyphens and underscores ("Bekerja penuh waktu", "bekerja_penuh").
    Cached: the labels are read once per process, not once per row."""
    from sinergi.registration.models import ActivityStatus

    accepted: dict[str, str] = {}
    for code, label in ActivityStatus.choices:
        accepted[_activity_key(code)] = code
        for language in ("id", "en"):  # the label as the template's reader sees it, in either language
            with translation.override(language):
                accepted.setdefault(_activity_key(str(label)), code)
    return accepted


def activity_codes() -> list[str]:
    from sinergi.registration.models import ActivityStatus

    return list(ActivityStatus.values)


def _activity_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def parse_activity(value: str) -> str | None:
    """The ActivityStatus code of a cell; "" for an empty cell; None when it names no status."""
    if not value.strip():
        return ""
    return _activities().get(_activity_key(value))


@dataclass(frozen=True)
class ClassInfo:
    pk: int
    batch_id: int
    batch_name: str
    max_choices: int
    accepts_applications: bool


IdentityCheck = Callable[..., list[tuple[str, str]]]


@dataclass
class RowContext:
    regions: Mapping[str, str]  # kab/kota code → name
    identity_check: IdentityCheck
    scope_code: str | None = None  # None: the importer may import anyone (national admin, CLI)
    scope_name: str = ""
    classes: Mapping[str, ClassInfo] = field(default_factory=dict)

    def covers(self, region_code: str) -> bool:
        if self.scope_code is None:
            return True
        return region_code == self.scope_code or region_code.startswith(self.scope_code + ".")


@dataclass
class CleanRow:
    nik: str
    full_name: str
    birth_date: date
    sex: str
    email: str
    phone: str
    domicile_id: str
    category: str
    nip: str
    activity_before: str = ""
    batch_id: int | None = None
    class_ids: list[int] = field(default_factory=list)


Errors = list[tuple[str, str]]


def parse_date(value: str) -> date | None:
    """A birth date by the one date policy of every import (core.tables.parse_date)."""
    return tables.parse_date(value)


def normalise_region_code(value: str) -> str:
    """'16.71', '1671', ' 16.71 ' → '16.71'; anything else is returned as typed (and fails the lookup)."""
    value = value.strip()
    digits = value.replace(".", "")
    if len(digits) == 4 and digits.isdigit():
        return f"{digits[:2]}.{digits[2:]}"
    return value


def _digits(value: str) -> str:
    if value.isdigit():
        return value
    return "".join(ch for ch in value if ch.isdigit())


def outside_office_error(ctx: RowContext) -> tuple[str, str]:
    """The one refusal for a row the office may not import: the domicile it gives lies outside the
    office's region, or its NIK already belongs to a person domiciled elsewhere. Both read the same, so
    a check-only import never tells whether a NIK exists in another region."""
    return (
        "kode_wilayah",
        _(
            "Baris ini tidak dapat diimpor oleh kantor Anda: admin daerah hanya dapat mengimpor dan "
            "mengubah data penduduk yang berdomisili di wilayahnya (%(scope)s)."
        )
        % {"scope": ctx.scope_name},
    )


def check_row(values: Mapping[str, str], ctx: RowContext) -> tuple[Errors, CleanRow | None]:
    """All problems of one row, each as (column, Indonesian message); the cleaned row when there are none."""
    errors: Errors = []
    get = lambda col: (values.get(col) or "").strip()  # noqa: E731

    raw_nik = get("nik")
    nik = _digits(raw_nik)

    full_name = " ".join(get("nama").split())  # tabs and line breaks become single spaces
    if not full_name:
        errors.append(("nama", _("Nama wajib diisi.")))
    elif len(full_name) > NAME_MAX:
        errors.append(("nama", _("Nama terlalu panjang (maksimum %(n)d karakter).") % {"n": NAME_MAX}))
    elif problem := name_problem(full_name):
        errors.append(("nama", _("Nama %(problem)s") % {"problem": problem}))

    birth_date = None
    if not get("tanggal_lahir"):
        errors.append(("tanggal_lahir", _("Tanggal lahir wajib diisi.")))
    else:
        birth_date = parse_date(get("tanggal_lahir"))
        if birth_date is None:
            errors.append(
                (
                    "tanggal_lahir",
                    _("Tanggal lahir “%(v)s” tidak dikenali; tulis TTTT-BB-HH (1990-05-17) atau HH-BB-TTTT.")
                    % {"v": get("tanggal_lahir")},
                )
            )

    sex = _SEX.get(get("jenis_kelamin").lower(), "")
    if not sex:
        errors.append(("jenis_kelamin", _("Jenis kelamin harus L (laki-laki) atau P (perempuan).")))

    email = get("email")
    if email and (not _EMAIL.match(email) or len(email) > 254):
        errors.append(("email", _("Alamat e-mail “%(v)s” tidak valid.") % {"v": email}))

    phone = get("telepon")
    if phone:
        phone_digits = _digits(phone)
        if not 8 <= len(phone_digits) <= 15 or _PHONE_CHARACTERS.search(phone):
            errors.append(("telepon", _("Nomor telepon harus 8–15 angka, mis. 081234567890.")))
        phone = ("+" if phone.startswith("+") else "") + phone_digits

    region_code = normalise_region_code(get("kode_wilayah"))
    if not region_code:
        errors.append(("kode_wilayah", _("Kode wilayah (kab/kota) wajib diisi, mis. 16.71.")))
    elif region_code not in ctx.regions:
        errors.append(
            (
                "kode_wilayah",
                _(
                    "Kode wilayah “%(v)s” bukan kode kabupaten/kota Kemendagri "
                    "(contoh: 16.71 untuk Kota Palembang)."
                )
                % {"v": get("kode_wilayah")},
            )
        )
    elif not ctx.covers(region_code):
        errors.append(outside_office_error(ctx))

    category = get("kategori").lower()
    if category not in CATEGORIES:
        errors.append(
            ("kategori", _("Kategori harus salah satu dari: %(list)s.") % {"list": ", ".join(CATEGORIES)})
        )

    nip = _digits(get("nip"))

    activity_before = parse_activity(get(ACTIVITY_COLUMN))
    if activity_before is None:
        errors.append(
            (
                ACTIVITY_COLUMN,
                _(
                    "Kegiatan sebelum pelatihan “%(v)s” tidak dikenali; isi salah satu dari: %(list)s "
                    "(atau kosongkan)."
                )
                % {"v": get(ACTIVITY_COLUMN), "list": ", ".join(activity_codes())},
            )
        )

    # The NIK rules also check NIP against birth date and sex, and require a NIP for ASN.
    for fld, message in ctx.identity_check(
        raw_nik,
        birth_date,
        sex or None,
        kk=None,
        nip=get("nip") or None,
        category=category if category in CATEGORIES else None,
    ):
        if (fld, message) not in errors and not (fld == "sex" and not sex):
            errors.append((_IDENTITY_FIELD_TO_COLUMN.get(fld, fld), message))

    batch_id, class_ids = _check_choices(values, ctx, errors)
    if errors:
        return errors, None
    assert birth_date is not None
    return [], CleanRow(
        nik=nik,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        email=email.lower(),
        phone=phone,
        domicile_id=region_code,
        category=category,
        nip=nip,
        activity_before=activity_before or "",
        batch_id=batch_id,
        class_ids=class_ids,
    )


class RowChecker:
    """check_row for the rows of one file. A row that is plainly valid, as almost every row of a real
    file is, is accepted by a shortcut that builds the same CleanRow at a fraction of the cost; every
    other row goes through check_row, so each message a row gets is check_row's. Birth dates are
    parsed once per distinct text (a file holds far fewer days than rows)."""

    def __init__(self, ctx: RowContext, today: date | None = None) -> None:
        from sinergi.registration import nik

        self.ctx = ctx
        self.today = today or date.today()
        self._dates: dict[str, date | None] = {}
        # The shortcut mirrors the NIK rules of registration.nik; any other identity check (a test's)
        # is asked for every row.
        self._shortcut = ctx.identity_check is nik.validate_identity
        self._identity_is_clean = nik.identity_is_clean

    def __call__(self, values: Mapping[str, str]) -> tuple[Errors, CleanRow | None]:
        if self._shortcut and (clean := self._plainly_valid(values)) is not None:
            return [], clean
        return check_row(values, self.ctx)

    def _plainly_valid(self, values: Mapping[str, str]) -> CleanRow | None:
        """The row check_row would return for `values` when it finds nothing wrong; None when unsure."""
        ctx = self.ctx
        get = values.get
        full_name = " ".join((get("nama") or "").split())
        if not full_name or len(full_name) > NAME_MAX or name_problem(full_name):
            return None
        text = (get("tanggal_lahir") or "").strip()
        if text in self._dates:
            birth_date = self._dates[text]
        else:
            birth_date = self._dates[text] = parse_date(text) if text else None
        if birth_date is None:
            return None
        sex = _SEX.get((get("jenis_kelamin") or "").strip().lower(), "")
        if not sex:
            return None
        email = (get("email") or "").strip()
        if email and (len(email) > 254 or not _EMAIL.match(email)):
            return None
        phone = (get("telepon") or "").strip()
        if phone:
            phone_digits = _digits(phone)
            if not 8 <= len(phone_digits) <= 15 or _PHONE_CHARACTERS.search(phone):
                return None
            phone = ("+" if phone.startswith("+") else "") + phone_digits
        region_code = normalise_region_code(get("kode_wilayah") or "")
        if region_code not in ctx.regions or not ctx.covers(region_code):
            return None
        category = (get("kategori") or "").strip().lower()
        if category not in CATEGORIES:
            return None
        activity_before = parse_activity(get(ACTIVITY_COLUMN) or "")
        if activity_before is None:
            return None
        raw_nik = (get("nik") or "").strip()
        nip = (get("nip") or "").strip()
        # True only for a NIK and NIP of ASCII digits, which are then their own digits.
        if not self._identity_is_clean(raw_nik, birth_date, sex, nip, category, today=self.today):
            return None
        batch_id: int | None = None
        class_ids: list[int] = []
        if get("kelas_1") or get("kelas_2") or get("kelas_3") or get("gelombang"):
            errors: Errors = []
            batch_id, class_ids = _check_choices(values, ctx, errors)
            if errors:
                return None
        return CleanRow(
            nik=raw_nik,
            full_name=full_name,
            birth_date=birth_date,
            sex=sex,
            email=email.lower(),
            phone=phone,
            domicile_id=region_code,
            category=category,
            nip=nip,
            activity_before=activity_before,
            batch_id=batch_id,
            class_ids=class_ids,
        )


def _check_choices(
    values: Mapping[str, str], ctx: RowContext, errors: Errors
) -> tuple[int | None, list[int]]:
    codes = [(col, (values.get(col) or "").strip()) for col in CHOICE_COLUMNS]
    batch_name = (values.get("gelombang") or "").strip()
    if not any(code for _col, code in codes):
        if batch_name:
            errors.append(("kelas_1", _("Gelombang diisi tetapi tidak ada kelas yang dipilih di kelas_1.")))
        return None, []
    found: list[tuple[str, ClassInfo]] = []
    seen: set[str] = set()
    gap = False
    for col, code in codes:
        if not code:
            gap = True
            continue
        if gap:
            errors.append(
                (col, _("Isi pilihan kelas berurutan mulai dari kelas_1, tanpa kolom kosong di antaranya."))
            )
        key = code.upper()
        if key in seen:
            errors.append((col, _("Kelas %(code)s sudah dipilih di kolom sebelumnya.") % {"code": code}))
            continue
        seen.add(key)
        info = ctx.classes.get(key)
        if info is None:
            errors.append((col, _("Kode kelas “%(code)s” tidak ditemukan di wilayah Anda.") % {"code": code}))
        else:
            found.append((col, info))
    if not found:
        return None, []
    first_batch = found[0][1]
    for col, info in found[1:]:
        if info.batch_id != first_batch.batch_id:
            errors.append(
                (
                    col,
                    _("Semua pilihan kelas harus dari gelombang yang sama (%(batch)s).")
                    % {"batch": first_batch.batch_name},
                )
            )
    if batch_name and batch_name.casefold() != first_batch.batch_name.casefold():
        errors.append(
            (
                "gelombang",
                _("Kelas yang dipilih termasuk gelombang “%(batch)s”, bukan “%(given)s”.")
                % {"batch": first_batch.batch_name, "given": batch_name},
            )
        )
    if len(found) > first_batch.max_choices:
        errors.append(
            (
                CHOICE_COLUMNS[first_batch.max_choices],
                _("Gelombang ini mengizinkan paling banyak %(n)d pilihan kelas.")
                % {"n": first_batch.max_choices},
            )
        )
    if not first_batch.accepts_applications:
        errors.append(
            (
                "gelombang",
                _("Kursi gelombang “%(batch)s” sudah dibagi; pendaftaran tidak dapat ditambahkan lagi.")
                % {"batch": first_batch.batch_name},
            )
        )
    return first_batch.batch_id, [info.pk for _col, info in found]
