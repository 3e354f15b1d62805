"""Property tests for the allocation engine, checked against an independent reference.

Everything here is re-derived from the rules in issue 6 without using the engine's internals: the
lottery, the slot-by-slot choice rule, stability, and a brute-force search over all matchings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping, Sequence

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sinergi.selection.engine import OPEN, allocate, explanation_message, parse_input, result_to_json

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CATEGORIES = ["asn", "guru", "umkm"]


# ------------------------------------------------------------------------------------------------
# Reference model


def priority_key(seed: object, applicant: Mapping) -> tuple[float, int]:
    digest = hashlib.sha256(json.dumps(seed).encode() + b"\x00" + applicant["id"].encode()).digest()
    return (-float(applicant["score"]), int.from_bytes(digest, "big"))


def slots_of(cls: Mapping, kept: Sequence[Mapping] = ()) -> list[str]:
    """The class's remaining seats as a list of slot kinds in processing order."""
    reserved = dict(cls.get("reserved") or {})
    used: dict[str, int] = {}
    for k in kept:
        if k["class"] == cls["id"]:
            used[k.get("seat", OPEN)] = used.get(k.get("seat", OPEN), 0) + 1
    n_open = cls["capacity"] - sum(reserved.values()) - used.get(OPEN, 0)
    res = []
    for cat in sorted(reserved):
        res += [cat] * (reserved[cat] - used.get(cat, 0))
    if cls.get("precedence", "open_first") == "open_first":
        return [OPEN] * n_open + res
    return res + [OPEN] * n_open


def choose(slots: list[str], proposers: list[Mapping], key) -> dict[str, str]:
    """Slot rule, one slot at a time: returns applicant id -> slot kind taken."""
    remaining = sorted(proposers, key=key)
    taken: dict[str, str] = {}
    for kind in slots:
        if not remaining:
            break
        pick = None
        if kind != OPEN:
            pick = next((a for a in remaining if kind in a.get("categories", [])), None)
        if pick is None:
            pick = remaining[0]
        remaining.remove(pick)
        taken[pick["id"]] = kind
    return taken


def reference_da(data: Mapping) -> dict[str, str | None]:
    """Round-based (simultaneous) deferred acceptance, written independently of the engine."""
    seed = data["seed"]
    key = lambda a: priority_key(seed, a)  # noqa: E731
    classes = {c["id"]: c for c in data["classes"]}
    kept = data.get("kept", [])
    slots = {cid: slots_of(c, kept) for cid, c in classes.items()}
    apps = {a["id"]: a for a in data["applicants"]}
    nxt = dict.fromkeys(apps, 0)
    held: dict[str, list[Mapping]] = {cid: [] for cid in classes}
    free = list(apps)
    while free:
        proposals: dict[str, list[Mapping]] = {}
        for aid in free:
            a = apps[aid]
            if nxt[aid] < len(a["choices"]):
                proposals.setdefault(a["choices"][nxt[aid]], []).append(a)
                nxt[aid] += 1
        if not proposals:
            break
        free = []
        for cid, new in proposals.items():
            pool = held[cid] + new
            chosen = choose(slots[cid], pool, key)
            held[cid] = [a for a in pool if a["id"] in chosen]
            free += [a["id"] for a in pool if a["id"] not in chosen]
        free = [aid for aid in free if nxt[aid] < len(apps[aid]["choices"])]
    out: dict[str, str | None] = dict.fromkeys(apps)
    for cid, hs in held.items():
        for a in hs:
            out[a["id"]] = cid
    return out


