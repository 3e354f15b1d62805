"""NIK / KK / NIP validation: every bad input gets a message that says what is wrong and where."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.registration.nik import compose_nik, nik_facts, validate_identity

BORN = date(1998, 5, 17)
PALEMBANG_MAN = "1671011705980001"
PALEMBANG_WOMAN = "1671015705980002"
NIP_MAN = "199805172020121001"  # born 17-05-1998, TMT 2020-12, man


def messages(errors, field=None):
    return [m for f, m in errors if field is None or f == field]


def test_valid_identity_has_no_errors():
    assert validate_identity(PALEMBANG_MAN, BORN, "L") == []
    assert validate_identity(PALEMBANG_WOMAN, BORN, "P") == []
    assert (
        validate_identity(PALEMBANG_MAN, BORN, "L", kk="1671010101100003", nip=NIP_MAN, category="asn") == []
    )


def test_separators_are_tolerated():
    assert validate_identity("1671 0117 0598 0001", BORN, "L") == []


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("", "NIK wajib diisi."),
        ("167101170598001", "NIK harus 16 digit; yang diisi 15 digit."),
        ("16710117059800011", "NIK harus 16 digit; yang diisi 17 digit."),
        ("16710117O5980001", "NIK hanya boleh berisi angka."),
    ],
)
def test_shape_errors(nik, expected):
    assert messages(validate_identity(nik, BORN, "L")) == [expected]


def test_unknown_province_kabkota_and_kecamatan_are_named():
    assert messages(validate_identity("9971011705980001", BORN, "L")) == [
        "Kode provinsi pada NIK (99) tidak terdaftar di Kemendagri."
    ]
    assert messages(validate_identity("1699011705980001", BORN, "L")) == [
        "Kode kabupaten/kota pada NIK (16.99) tidak terdaftar di Kemendagri."
    ]
    assert messages(validate_identity("1671991705980001", BORN, "L")) == [
        "Kode kecamatan pada NIK (16.71.99) tidak terdaftar di Kemendagri."
    ]


def test_new_provinces_are_accepted():
    # Kalimantan Utara (65) and the Papua provinces created in 2022 are missing from python-stdnum.
    tarakan = compose_nik("65.71.01", BORN, "L", 1)
    assert validate_identity(tarakan, BORN, "L") == []
    facts = nik_facts(tarakan)
    assert facts is not None and facts.region_exists


def test_birth_date_mismatch_is_explained_with_both_dates():
    assert messages(validate_identity(PALEMBANG_MAN, date(1998, 5, 18), "L")) == [
        "Tanggal lahir pada NIK (17-05-1998) tidak sama dengan tanggal lahir yang diisi (18-05-1998)."
    ]


def test_year_mismatch_uses_the_nearest_century():
    assert messages(validate_identity(PALEMBANG_MAN, date(2001, 5, 17), "L")) == [
        "Tanggal lahir pada NIK (17-05-1998) tidak sama dengan tanggal lahir yang diisi (17-05-2001)."
    ]


def test_woman_with_male_coded_nik_is_told_about_the_plus_40_rule():
    (message,) = messages(validate_identity(PALEMBANG_MAN, BORN, "P"))
    assert message.startswith("Untuk perempuan, tanggal pada NIK ditambah 40 (lahir tanggal 17 → 57)")


def test_man_with_female_coded_nik():
    (message,) = messages(validate_identity(PALEMBANG_WOMAN, BORN, "L"))
    assert "kode perempuan" in message and "laki-laki" in message


def test_impossible_dates():
    assert messages(validate_identity("1671013505980001", None, None)) == [
        "Digit ke-7 dan ke-8 NIK (35) bukan tanggal lahir: untuk laki-laki 01–31, "
        "untuk perempuan tanggal ditambah 40 (41–71)."
    ]
    assert messages(validate_identity("1671013102980001", None, None)) == [
        "Tanggal lahir pada NIK (31-02-98) bukan tanggal yang ada di kalender."
    ]
    assert messages(validate_identity("1671011713980001", None, None)) == [
        "Tanggal lahir pada NIK (17-13-98) bukan tanggal yang ada di kalender."
    ]


def test_leap_day_depends_on_the_century_entered():
    nik = compose_nik("16.71.01", date(2000, 2, 29), "L", 1)
    assert validate_identity(nik, date(2000, 2, 29), "L") == []


def test_kk_number():
    assert messages(validate_identity(PALEMBANG_MAN, BORN, "L", kk="12345"), "kk") == [
        "Nomor KK harus 16 digit; yang diisi 5 digit."
    ]
    assert messages(validate_identity(PALEMBANG_MAN, BORN, "L", kk="1671990101100003"), "kk") == [
        "Kode kecamatan pada nomor KK (16.71.99) tidak terdaftar di Kemendagri."
    ]


def test_asn_needs_a_nip():
    assert messages(validate_identity(PALEMBANG_MAN, BORN, "L", category="asn"), "nip") == [
        "NIP wajib diisi untuk peserta kategori ASN."
    ]


@pytest.mark.parametrize(
    ("nip", "expected"),
    [
        ("19980517202012100", "NIP harus 18 digit; yang diisi 17 digit."),
        (
            "199805182020121001",
            "Tanggal lahir pada NIP (18-05-1998) tidak sama dengan tanggal lahir yang diisi (17-05-1998).",
        ),
        ("199802302020121001", "8 digit pertama NIP (19980230) harus tanggal lahir yang ada"),
        (
            "199805172020122001",
            "Digit ke-15 NIP (2) menandakan perempuan, tetapi jenis kelamin yang diisi laki-laki.",
        ),
        ("199805172020123001", "Digit ke-15 NIP (3) harus 1 (laki-laki) atau 2 (perempuan)."),
        (
            "199805172020131001",
            "Digit ke-9 sampai ke-14 NIP (202013) harus tahun dan bulan pengangkatan (TMT).",
        ),
        (
            "199805172010121001",
            "Tahun pengangkatan pada NIP (2010) tidak mungkin: umur saat itu belum 18 tahun.",
        ),
        ("199805172099121001", "Tahun pengangkatan pada NIP (2099) belum terjadi."),
    ],
)
def test_nip_errors(nip, expected):
    found = messages(validate_identity(PALEMBANG_MAN, BORN, "L", nip=nip, category="asn"), "nip")
    assert len(found) == 1 and found[0].startswith(expected)


def test_pppk_nip_is_accepted():
    assert validate_identity(PALEMBANG_MAN, BORN, "L", nip="199805172022211001", category="asn") == []


def test_nik_facts_decodes_region_and_sex():
    facts = nik_facts(PALEMBANG_WOMAN)
    assert facts is not None
    assert (facts.kabkota_code, facts.kabkota_name, facts.sex, facts.day) == (
        "16.71",
        "Kota Palembang",
        "P",
        17,
    )
    assert nik_facts("123") is None


@given(
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2015, 12, 31)),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_composed_nik_validates_against_its_own_facts(born, sex, serial):
    nik = compose_nik("16.71.01", born, sex, serial)
    assert validate_identity(nik, born, sex) == []
    other_sex = "P" if sex == "L" else "L"
    assert [f for f, _ in validate_identity(nik, born, other_sex)] == ["nik"]
