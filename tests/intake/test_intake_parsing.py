"""Building blocks of the extractor: numbers, dates, regions, input checks."""

from __future__ import annotations

import datetime as dt

import pytest

from sinergi.intake.dates import find_dates, resolve
from sinergi.intake.extract import InputRejected, check_input, extract
from sinergi.intake.numbers import find_quantities, parse_words
from sinergi.intake.regions import gazetteer, resolve_place_name

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("satu", 1),
        ("sepuluh", 10),
        ("sebelas", 11),
        ("lima belas", 15),
        ("dua puluh", 20),
        ("seratus dua puluh lima", 125),
        ("dua ratus lima puluh ribu", 250_000),
        ("seribu", 1000),
        ("sepuluh ribu", 10_000),
        ("satu juta dua ratus ribu", 1_200_000),
        ("enam", 6),
    ],
)
def test_number_words(words, value):
    assert parse_words(words) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10.000 UKM", 10_000),
        ("10 ribu kursi", 10_000),
        ("5.800 orang", 5_800),
        ("1,5 juta warga", 1_500_000),
        ("23.000 ASN", 23_000),
        ("sepuluh ribu peserta", 10_000),
        ("2 miliar", 2_000_000_000),
    ],
)
def test_quantities(text, value):
    (q,) = find_quantities(text)
    assert q.value == value


def _resolved(text: str, reference: dt.date | None) -> list[dt.date | None]:
    out = []
    for d in find_dates(text):
        resolve(d, reference, TODAY)
        out.append(d.resolved)
    return out


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Kamis, 10 Maret 2022 19:36", None, dt.date(2022, 3, 10)),
        ("Kamis Pagi, (10/3/2022)Wali Kota", None, dt.date(2022, 3, 10)),
        ("Senin [20/12/21].", None, dt.date(2021, 12, 20)),
        ("Senin (1/11) kemarin", dt.date(2021, 11, 2), dt.date(2021, 11, 1)),
        # No date line: the weekday picks the most recent matching year.
        ("Senin (1/11) kemarin", None, dt.date(2021, 11, 1)),
        # Early January article about "Senin (27/12)": last year's December.
        ("Senin (27/12)", dt.date(2022, 1, 3), dt.date(2021, 12, 27)),
        ("Rabu (15/3)", dt.date(2023, 3, 16), dt.date(2023, 3, 15)),
        ("Diterbitkan 12/09/2023 - 21:40", None, dt.date(2023, 9, 12)),
        ("tanggal 5 Juni 2023", None, dt.date(2023, 6, 5)),
        ("pada 2022-03-10", None, dt.date(2022, 3, 10)),
        ("pada hari Senin", dt.date(2023, 1, 16), dt.date(2023, 1, 16)),
    ],
)
def test_dates(text, reference, expected):
    assert _resolved(text, reference) == [expected]


def test_month_and_year_alone_is_not_a_date():
    assert find_dates("MoU yang diteken pada Januari 2021 dan berlaku hingga 2025") == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Samarinda", "64.72"),
        ("Kotim", "62.02"),
        ("Sulsel", "73"),
        ("Kaltim", "64"),
        ("Sampit", "62.02"),
        ("Tanjung Selor", "65.01"),
        ("Kota Solok", "13.72"),
        ("Kabupaten Bandung", "32.04"),
        ("Bandung", "32.73"),
        ("DIY", "34"),
        ("Jakarta", "31"),
        ("Lotim", "52.03"),
    ],
)
def test_region_names(name, code):
    region = resolve_place_name(name)
    assert region is not None and region.code == code


def test_every_region_alias_resolves():
    gz = gazetteer()
    from sinergi.intake.regions import KABKOTA_ALIASES, PROVINCE_ALIASES, TOWN_SEATS

    for alias in list(PROVINCE_ALIASES) + list(KABKOTA_ALIASES) + list(TOWN_SEATS):
        assert gz.lookup(alias) is not None, alias


GOOD = (
    "Pemerintah Kota Samarinda menandatangani nota kesepahaman dengan Kementerian Komunikasi dan "
    "Informatika untuk pelatihan talenta digital bagi 1.000 pemuda yang akan digelar tahun ini."
)


def test_check_input_accepts_indonesian_news():
    check_input(GOOD)


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("", "empty", "kosong"),
        ("   \n\t ", "empty", "kosong"),
        (None, "empty", "kosong"),
        ("MoU ditandatangani.", "too_short", "pendek"),
        ("x" * 250_000, "too_long", "panjang"),
        ("1234 5678 %%%% #### 9999 0000 " * 20, "garbage", "tidak terbaca"),
        ("qwrtp zxcvb mnbvc lkjhg fdsqw " * 10, "garbage", "tidak terbaca"),
        (
            "The city government signed a memorandum of understanding with the ministry of communication to "
            "train ten thousand young people in digital skills over the next five years, the mayor said.",
            "language",
            "bahasa Indonesia",
        ),
        ("abc\x00def " * 40, "binary", "bukan teks"),
    ],
)
def test_check_input_rejects(text, code, word):
    with pytest.raises(InputRejected) as info:
        check_input(text)
    assert info.value.code == code
    assert word in info.value.message


def test_deadline_from_target_year_and_per_year_rates():
    text = (
        "Sleman, 16 Januari 2023 – Pemerintah Kabupaten Sleman dan Universitas Gadjah Mada menandatangani "
        "perjanjian kerja sama. Kampus berkomitmen melatih 3.000 pelajar hingga akhir 2025. "
        "Selain itu, 200 guru akan dilatih setiap tahun."
    )
    r = extract(text, today=TODAY).to_rich_json()
    by_unit = {c["unit"]: c for c in r["commitments"]}
    assert by_unit["pelajar"]["deadline_years"] == 2
    assert by_unit["guru"]["deadline_years"] is None and by_unit["guru"]["per_year"] is True
    assert r["signed_date"]["value"] == "2023-01-16"


def test_future_signing_is_discussion():
    text = (
        "Pemerintah Kabupaten Paser berencana menjalin kerja sama dengan Politeknik Negeri Samarinda. "
        "Penandatanganan nota kesepahaman dijadwalkan bulan depan, kata Bupati Paser Budi Santoso, "
        "Senin (4/3/2024)."
    )
    r = extract(text, today=TODAY).to_simple_json()
    assert r["status"] == "discussion"
    assert r["signed_date"] is None
    assert r["agreement_type"] == "mou"
