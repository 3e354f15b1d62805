"""Regression floor for the extractor's field-level precision and recall on the test corpus.

The floors are the values measured when the extractor was finished (see the table printed by
tests/intake/evaluate.py) minus a margin, so a change that loses accuracy fails here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("intake_evaluate", Path(__file__).with_name("evaluate.py"))
assert _spec and _spec.loader
evaluate = importlib.util.module_from_spec(_spec)
sys.modules["intake_evaluate"] = evaluate  # dataclasses look their module up while being created
_spec.loader.exec_module(evaluate)

# field: (precision floor, recall floor)
DEV_FLOORS = {
    "parties": (0.92, 0.92),
    "party_kind": (0.9, 0.9),
    "party_region": (0.9, 0.9),
    "agreement_type": (0.9, 0.9),
    "status": (0.9, 0.9),
    "signed_date": (0.9, 0.9),
    "place": (0.85, 0.85),
    "topics": (0.85, 0.85),
    "commitments": (0.85, 0.85),
    "commitment_deadline": (0.8, 0.8),
    "duration_years": (0.7, 0.7),
    "people": (0.9, 0.9),
    "people_position": (0.9, 0.9),
}
HELDOUT_FLOORS = {
    "parties": (0.8, 0.8),
    "party_kind": (0.8, 0.8),
    "party_region": (0.8, 0.8),
    "agreement_type": (0.8, 0.8),
    "status": (0.8, 0.8),
    "signed_date": (0.75, 0.75),
    "place": (0.7, 0.7),
    "topics": (0.7, 0.7),
    "commitments": (0.7, 0.7),
    "commitment_deadline": (0.6, 0.6),
    "duration_years": (0.5, 0.5),
    "people": (0.8, 0.8),
    "people_position": (0.8, 0.8),
}


@pytest.fixture(scope="module")
def reports():
    return {
        "dev": evaluate.evaluate({"seed", "dev"}),
        "heldout": evaluate.evaluate({"heldout"}),
    }


def test_corpus_size(reports):
    assert reports["dev"].articles >= 20
    assert reports["heldout"].articles >= 5


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_field_floors(reports, split):
    floors = DEV_FLOORS if split == "dev" else HELDOUT_FLOORS
    rep = reports[split]
    low = []
    for field, (p_floor, r_floor) in floors.items():
        c = rep.counts[field]
        if c.precision < p_floor or c.recall < r_floor:
            low.append(f"{field}: P={c.precision:.2f} (≥{p_floor}) R={c.recall:.2f} (≥{r_floor})")
    assert not low, evaluate.format_table(split, rep) + "\n" + "\n".join(low)


def test_extraction_is_fast(reports):
    # 30 articles on a shared 2-core machine; a regex or fuzzy-match blow-up shows here first.
    assert reports["dev"].seconds + reports["heldout"].seconds < 20
