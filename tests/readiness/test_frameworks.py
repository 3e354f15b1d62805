"""The framework file checker and the index formula (pure: no database)."""

from decimal import Decimal
from importlib import resources

import pytest

from sinergi.readiness import scoring
from sinergi.readiness.frameworks import FrameworkFileError, parse_framework

FOLDER = resources.files("sinergi.readiness") / "frameworks"


def shipped(name: str):
    return parse_framework((FOLDER / name).read_text(encoding="utf-8"))


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(text)
    return [(p.line, p.code) for p in caught.value.problems]


VALID = """\
framework:
  slug: uji
  version: 1
  name: Kerangka uji
  source: buatan untuk uji
  weights_total: 10
  levels: {1: a, 2: b, 3: c, 4: d, 5: e}
  predicates:
    - {min: 4, label: Tinggi}
    - {min: 0, label: Rendah}
dimensions:
  - code: D1
    name: Satu
    weight: 6
    aspects:
      - code: A1
        name: Aspek satu
        weight: 6
        indicators:
          - code: I1
            name: Indikator satu
            weight: 6
            evidence: dokumen
            levels: {1: a, 2: b, 3: c, 4: d, 5: e}
  - code: D2
    name: Dua
    weight: 4
    aspects:
      - code: A2
        name: Aspek dua
        weight: 4
        indicators:
          - code: I2
            name: Indikator dua
            weight: 4
            evidence: dokumen
            levels: {1: a, 2: b, 3: c, 4: d, 5: e}
"""


def test_the_spbe_file_has_the_structure_and_weights_of_permenpanrb_59_2020():
    spbe = shipped("indeks-spbe-2020.yaml")
    assert len(spbe.dimensions) == 4
    assert sum(len(d.aspects) for d in spbe.dimensions) == 8
    assert len(spbe.indicators()) == 47
    assert [d.weight for d in spbe.dimensions] == [
        Decimal("13"),
        Decimal("25"),
        Decimal("16.5"),
        Decimal("45.5"),
    ]
    assert list(spbe.level_labels.values()) == [
        "Rintisan",
        "Terkelola",
        "Terdefinisi",
        "Terpadu dan Terukur",
        "Optimum",
    ]
    assert [(p.minimum, p.label) for p in spbe.predicates] == [
        (Decimal("4.2"), "Memuaskan"),
        (Decimal("3.5"), "Sangat Baik"),
        (Decimal("2.6"), "Baik"),
        (Decimal("1.8"), "Cukup"),
        (Decimal("0"), "Kurang"),
    ]
    assert "59 Tahun 2020" in spbe.source


def test_the_smart_city_file_has_six_dimensions_of_three_elements():
    smart_city = shipped("gerakan-100-smart-city.yaml")
    names = [d.name for d in smart_city.dimensions]
    assert names == [
        "Smart Governance",
        "Smart Branding",
        "Smart Economy",
        "Smart Living",
        "Smart Society",
        "Smart Environment",
    ]
    assert all(len(d.aspects) == 3 for d in smart_city.dimensions)
    governance = [a.name for a in smart_city.dimensions[0].aspects]
    assert governance == ["Layanan", "Birokrasi", "Kebijakan"]
    environment = [a.name for a in smart_city.dimensions[5].aspects]
    assert environment == ["Proteksi Lingkungan", "Pengelolaan Sampah", "Pengelolaan Energi"]
    assert any(i.region_metric for i in smart_city.indicators())


def test_spbe_index_is_the_weighted_sum_of_levels_with_the_published_predicates():
    spbe = shipped("indeks-spbe-2020.yaml")
    everything_at = {i.code: 4 for i in spbe.indicators()}
    assert scoring.compute_index(spbe, everything_at).index == Decimal("4.00")
    assert scoring.compute_index(spbe, everything_at).predicate == "Sangat Baik"
    # Services (domain 4, 45.5 %) at Optimum and everything else at Rintisan:
    services = {i.code for a in spbe.dimensions[3].aspects for i in a.indicators}
    mixed = {i.code: 5 if i.code in services else 1 for i in spbe.indicators()}
    result = scoring.compute_index(spbe, mixed)
    assert result.index == Decimal("2.82")  # 0.455 × 5 + 0.545 × 1
    assert result.predicate == "Baik"
    assert result.dimensions["D4"] == Decimal("5.00") and result.dimensions["D1"] == Decimal("1.00")


def test_predicate_boundaries_are_inclusive():
    spbe = shipped("indeks-spbe-2020.yaml")
    assert scoring.predicate_for(Decimal("4.2"), spbe.predicates) == "Memuaskan"
    assert scoring.predicate_for(Decimal("4.19"), spbe.predicates) == "Sangat Baik"
    assert scoring.predicate_for(Decimal("1.79"), spbe.predicates) == "Kurang"


def test_missing_indicators_are_listed_and_count_as_zero():
    framework = parse_framework(VALID)
    result = scoring.compute_index(framework, {"I1": 5})
    assert result.missing == ("I2",)
    assert result.index == Decimal("3.00")


def test_a_valid_file_parses():
    framework = parse_framework(VALID)
    assert [i.code for i in framework.indicators()] == ["I1", "I2"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("weight: 6\n            evidence", "weight: 5\n            evidence"), (18, "weights_mismatch")),
        (
            ("levels: {1: a, 2: b, 3: c, 4: d, 5: e}\n  - code: D2", "levels: {1: a, 2: b}\n  - code: D2"),
            (24, "levels_incomplete"),
        ),
        (("code: I2", "code: I1"), (33, "duplicate_code")),
        (
            (
                "            evidence: dokumen\n            levels: {1: a, 2: b, 3: c, 4: d, 5: e}\n",
                "            levels: {1: a, 2: b, 3: c, 4: d, 5: e}\n",
            ),
            (20, "missing"),
        ),
        (("  version: 1", "  version: satu"), (3, "not_number")),
        (("weights_total: 10", "weights_total: 12"), (6, "weights_mismatch")),
        (("name: Kerangka uji", "name: [Kerangka, uji"), (5, "yaml_syntax")),
    ],
)
def test_a_bad_file_names_the_line_and_the_reason(change, expected):
    old, new = change
    assert old in VALID
    assert expected in problems(VALID.replace(old, new, 1))


def test_metric_thresholds_must_be_four_rising_numbers():
    text = VALID.replace(
        "            evidence: dokumen\n",
        "            evidence: dokumen\n"
        "            region_metric: {key: readiness.people_certified, thresholds: [5, 3, 9]}\n",
        1,
    )
    assert (24, "bad_thresholds") in problems(text)


def test_empty_and_non_mapping_files_are_refused():
    assert problems("") == [(1, "empty")]
    assert problems("- satu\n- dua\n") == [(1, "not_mapping")]


def test_assessors_more_than_one_level_apart_need_a_consensus():
    first = {"A": 2, "B": 3, "C": 1}
    second = {"A": 3, "B": 5, "C": 4}
    assert scoring.needs_consensus(first, second) == ["B", "C"]
    assert scoring.agreed_levels(first, second, {"B": 4}) == {"A": 2, "B": 4}  # C still open


def test_a_measured_value_suggests_a_level_by_the_thresholds():
    thresholds = [Decimal(10), Decimal(50), Decimal(200), Decimal(1000)]
    assert [scoring.level_from_value(Decimal(v), thresholds) for v in (0, 10, 49, 50, 999, 1000)] == [
        1,
        2,
        2,
        3,
        4,
        5,
    ]
