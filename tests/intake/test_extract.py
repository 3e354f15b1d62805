"""The intake extractor on the five seed articles (the project's requirement sources) and on its
general contracts: output shape, spans, confidences, purity."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.intake.evaluate import find_seeds_dir

from sinergi.intake.extract import extract

REPO = Path(__file__).resolve().parents[2]
SEEDS = find_seeds_dir()
CORPUS = Path(__file__).resolve().parent / "corpus"
SRC = REPO / "src" / "sinergi" / "intake"

SIMPLE_KEYS = {
    "parties",
    "agreement_type",
    "status",
    "signed_date",
    "place",
    "topics",
    "commitments",
    "duration_years",
    "people",
}


def seed_text(prefix: str) -> str:
    # The seeds are the requirement sources: if they are missing the suite must fail, not skip.
    assert SEEDS.is_dir(), f"seed articles missing: expected them in {SEEDS}"
    matches = sorted(SEEDS.glob(prefix + "_*.txt"))
    assert matches, f"seed {prefix} missing in {SEEDS}"
    return matches[0].read_text(encoding="utf-8")


def parties_by_kind(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in result["parties"]:
        out.setdefault(p["kind"], []).append(p)
    return out


def commitment_set(result: dict) -> set[tuple[int, str]]:
    return {(c["quantity"], c["unit"]) for c in result["commitments"]}


def test_seed_000_samarinda_kominfo_dts_mou():
    r = extract(seed_text("000")).to_simple_json()
    kinds = parties_by_kind(r)
    assert [p["region"] for p in kinds["city_gov"]] == ["Kota Samarinda"]
    kominfo = [p for p in r["parties"] if "Komunikasi dan Informatika" in p["name"]]
    assert len(kominfo) == 1 and kominfo[0]["kind"] in ("ministry", "agency")
    assert len(r["parties"]) == 2
    assert r["agreement_type"] == "mou"
    assert r["status"] == "signed"
    assert r["signed_date"] == "2022-03-10"
    assert r["place"] == "Hotel Mercure Samarinda"
    assert "digital_talent" in r["topics"]
    assert r["commitments"] == []
    people = {p["name"]: p["position"] for p in r["people"]}
    assert people["Andi Harun"] == "Wali Kota"
    assert people["Hary Budiarto"] == "Kepala Badan"


def test_seed_001_palembang_nota_kesepakatan_10000_seats():
    r = extract(seed_text("001")).to_simple_json()
    kinds = parties_by_kind(r)
    assert [p["region"] for p in kinds["city_gov"]] == ["Kota Palembang"]
    assert any("Litbang SDM" in p["name"] or "Komunikasi dan Informatika" in p["name"] for p in r["parties"])
    assert r["agreement_type"] == "nota_kesepakatan"
    assert r["status"] == "signed"
    assert r["signed_date"] == "2021-12-20"  # "Senin [20/12/21]"
    assert r["place"] == "Palembang"
    assert commitment_set(r) == {(10000, "kursi")}
    assert {"digital_talent", "certification"} <= set(r["topics"])
    people = {p["name"]: p["position"] for p in r["people"]}
    assert people["Harnojoyo"] == "Wali Kota"
    assert people["Hary Budiarto"] == "Kepala Badan"


def test_seed_002_kotim_unda_smart_city_six_years():
    r = extract(seed_text("002")).to_simple_json()
    kinds = parties_by_kind(r)
    assert [p["region"] for p in kinds["regency_gov"]] == ["Kabupaten Kotawaringin Timur"]
    assert [p["name"] for p in kinds["university"]] == ["Universitas Darwan Ali"]
    assert len(r["parties"]) == 2  # Universitas Brawijaya / Lambung Mangkurat are earlier partners
    assert r["agreement_type"] == "mou"
    assert r["status"] == "signed"
    # "Senin (1/11)" with no date line: the most recent year in which 1 November was a Monday.
    assert r["signed_date"] == "2021-11-01"
    assert "Sampit" in r["place"]
    assert r["duration_years"] == 6
    assert r["commitments"] == []  # "200 kabupaten" describes the national programme
    assert "smart_city" in r["topics"]


def test_seed_003_samarinda_kemnaker_in_discussion():
    r = extract(seed_text("003")).to_simple_json()
    names = [p["name"] for p in r["parties"]]
    assert "Pemerintah Kota Samarinda" in names
    assert any("Ketenagakerjaan" in n for n in names)
    assert r["agreement_type"] == "nota_kesepakatan"
    assert r["status"] == "discussion"
    assert r["signed_date"] is None
    assert commitment_set(r) == {(10000, "UKM")}
    (ukm,) = r["commitments"]
    assert ukm["deadline_years"] == 5  # "dalam lima tahun ke depan"
    assert "umkm" in r["topics"]
    assert {
        "name": "Ali Fitri Noor",
        "position": "Plh Sekda",
        "organisation": "Pemerintah Kota Samarinda",
    } in r["people"]


def test_seed_004_kominfo_sulsel_23000_asn():
    r = extract(seed_text("004")).to_simple_json()
    kinds = parties_by_kind(r)
    assert [p["region"] for p in kinds["province_gov"]] == ["Provinsi Sulawesi Selatan"]
    assert any("Komunikasi dan Informatika" in p["name"] for p in r["parties"])
    assert len(r["parties"]) == 2  # Kemendagri is only mentioned in a quote
    assert r["status"] == "discussion"
    assert r["agreement_type"] == "other"
    assert commitment_set(r) == {(5800, "orang"), (23000, "ASN")}
    assert {"digital_talent", "asn_training"} <= set(r["topics"])
    people = {p["name"]: p["position"] for p in r["people"]}
    assert people == {"Hary Budiarto": "Kepala Badan", "Abdul Hayat Gani": "Sekda"}


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_simple_json_shape_and_rich_spans(path: Path):
    text = path.read_text(encoding="utf-8")
    result = extract(text)
    simple = result.to_simple_json()
    assert set(simple) == SIMPLE_KEYS
    assert all(set(p) == {"name", "kind", "region"} for p in simple["parties"])
    assert all(set(c) == {"text", "quantity", "unit", "deadline_years"} for c in simple["commitments"])
    assert all(set(p) == {"name", "position", "organisation"} for p in simple["people"])
    assert simple["signed_date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", simple["signed_date"])
    json.dumps(simple, ensure_ascii=False)  # plain data only
    rich = result.to_rich_json()
    json.dumps(rich, ensure_ascii=False)
    # Every span points at the text it claims to come from.
    for c in rich["commitments"]:
        a, b = c["span"]
        assert text[a:b] == c["text"]
        assert 0 < c["confidence"] <= 1
    for p in rich["people"]:
        a, b = p["span"]
        assert text[a:b] == p["name"] or p["name"] in " ".join(text[a:b].split())
    for p in rich["parties"]:
        assert p["spans"] and all(0 <= a < b <= len(text) for a, b in p["spans"])
        assert 0 < p["confidence"] <= 1
        if p["region"]:
            assert re.fullmatch(r"\d\d(\.\d\d)?", p["region"]["code"])
    for name in ("agreement_type", "status", "signed_date", "place", "duration_years"):
        assert 0 <= rich[name]["confidence"] <= 1
        if rich[name]["span"]:
            a, b = rich[name]["span"]
            assert 0 <= a < b <= len(text)
    if rich["place"]["span"] and rich["place"]["value"]:
        a, b = rich["place"]["span"]
        assert " ".join(text[a:b].split()).lower() == rich["place"]["value"].lower()


def test_region_code_is_in_the_rich_form():
    rich = extract(seed_text("002")).to_rich_json()
    gov = next(p for p in rich["parties"] if p["kind"] == "regency_gov")
    assert gov["region"] == {
        "code": "62.02",
        "name": "Kabupaten Kotawaringin Timur",
        "short": "Kotawaringin Timur",
        "level": "regency",
    }


def test_extractor_is_pure_python_without_django():
    code = "import sys; import sinergi.intake.extract as e; e.extract('x'); print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO / "src")},
    )
    assert out.stdout.strip() == "False"


def test_no_article_text_in_the_code():
    """Rules must generalise: no person named in a test article or a seed appears in the extractor."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    names = set()
    for gold in list(CORPUS.glob("*.json")) + list((CORPUS / "seeds").glob("*.json")):
        for person in json.loads(gold.read_text(encoding="utf-8"))["people"]:
            names.add(person["name"])
    assert names
    leaked = sorted(n for n in names if n in source)
    assert leaked == []


def test_empty_and_unrelated_text_do_not_crash():
    assert extract("").to_simple_json()["parties"] == []
    r = extract("Hujan deras mengguyur kota sejak pagi hari dan warga diminta tetap waspada terhadap banjir.")
    assert r.to_simple_json()["commitments"] == []
    assert r.to_simple_json()["topics"] == ["other"]