def blocking_pairs(data: Mapping, assignment: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """Justified envy / waste under the slot rule: (applicant, class) pairs that block."""
    seed = data["seed"]
    key = lambda a: priority_key(seed, a)  # noqa: E731
    classes = {c["id"]: c for c in data["classes"]}
    kept = data.get("kept", [])
    apps = {a["id"]: a for a in data["applicants"]}
    members: dict[str, list[Mapping]] = {cid: [] for cid in classes}
    for aid, cid in assignment.items():
        if cid is not None and aid in apps:
            members[cid].append(apps[aid])
    bad = []
    for cid, ms in members.items():
        # The class must want exactly its matched set (and it must fit).
        if set(choose(slots_of(classes[cid], kept), ms, key)) != {a["id"] for a in ms}:
            bad.append(("<over capacity or not chosen>", cid))
    for aid, a in apps.items():
        got = assignment[aid]
        for cid in a["choices"]:
            if cid == got:
                break
            if aid in choose(slots_of(classes[cid], kept), members[cid] + [a], key):
                bad.append((aid, cid))
    return bad


def prefers(choices: Sequence[str], x: str | None, y: str | None) -> bool:
    """Does an applicant with these choices strictly prefer x to y (None = unassigned)?"""
    rank = {c: i for i, c in enumerate(choices)}
    return rank.get(x, len(choices)) < rank.get(y, len(choices))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# Instances


@st.composite
def instances(draw, max_apps: int = 9, max_classes: int = 4, max_choices: int = 3, kept: bool = False):
    n_classes = draw(st.integers(1, max_classes))
    classes = []
    for j in range(n_classes):
        cap = draw(st.integers(0, 3))
        reserved = {}
        room = cap
        for cat in draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=2)):
            seats = draw(st.integers(0, room))
            reserved[cat] = seats
            room -= seats
        cls = {"id": f"c{j}", "capacity": cap}
        if reserved:
            cls["reserved"] = reserved
        if draw(st.booleans()):
            cls["precedence"] = draw(st.sampled_from(["open_first", "reserved_first"]))
        classes.append(cls)
    class_ids = [c["id"] for c in classes]
    applicants = []
    for i in range(draw(st.integers(0, max_apps))):
        choices = draw(st.lists(st.sampled_from(class_ids), unique=True, max_size=max_choices))
        # Few distinct scores so that lottery ties matter.
        score = draw(st.sampled_from([60, 70, 70.5, 80]))
        cats = draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=2))
        applicants.append({"id": f"a{i}", "choices": choices, "score": score, "categories": cats})
    data = {"seed": draw(st.integers(0, 10**6)), "classes": classes, "applicants": applicants}
    if kept:
        kept_seats = []
        for cls in classes:
            kinds = slots_of(cls)
            picked = draw(st.lists(st.sampled_from(kinds), max_size=len(kinds))) if kinds else []
            for k, kind in enumerate(picked):
                kept_seats.append({"applicant": f"k{cls['id']}{k}", "class": cls["id"], "seat": kind})
        # Respect the per-kind limits the engine validates.
        counts: dict[tuple[str, str], int] = {}
        ok = []
        for ks in kept_seats:
            cls = next(c for c in classes if c["id"] == ks["class"])
            limit = slots_of(cls).count(ks["seat"])
            if counts.get((ks["class"], ks["seat"]), 0) < limit:
                counts[(ks["class"], ks["seat"])] = counts.get((ks["class"], ks["seat"]), 0) + 1
                ok.append(ks)
        data["kept"] = ok
    return data


# ------------------------------------------------------------------------------------------------
# Properties


@FAST
@given(instances(kept=True))
def test_engine_equals_independent_deferred_acceptance(data):
    result = allocate(parse_input(data))
    expected = reference_da(data)
    for ks in data.get("kept", []):
        expected[ks["applicant"]] = ks["class"]
    assert result.assignment == expected


@FAST
@given(instances(max_apps=14, kept=True))
def test_capacity_never_exceeded_and_only_listed_classes(data):
    result = allocate(parse_input(data))
    load: dict[str, int] = {}
    for cid in result.assignment.values():
        if cid is not None:
            load[cid] = load.get(cid, 0) + 1
    for cls in data["classes"]:
        assert load.get(cls["id"], 0) <= cls["capacity"]
    for a in data["applicants"]:
        got = result.assignment[a["id"]]
        assert got is None or got in a["choices"]


@FAST
@given(instances(max_apps=14, kept=True))
def test_no_justified_envy_under_the_slot_rule(data):
    result = allocate(parse_input(data))
    assert blocking_pairs(data, result.assignment) == []


@FAST
@given(instances(max_apps=14, kept=True))
def test_reserved_seats_respected(data):
    result = allocate(parse_input(data))
    key = lambda a: priority_key(data["seed"], a)  # noqa: E731
    apps = {a["id"]: a for a in data["applicants"]}
    kept_ids = {k["applicant"] for k in data.get("kept", [])}
    for cls in data["classes"]:
        cid = cls["id"]
        matched = [apps[aid] for aid, c in result.assignment.items() if c == cid and aid not in kept_ids]
        remaining = slots_of(cls, data.get("kept", []))
        # Seat kinds reported by the engine agree with the slot rule run on the matched set.
        expected = choose(remaining, matched, key)
        reported = {a["id"]: result.reserved_seats.get(a["id"], OPEN) for a in matched}
        assert reported == expected
        for cat in set(remaining) - {OPEN}:
            holders = [aid for aid, kind in reported.items() if kind == cat]
            assert len(holders) <= remaining.count(cat)
            if any(cat not in apps[aid]["categories"] for aid in holders):
                # A reserved seat reverted to a non-member only if no member wanted this class more.
                assert not any(cat in apps[aid]["categories"] for aid in result.waitlists[cid])


@SLOW
@given(instances(max_apps=5, max_classes=3, max_choices=2))
def test_applicant_optimal_among_all_stable_matchings(data):
    result = allocate(parse_input(data))
    apps = data["applicants"]
    options = [[None, *a["choices"]] for a in apps]
    stable = []
    for combo in itertools.product(*options):
        assignment = {a["id"]: c for a, c in zip(apps, combo, strict=True)}
        if not blocking_pairs(data, assignment):
            stable.append(assignment)
    assert result.assignment in stable
    for other in stable:
        for a in apps:
            assert not prefers(a["choices"], other[a["id"]], result.assignment[a["id"]])


def _rankings(class_ids: list[str], max_len: int):
    for k in range(max_len + 1):
        yield from itertools.permutations(class_ids, k)


