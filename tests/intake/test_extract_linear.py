"""The extractor's work grows linearly with the length of crafted text (issue: 30,000 characters of
date-like phrases took 15 s inside a request, tens of thousands took minutes).

Work is counted deterministically (characters handed to the regex engine plus lines of intake code run,
see workcount.py), never timed: timing lives in bench/bench_intake.py. Linear growth means four times
the text costs about four times the work; the bound leaves room for constant costs and noise in the
mix, while the quadratic parts this closes made the ratio 8 to 16.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from tests.intake.workcount import counting_work

from sinergi.intake.extract import extract
from sinergi.intake.text import MAX_SENTENCE_CHARS, segment

TODAY = dt.date(2026, 12, 1)
SMALL, LARGE = 6_000, 24_000
LINEAR_BOUND = 4 * 1.35


def _repeat(phrase: str, n: int) -> str:
    return (phrase * (n // len(phrase) + 1))[:n]


def _names():
    syllables = ["ba", "ri", "to", "ka", "mu", "sa", "de", "lo", "ni", "pe", "ra", "gu", "vi", "ze"]
    for parts in itertools.product(syllables, repeat=4):
        yield "".join(parts).capitalize()


def _distinct_people(n: int) -> str:
    names, out, size = _names(), [], 0
    while size < n:
        piece = f"Wali Kota Makassar {next(names)} {next(names)} dan Rektor {next(names)} {next(names)}, "
        out.append(piece)
        size += len(piece)
    return "".join(out)[:n]


ADVERSARIAL = {
    # One endless sentence of dates: every date used to re-scan the whole sentence.
    "dates": lambda n: _repeat("Kamis, 10 Maret 2022 Senin (1/11) 12/09/2023 pada hari Senin ", n),
    "organisations": lambda n: _repeat(
        "Pemerintah Kota Makassar dan Kementerian Komunikasi dan Informatika ", n
    ),
    "between": lambda n: _repeat("antara Pemkot Makassar dan Kominfo ", n),
    "quotes": lambda n: _repeat('"Pemkot Makassar" ', n),
    "people": lambda n: _repeat(
        "Wali Kota Makassar Syamsul Rizal dan Kepala Balitbang SDM Bambang Pratomo ", n
    ),
    "distinct_people": _distinct_people,
}


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_work_grows_linearly_on_crafted_text(kind):
    make = ADVERSARIAL[kind]
    extract(make(2_000), today=TODAY)  # load the gazetteer and tables outside the measurement
    work = []
    for size in (SMALL, LARGE):
        with counting_work() as counted:
            extract(make(size), today=TODAY)
        work.append(counted.total)
    ratio = work[1] / work[0]
    assert ratio <= LINEAR_BOUND, f"{kind}: {LARGE / SMALL:.0f}× the text cost {ratio:.1f}× the work"


def test_crafted_text_still_extracts_what_it_says():
    text = (
        "Pemkot Makassar dan Kominfo menandatangani nota kesepahaman (MoU) di Makassar, "
        "Kamis, 10 Maret 2022. "
    )
    result = extract(text + ADVERSARIAL["dates"](40_000), today=TODAY)
    assert result.agreement_type.value == "mou"
    assert result.status.value == "signed"
    assert {p.kind for p in result.parties} >= {"city_gov"}
    assert result.signed_date.value == "2022-03-10"


def test_no_sentence_exceeds_the_bound_and_no_text_is_lost():
    text = ADVERSARIAL["organisations"](10_000) + "." * 5_000 + " " + "x" * 3_000
    doc = segment(text)
    assert max(s.end - s.start for s in doc.sentences) <= MAX_SENTENCE_CHARS
    covered = "".join(text[s.start : s.end] for s in doc.sentences)
    assert "".join(covered.split()) == "".join(text.split())
