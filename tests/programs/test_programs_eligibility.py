"""The eligibility engine as a table: each rule kind passes and fails with its own reason."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.programs.eligibility import (
    EDUCATION_ORDER,
    Person,
    ProgramTerms,
    Rule,
    age_on,
    is_eligible,
    reasons_not_eligible,
)

CLOSE = date(2026, 12, 31)
PALEMBANG = Person(
    birth_date=date(1998, 5, 17),
    category="umum",
    domicile_code="16.71",
    education="sma",
    nik_hash="abc",
)
NAMES = {"16": "Sumatera Selatan", "16.71": "Kota Palembang", "64.72": "Kota Samarinda"}


def terms(*rules, target=()):
    return ProgramTerms(tuple(target), tuple(rules), CLOSE, NAMES)


@pytest.mark.parametrize(
    ("rule", "person_changes", "reason"),
    [
        (Rule("age", {"min": 17, "max": 29}), {}, None),
        (
            Rule("age", {"max": 25}),
            {},
            "Usia maksimal 25 tahun pada 31-12-2026; usia Anda saat itu 28 tahun.",
        ),
        (
            Rule("age", {"min": 30}),
            {},
            "Usia minimal 30 tahun pada 31-12-2026; usia Anda saat itu 28 tahun.",
        ),
        (Rule("category", {"in": ["umum", "umkm"]}), {}, None),
        (
            Rule("category", {"in": ["asn", "guru"]}),
            {},
            "Khusus kategori ASN, Guru SD–SMA; kategori Anda Umum.",
        ),
        (Rule("domicile", {"regions": ["16"]}), {}, None),
        (Rule("domicile", {"regions": ["16.71"]}), {}, None),
        (
            Rule("domicile", {"regions": ["64.72"]}),
            {},
            "Khusus penduduk berdomisili di Kota Samarinda; domisili Anda Kota Palembang.",
        ),
        (Rule("education", {"min": "sma"}), {}, None),
        (
            Rule("education", {"min": "s1"}),
            {},
            "Pendidikan minimal D4/S1; pendidikan terakhir Anda SMA/SMK.",
        ),
        (
            Rule("education", {"min": "s1"}),
            {"education": ""},
            "Pendidikan minimal D4/S1; isi pendidikan terakhir di profil Anda.",
        ),
        (Rule("asn_only"), {"category": "asn", "nip_valid": True}, None),
        (Rule("asn_only"), {}, "Khusus ASN; kategori Anda Umum."),
        (
            Rule("asn_only"),
            {"category": "asn"},
            "Khusus ASN dengan NIP yang valid; periksa NIP di profil Anda.",
        ),
        (Rule("not_enrolled_in_batch"), {"enrolled_class_ids": frozenset({7})}, None),  # class 7 itself
        (
            Rule("not_enrolled_in_batch"),
            {"enrolled_class_ids": frozenset({8})},
            "Anda sudah terdaftar sebagai peserta kelas lain pada gelombang ini.",
        ),
        (Rule("exclusion", {"nik_hashes": ["zzz"]}), {}, None),
        (
            Rule("exclusion", {"nik_hashes": ["abc"], "reason": "Sudah lulus program ini tahun lalu."}),
            {},
            "Sudah lulus program ini tahun lalu.",
        ),
        (Rule("frobnicate"), {}, "Aturan kelayakan “frobnicate” tidak lengkap; hubungi penyelenggara."),
        (Rule("age", {}), {}, "Aturan kelayakan “age” tidak lengkap; hubungi penyelenggara."),
        (Rule("age", {"min": "tujuh"}), {}, "Aturan kelayakan “age” tidak lengkap; hubungi penyelenggara."),
    ],
)
def test_rule_table(rule, person_changes, reason):
    person = Person(**{**PALEMBANG.__dict__, **person_changes})
    expected = [] if reason is None else [reason]
    assert reasons_not_eligible(person, terms(rule), class_id=7) == expected


def test_target_categories_of_the_programme():
    assert reasons_not_eligible(PALEMBANG, terms(target=["asn"])) == [
        "Program ini untuk kategori ASN; kategori Anda Umum."
    ]
    assert is_eligible(PALEMBANG, terms(target=["umum", "asn"]))
    assert is_eligible(PALEMBANG, terms())  # no target: everyone


def test_every_failed_rule_is_reported():
    reasons = reasons_not_eligible(
        PALEMBANG,
        terms(Rule("age", {"max": 20}), Rule("domicile", {"regions": ["64.72"]}), Rule("asn_only")),
    )
    assert len(reasons) == 3


def test_age_is_counted_on_the_close_date():
    assert age_on(date(2000, 12, 31), CLOSE) == 26
    assert age_on(date(2001, 1, 1), CLOSE) == 25


@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2015, 1, 1)),
    low=st.integers(min_value=10, max_value=60),
    span=st.integers(min_value=0, max_value=30),
)
def test_age_rule_agrees_with_age_on(birth, low, span):
    person = Person(birth_date=birth, category="umum", domicile_code="16.71")
    age = age_on(birth, CLOSE)
    assert is_eligible(person, terms(Rule("age", {"min": low, "max": low + span}))) == (
        low <= age <= low + span
    )


@given(mine=st.sampled_from(EDUCATION_ORDER), minimum=st.sampled_from(EDUCATION_ORDER))
def test_education_is_ordered(mine, minimum):
    person = Person(birth_date=date(1990, 1, 1), category="umum", domicile_code="16.71", education=mine)
    assert is_eligible(person, terms(Rule("education", {"min": minimum}))) == (
        EDUCATION_ORDER.index(mine) >= EDUCATION_ORDER.index(minimum)
    )
