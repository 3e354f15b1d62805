"""Plain tests of the allocation engine: explanations, cut-offs, waitlists, kept seats, validation."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sinergi.selection.engine import (
    AllocationInput,
    AllocationInputError,
    Applicant,
    ClassSeats,
    Cutoff,
    KeptSeat,
    allocate,
    canonical_json,
    lottery_number,
    parse_input,
    priority_order,
    result_to_json,
)

SRC = Path(__file__).resolve().parents[2] / "src"


def run(data: dict):
    return allocate(parse_input(data))


def cls(cid: str, capacity: int, **extra) -> dict:
    return {"id": cid, "capacity": capacity, **extra}


def app(aid: str, choices: list[str], score: float, *cats: str) -> dict:
    return {"id": aid, "choices": choices, "score": score, "categories": list(cats)}


# --------------------------------------------------------------------------------------------------
# Lottery and determinism


def test_lottery_number_is_sha256_of_seed_and_id():
    expected = int.from_bytes(hashlib.sha256(b"42\x00a1").digest(), "big")
    assert lottery_number(42, "a1") == expected
    # A text seed is its JSON text, so 42 and "42" are different seeds.
    assert lottery_number("42", "a1") == int.from_bytes(hashlib.sha256(b'"42"\x00a1').digest(), "big")


def test_priority_is_score_then_lottery():
    apps = tuple(Applicant(f"p{i}", (), float(score)) for i, score in enumerate([70, 90, 70, 80, 70]))
    order = priority_order(7, apps)
    assert [apps[i].id for i in order[:2]] == ["p1", "p3"]
    ties = sorted(["p0", "p2", "p4"], key=lambda aid: lottery_number(7, aid))
    assert [apps[i].id for i in order[2:]] == ties


@pytest.mark.parametrize("distinct_scores", [3, 1000])
def test_priority_order_matches_a_direct_sort_with_many_or_few_ties(distinct_scores):
    # Two code paths (grouping by score when ties are common, one sort of bytes keys otherwise).
    apps = tuple(
        Applicant(f"id-{i}" if i % 97 else f"odd\x01id-{i}", (), float((i * 7919) % distinct_scores))
        for i in range(1000)
    )
    expected = sorted(range(len(apps)), key=lambda i: (-apps[i].score, lottery_number("s", apps[i].id)))
    assert priority_order("s", apps) == expected


TIE_INPUT = {
    "seed": 2026,
    "classes": [cls("web", 2, reserved={"asn": 1}), cls("data", 1)],
    "applicants": [app(f"p{i}", ["web", "data"], 80) for i in range(6)],
}


def test_fixed_result_for_a_fixed_input():
    # Pinned: any change to the lottery, the tie-break or the canonical form shows up here.
    result = run(TIE_INPUT)
    assert result.assignment == {"p5": "web", "p1": "web", "p4": "data", "p3": None, "p2": None, "p0": None}
    assert result.waitlists == {"web": ("p4", "p3", "p2", "p0"), "data": ("p3", "p2", "p0")}
    assert result.input_sha256 == "8628b6906efda7fa0feb06630f9f760085c13b55fe094f081ef98fa586e3718d"


def test_same_result_in_another_process_with_another_hash_seed(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(TIE_INPUT))
    script = (
        "import json, sys\n"
        "from sinergi.selection.engine import allocate, parse_input, result_to_json\n"
        "data = json.load(open(sys.argv[1]))\n"
        "print(json.dumps(result_to_json(allocate(parse_input(data))), sort_keys=True))\n"
    )
    outputs = []
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SRC)}
        proc = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env, check=True
        )
        outputs.append(proc.stdout)
    local = json.dumps(result_to_json(run(TIE_INPUT)), sort_keys=True) + "\n"
    assert outputs[0] == outputs[1] == local


def test_input_hash_ignores_seed_and_order_of_categories_but_not_applicant_order():
    base = {
        "seed": 1,
        "classes": [cls("c1", 3, reserved={"asn": 1, "guru": 1})],
        "applicants": [app("a1", ["c1"], 70, "guru", "asn"), app("a2", ["c1"], 80)],
    }
    other_seed = {**base, "seed": 99}
    reordered_cats = {
        **base,
        "classes": [cls("c1", 3, reserved={"guru": 1, "asn": 1})],
        "applicants": [app("a1", ["c1"], 70.0, "asn", "guru"), app("a2", ["c1"], 80)],
    }
    swapped = {**base, "applicants": list(reversed(base["applicants"]))}
    h = parse_input(base).sha256
    assert parse_input(other_seed).sha256 == h  # published before the seed is drawn
    assert parse_input(reordered_cats).sha256 == h
    assert parse_input(swapped).sha256 != h
    assert json.loads(canonical_json(parse_input(base)))["format"] == "sinergi-allocation/1"


def test_typed_construction_is_normalised_like_parsed_input():
    typed = AllocationInput(
        seed=1,
        classes=(ClassSeats("c1", 3, (("guru", 1), ("asn", 1))),),
        applicants=(Applicant("a1", ("c1",), 70, ("guru", "asn")), Applicant("a2", ("c1",), 80.0)),
    )
    parsed = parse_input(
        {
            "seed": 1,
            "classes": [cls("c1", 3, reserved={"asn": 1, "guru": 1})],
            "applicants": [app("a1", ["c1"], 70, "asn", "guru"), app("a2", ["c1"], 80)],
        }
    )
    assert typed.sha256 == parsed.sha256
    assert typed.applicants[0] == Applicant("a1", ("c1",), 70.0, ("asn", "guru"))


# --------------------------------------------------------------------------------------------------
# Slot rule, cut-offs, waitlists


def test_issue_example_explanation():
    result = run(
        {
            "seed": 42,
            "classes": [cls("c1", 2, reserved={"asn": 1}), cls("c2", 5)],
            "applicants": [
                app("a1", ["c1", "c2"], 71.5),
                app("a2", ["c1"], 74.0),
                app("a3", ["c1"], 60.0, "asn"),
            ],
        }
    )
    assert result.assignment == {"a2": "c1", "a1": "c2", "a3": "c1"}
    assert result.reserved_seats == {"a3": "asn"}
    [line] = result.explain("a1")
    assert line.class_id == "c1" and line.choice == 1
    assert line.message == (
        "Nilai Anda 71,5 di bawah batas 74,0 untuk kursi umum dan "
        "Anda tidak termasuk kategori yang dicadangkan (asn)"
    )
    assert result.explain("a2") == [] and result.explain("unknown") == []
    assert result.cutoffs["c1"] == {"open": Cutoff("a2", 74.0, 1), "asn": Cutoff("a3", 60.0, 1)}
    assert result.waitlists == {"c1": ("a1",), "c2": ()}


def test_member_is_compared_with_both_cutoffs_and_tie_names_the_lottery():
    result = run(
        {
            "seed": 3,
            "classes": [cls("c1", 2, reserved={"asn": 1})],
            "applicants": [
                app("top", ["c1"], 90),
                app("asn1", ["c1"], 70, "asn"),
                app("asn2", ["c1"], 70, "asn"),
            ],
        }
    )
    loser = next(aid for aid in ("asn1", "asn2") if result.assignment[aid] is None)
    assert result.explain(loser)[0].message == (
        "Nilai Anda 70,0 di bawah batas 90,0 untuk kursi umum dan "
        "sama dengan batas 70,0 untuk kursi cadangan asn, tetapi kalah dalam undian"
    )


def test_unused_reserved_seats_revert_to_open_and_are_explained():
    result = run(
        {
            "seed": 5,
            "classes": [cls("c1", 3, reserved={"disabilitas": 2})],
            "applicants": [
                app("a", ["c1"], 90),
                app("b", ["c1"], 80),
                app("c", ["c1"], 70),
                app("d", ["c1"], 60),
            ],
        }
    )
    assert result.assignment == {"a": "c1", "b": "c1", "c": "c1", "d": None}
    assert result.reserved_seats == {"b": "disabilitas", "c": "disabilitas"}
    assert result.cutoffs["c1"]["disabilitas"] == Cutoff("c", 70.0, 2, reverted=2)
    assert result.explain("d")[0].message == (
        "Nilai Anda 60,0 di bawah batas 90,0 untuk kursi umum dan "
        "di bawah batas 70,0 untuk kursi cadangan disabilitas yang dialihkan ke umum"
    )
    doc = result_to_json(result)
    assert doc["cutoffs"]["c1"]["disabilitas"] == {
        "applicant": "c",
        "score": 70.0,
        "admitted": 2,
        "reverted": 2,
    }


def test_precedence_changes_who_gets_in():
    # Two seats, one reserved for asn; the asn applicant is the best, then two others.
    applicants = [app("asn", ["c1"], 95, "asn"), app("x", ["c1"], 90), app("y", ["c1"], 85)]
    open_first = run({"seed": 1, "classes": [cls("c1", 2, reserved={"asn": 1})], "applicants": applicants})
    reserved_first = run(
        {
            "seed": 1,
            "classes": [cls("c1", 2, reserved={"asn": 1}, precedence="reserved_first")],
            "applicants": applicants,
        }
    )
    # open_first: the asn applicant takes the open seat, and the reserved seat then has no member left.
    assert open_first.reserved_seats == {"x": "asn"}
    assert open_first.cutoffs["c1"]["asn"].reverted == 1
    # reserved_first: the asn applicant uses the reserved seat and x takes the open one.
    assert reserved_first.reserved_seats == {"asn": "asn"}
    assert {aid for aid, c in reserved_first.assignment.items() if c} == {"asn", "x"}


def test_reserved_seat_goes_to_lower_scoring_member():
    result = run(
        {
            "seed": 9,
            "classes": [cls("c1", 2, reserved={"asn": 1})],
            "applicants": [app("a", ["c1"], 90), app("b", ["c1"], 85), app("m", ["c1"], 50, "asn")],
        }
    )
    assert result.assignment == {"a": "c1", "b": None, "m": "c1"}


def test_displacement_chain_follows_preferences():
    # m (asn) arrives last in priority but takes c1's reserved seat from b, who falls to c2 and bumps z.
    result = run(
        {
            "seed": 11,
            "classes": [cls("c1", 2, reserved={"asn": 1}), cls("c2", 1)],
            "applicants": [
                app("a", ["c1"], 95),
                app("b", ["c1", "c2"], 90),
                app("z", ["c2"], 80),
                app("m", ["c1"], 40, "asn"),
            ],
        }
    )
    assert result.assignment == {"a": "c1", "b": "c2", "z": None, "m": "c1"}
    assert result.waitlists == {"c1": ("b",), "c2": ("z",)}


def test_zero_capacity_and_empty_inputs():
    result = run({"seed": 1, "classes": [cls("c0", 0)], "applicants": [app("a", ["c0"], 50)]})
    assert result.assignment == {"a": None}
    assert result.explain("a")[0].message == "Kelas c0 tidak memiliki kursi"
    assert result.cutoffs == {"c0": {}}
    empty = run({"seed": 1, "classes": [], "applicants": []})
    assert empty.assignment == {} and result_to_json(empty)["outcomes"] == {}


def test_applicant_without_choices_is_unassigned():
    result = run({"seed": 1, "classes": [cls("c1", 1)], "applicants": [app("a", [], 50)]})
    assert result.assignment == {"a": None}
    assert result.explain("a") == []


def test_scores_with_more_decimals_are_shown_exactly():
    result = run(
        {
            "seed": 1,
            "classes": [cls("c1", 1)],
            "applicants": [app("a", ["c1"], 71.25), app("b", ["c1"], 71.2)],
        }
    )
    assert result.explain("b")[0].message == "Nilai Anda 71,2 di bawah batas 71,25 untuk kursi umum"


# --------------------------------------------------------------------------------------------------
# Kept seats (backfill)


def test_backfill_keeps_accepted_seats_and_refills_from_waitlist():
    data = {
        "seed": 8,
        "classes": [cls("c1", 2, reserved={"asn": 1}), cls("c2", 1)],
        "applicants": [
            app("a", ["c1"], 95),
            app("m", ["c1"], 60, "asn"),
            app("b", ["c1", "c2"], 90),
            app("n", ["c1"], 55, "asn"),
            app("c", ["c2"], 70),
        ],
    }
    first = run(data)
    assert first.assignment == {"a": "c1", "b": "c2", "c": None, "m": "c1", "n": None}
    # a accepts, m declines, b accepts.  Re-run over the rest with the accepted seats kept.
    seat = lambda aid: first.reserved_seats.get(aid, "open")  # noqa: E731
    backfill = {
        "seed": 8,
        "classes": data["classes"],
        "applicants": [x for x in data["applicants"] if x["id"] in {"c", "n"}],
        "kept": [
            {"applicant": "a", "class": "c1", "seat": seat("a")},
            {"applicant": "b", "class": "c2", "seat": seat("b")},
        ],
    }
    second = run(backfill)
    # The freed seat is the asn one, so it goes to the next asn member, not to anyone else.
    assert second.assignment == {"n": "c1", "c": None, "a": "c1", "b": "c2"}
    assert second.reserved_seats == {"n": "asn"}
    assert second.explain("c")[0].message == (
        "Semua kursi kelas c2 sudah ditempati peserta yang lebih dulu menerima tawaran"
    )


def test_kept_seat_kind_limits():
    with pytest.raises(AllocationInputError, match=r"kelas 'c1' hanya punya 1 kursi umum"):
        parse_input(
            {
                "seed": 1,
                "classes": [cls("c1", 2, reserved={"asn": 1})],
                "applicants": [],
                "kept": [{"applicant": "k1", "class": "c1"}, {"applicant": "k2", "class": "c1"}],
            }
        )


# --------------------------------------------------------------------------------------------------
# Validation: every message names the offending item


def good() -> dict:
    return {
        "seed": 42,
        "classes": [cls("c1", 3, reserved={"asn": 1}), cls("c2", 2)],
        "applicants": [app("a1", ["c1", "c2"], 71.5, "asn"), app("a2", ["c2"], 60)],
    }


def broken(path: str, value) -> dict:
    data = good()
    target = data
    keys = path.split(".")
    for k in keys[:-1]:
        target = target[int(k)] if k.isdigit() else target[k]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            broken("applicants.0.choices", ["c1", "c9"]),
            "Pelamar 'a1' (applicants[0]): pilihan kelas 'c9' tidak dikenal",
        ),
        (broken("applicants.1.id", "a1"), "Pelamar 'a1' (applicants[1]): id pelamar 'a1' ganda"),
        (broken("classes.1.id", "c1"), "Kelas 'c1' (classes[1]): id kelas 'c1' ganda"),
        (
            broken("classes.1.capacity", -1),
            "Kelas 'c2' (classes[1]): kapasitas (capacity) tidak boleh negatif (-1)",
        ),
        (
            broken("classes.1.capacity", 2.5),
            "Kelas 'c2' (classes[1]): kapasitas (capacity) wajib berupa bilangan bulat",
        ),
        (broken("classes.1", {"id": "c2"}), "Kelas 'c2' (classes[1]): kapasitas (capacity) wajib diisi"),
        (
            broken("classes.0.reserved", {"asn": 2, "guru": 2}),
            "Kelas 'c1' (classes[0]): jumlah kursi cadangan (4) melebihi kapasitas (3)",
        ),
        (
            broken("classes.0.reserved", {"asn": -1}),
            "Kelas 'c1' (classes[0]): jumlah kursi cadangan 'asn' wajib berupa bilangan bulat tidak negatif",
        ),
        (
            broken("classes.0.reserved", {"open": 1}),
            "Kelas 'c1' (classes[0]): 'open' tidak boleh dipakai sebagai nama kategori",
        ),
        (
            broken("classes.0.precedence", "lottery"),
            "Kelas 'c1' (classes[0]): urutan (precedence) 'lottery' tidak dikenal",
        ),
        (broken("applicants.1.score", KeyError), "Pelamar 'a2' (applicants[1]): nilai (score) wajib diisi"),
        (broken("applicants.1.score", None), "Pelamar 'a2' (applicants[1]): nilai (score) wajib diisi"),
        (
            broken("applicants.1.score", "60"),
            "Pelamar 'a2' (applicants[1]): nilai (score) wajib berupa angka, bukan '60'",
        ),
        (
            broken("applicants.1.score", True),
            "Pelamar 'a2' (applicants[1]): nilai (score) wajib berupa angka, bukan True",
        ),
        (
            broken("applicants.0.choices", ["c1", "c2", "c1"]),
            "Pelamar 'a1' (applicants[0]): kelas 'c1' dipilih lebih dari sekali",
        ),
        (
            broken("applicants.0.choices", "c1"),
            "Pelamar 'a1' (applicants[0]): pilihan (choices) wajib berupa daftar",
        ),
        (
            broken("applicants.0.choices", KeyError),
            "Pelamar 'a1' (applicants[0]): pilihan (choices) wajib diisi",
        ),
        (
            broken("applicants.0.id", ""),
            "Pelamar ke-1 (applicants[0]): id pelamar wajib berupa teks yang tidak kosong",
        ),
        (
            broken("applicants.0.id", 7),
            "Pelamar ke-1 (applicants[0]): id pelamar wajib berupa teks yang tidak kosong",
        ),
        (
            broken("applicants.0.categories", "asn"),
            "Pelamar 'a1' (applicants[0]): kategori (categories) wajib berupa daftar",
        ),
        (broken("applicants.0.nilai", 80), "Pelamar 'a1' (applicants[0]): kunci tidak dikenal: 'nilai'"),
        (broken("applicants.0", "a1"), "Pelamar ke-1 (applicants[0]): harus berupa objek"),
        (broken("seed", KeyError), "seed wajib diisi"),
        (broken("seed", 1.5), "seed wajib berupa bilangan bulat atau teks"),
        (broken("applicants", {}), "applicants wajib berupa daftar"),
        (broken("classes", None), "classes wajib berupa daftar"),
        (broken("applicant", []), "masukan: kunci tidak dikenal: 'applicant'"),
    ],
)
def test_invalid_input_is_refused_with_a_message_naming_the_item(data, message):
    with pytest.raises(AllocationInputError) as info:
        parse_input(data)
    assert str(info.value).startswith(message)


def test_kept_validation_messages():
    def with_kept(*kept: dict) -> dict:
        return {**good(), "kept": list(kept)}

    cases = [
        (
            with_kept({"applicant": "a1", "class": "c1"}),
            "sudah memegang kursi dan tidak boleh juga ada di applicants",
        ),
        (with_kept({"applicant": "k", "class": "c9"}), "Kursi tetap 'k' (kept[0]): kelas 'c9' tidak dikenal"),
        (
            with_kept({"applicant": "k", "class": "c2", "seat": "asn"}),
            "jenis kursi 'asn' tidak ada di kelas 'c2'",
        ),
        (
            with_kept({"applicant": "k", "class": "c1"}, {"applicant": "k", "class": "c2"}),
            "Kursi tetap 'k' (kept[1]): pelamar 'k' muncul lebih dari sekali di kept",
        ),
    ]
    for data, message in cases:
        with pytest.raises(AllocationInputError, match=re.escape(message)):
            parse_input(data)


def test_non_finite_scores_are_refused_in_typed_construction():
    with pytest.raises(
        AllocationInputError, match=r"Pelamar 'a' \(applicants\[0\]\): nilai \(score\) wajib berupa"
    ):
        AllocationInput(1, (ClassSeats("c1", 1),), (Applicant("a", ("c1",), float("nan")),))


def test_kept_seat_typed():
    inp = AllocationInput(
        1,
        (ClassSeats("c1", 2),),
        (Applicant("a", ("c1",), 50.0), Applicant("b", ("c1",), 60.0)),
        (KeptSeat("k", "c1"),),
    )
    result = allocate(inp)
    assert result.assignment == {"b": "c1", "a": None, "k": "c1"}


def test_scores_out_of_float_range_are_refused():
    data = good()
    data["applicants"][1]["score"] = 10**400
    with pytest.raises(
        AllocationInputError, match=r"Pelamar 'a2' \(applicants\[1\]\): nilai \(score\) wajib berupa"
    ):
        parse_input(data)
    data["applicants"][1]["score"] = 2**60  # large but finite: kept as a float
    assert parse_input(data).applicants[1].score == float(2**60)