@SLOW
@given(instances(max_apps=5, max_classes=3, max_choices=3), st.data())
def test_truthful_ranking_is_a_best_response(data, draw):
    assume(data["applicants"])
    liar = draw.draw(st.sampled_from(data["applicants"]))
    truth = liar["choices"]
    honest = allocate(parse_input(data)).assignment[liar["id"]]
    class_ids = [c["id"] for c in data["classes"]]
    for report in _rankings(class_ids, 3):
        lied = {
            **data,
            "applicants": [{**a, "choices": list(report)} if a is liar else a for a in data["applicants"]],
        }
        got = allocate(parse_input(lied)).assignment[liar["id"]]
        assert not prefers(truth, got, honest), (report, got, honest)


@FAST
@given(instances(max_apps=10), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(data, rnd):
    first = allocate(parse_input(data))
    shuffled = {**data, "applicants": list(data["applicants"]), "classes": list(data["classes"])}
    rnd.shuffle(shuffled["applicants"])
    rnd.shuffle(shuffled["classes"])
    second = allocate(parse_input(shuffled))
    assert first.assignment == second.assignment
    assert first.waitlists == second.waitlists
    assert first.cutoffs == second.cutoffs
    assert first.reserved_seats == second.reserved_seats


@FAST
@given(instances(max_apps=10, kept=True))
def test_waitlists_are_exactly_the_applicants_who_prefer_the_class(data):
    result = allocate(parse_input(data))
    key = lambda a: priority_key(data["seed"], a)  # noqa: E731
    for cls in data["classes"]:
        cid = cls["id"]
        wanting = [a for a in data["applicants"] if prefers(a["choices"], cid, result.assignment[a["id"]])]
        assert list(result.waitlists[cid]) == [a["id"] for a in sorted(wanting, key=key)]


@FAST
@given(instances(max_apps=10))
def test_every_better_choice_is_explained_truthfully(data):
    result = allocate(parse_input(data))
    apps = {a["id"]: a for a in data["applicants"]}
    for aid, lines in result.explanations().items():
        a = apps[aid]
        above = []
        for cid in a["choices"]:
            if cid == result.assignment[aid]:
                break
            above.append(cid)
        assert [e.class_id for e in lines] == above
        for e in lines:
            assert e.message
            # Every number quoted is honest: "below" means lower, "equal ... lost the lottery" means equal.
            score = float(a["score"])
            for verb, bound in re.findall(
                r"(di bawah|sama dengan) batas (-?[0-9]+,[0-9]+(?:e[-+]?[0-9]+)?)", e.message
            ):
                limit = float(bound.replace(",", "."))
                assert (score < limit) if verb == "di bawah" else (score == limit), e.message
            if e.message.startswith("Nilai Anda"):
                assert e.message.startswith(f"Nilai Anda {score!r}".replace(".", ","))


@FAST
@given(instances(max_apps=10))
def test_explanations_rendered_from_the_published_outcomes_equal_the_engines(data):
    result = allocate(parse_input(data))
    outcomes = json.loads(json.dumps(result_to_json(result)))["outcomes"]  # as stored and downloaded
    apps = {a["id"]: a for a in data["applicants"]}
    for aid, lines in result.explanations().items():
        a = apps[aid]
        rendered = [
            explanation_message(e.class_id, outcomes[e.class_id], a["score"], a.get("categories", []))
            for e in lines
        ]
        assert rendered == [e.message for e in lines]


@st.composite
def choice_problems(draw):
    """One class's slots and a pool of proposers with overlapping categories."""
    kinds = draw(st.lists(st.sampled_from([OPEN, *CATEGORIES]), min_size=1, max_size=5))
    precedence = draw(st.sampled_from(["open_first", "reserved_first"]))
    reserved: dict[str, int] = {}
    for kind in kinds:
        if kind != OPEN:
            reserved[kind] = reserved.get(kind, 0) + 1
    cls = {"id": "c", "capacity": len(kinds), "reserved": reserved, "precedence": precedence}
    pool = [
        {
            "id": f"a{i}",
            "score": draw(st.sampled_from([1, 2, 3])),
            "categories": draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3)),
        }
        for i in range(draw(st.integers(1, 7)))
    ]
    return cls, pool, draw(st.integers(0, 1000))


@FAST
@given(choice_problems())
def test_slot_rule_is_substitutable_and_size_monotone(problem):
    # The premise of the stability, optimality and strategy-proofness results: whoever is chosen from a
    # pool is still chosen from any smaller pool containing them, and a bigger pool fills no fewer seats.
    cls, pool, seed = problem
    key = lambda a: priority_key(seed, a)  # noqa: E731
    slots = slots_of(cls)
    chosen = set(choose(slots, pool, key))
    assert len(chosen) == min(len(slots), len(pool))
    for size in range(len(pool)):
        for smaller in itertools.combinations(pool, size):
            picked = set(choose(slots, list(smaller), key))
            assert {a["id"] for a in smaller} & chosen <= picked
