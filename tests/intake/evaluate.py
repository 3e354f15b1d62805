"""Field-level precision and recall of the intake extractor on the test corpus.

    .venv/bin/python tests/intake/evaluate.py              # dev (seeds + dev articles) and held-out tables
    .venv/bin/python tests/intake/evaluate.py --verbose    # also every mismatch, per article

Corpus: the five seed articles in ../shared/seeds (gold in corpus/seeds/) and the hand-written
articles in corpus/ (gold in NNN.json, "split": dev or heldout). Matching rules:
- parties: normalised name equal to the gold name or one of its aliases (or fuzzy ratio ≥ 90);
  optional gold parties are neither required nor counted as false positives when reported.
  party_kind / party_region: scored on matched parties (region only where gold has one).
- agreement_type, status, signed_date, place, duration_years: single values; a value where gold has
  none is a false positive, a missing value a false negative, a wrong value both.
  place accepts any listed variant, or a variant that is a word-prefix of the answer (≥ 2 words).
- topics: set overlap. commitments: quantity + unit; commitment_deadline on matched commitments.
- people: name (titles and order of extra tokens tolerated: one name's words contain the other's);
  people_position on matched people.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = HERE / "corpus"


def find_seeds_dir() -> Path:
    """The requirement articles live beside the repository (../shared/seeds), not in it. A clone made
    elsewhere on this machine finds them through SINERGI_SEEDS_DIR or the workplace's /work/shared."""
    candidates = [
        os.environ.get("SINERGI_SEEDS_DIR", ""),
        REPO.parent / "shared" / "seeds",
        "/work/shared/seeds",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return REPO.parent / "shared" / "seeds"


SEEDS_DIR = find_seeds_dir()

sys.path.insert(0, str(REPO / "src"))

from sinergi.intake.extract import extract  # noqa: E402

FIELDS = [
    "parties",
    "party_kind",
    "party_region",
    "agreement_type",
    "status",
    "signed_date",
    "place",
    "topics",
    "commitments",
    "commitment_deadline",
    "duration_years",
    "people",
    "people_position",
]


@dataclass
class Article:
    name: str
    split: str
    text: str
    gold: dict


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    errors: list[str] = field(default_factory=list)
    articles: int = 0
    seconds: float = 0.0


def load_corpus() -> list[Article]:
    """Seeds first (their text lives outside the repository), then the written articles."""
    out: list[Article] = []
    seed_golds = sorted((CORPUS / "seeds").glob("*.json"))
    if not SEEDS_DIR.is_dir():
        raise FileNotFoundError(f"seed articles not found at {SEEDS_DIR} (expected ../shared/seeds)")
    for g in seed_golds:
        text_path = SEEDS_DIR / (g.stem + ".txt")
        out.append(
            Article(
                "seed:" + g.stem,
                "seed",
                text_path.read_text(encoding="utf-8"),
                json.loads(g.read_text(encoding="utf-8")),
            )
        )
    for g in sorted(CORPUS.glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        out.append(
            Article(g.stem, gold["split"], (CORPUS / (g.stem + ".txt")).read_text(encoding="utf-8"), gold)
        )
    return out


def norm(s: str | None) -> str:
    if not s:
        return ""
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(RI|Republik Indonesia)\b", " ", s)
    s = re.sub(r"[^\w\s]", " ", s.lower())
    return " ".join(s.split())


def _name_match(pred: str, names: Iterable[str]) -> bool:
    p = norm(pred)
    for n in names:
        g = norm(n)
        if p == g or (p and g and fuzz.ratio(p, g) >= 90):
            return True
    return False


def _place_match(pred: str, accepted: list[str]) -> bool:
    p = norm(pred).split()
    for a in accepted:
        g = norm(a).split()
        if p == g:
            return True
        short, long_ = (p, g) if len(p) <= len(g) else (g, p)
        if len(short) >= 2 and long_[: len(short)] == short:
            return True
    return False


def _person_match(pred: str, gold: str) -> bool:
    p, g = set(norm(pred).split()), set(norm(gold).split())
    if not p or not g:
        return False
    return (
        p == g
        or (min(len(p), len(g)) >= 2 and (p <= g or g <= p))
        or (len(p) == 1 and p <= g and len(g) <= 2)
    )


def score_article(art: Article, pred: dict, rep: Report, verbose: bool) -> None:
    gold = art.gold
    c = rep.counts
    err = rep.errors

    def note(fieldname: str, msg: str) -> None:
        if verbose:
            err.append(f"{art.name:28s} {fieldname:18s} {msg}")

    # -- parties
    gold_parties = gold["parties"]
    matched: dict[int, dict] = {}
    used_pred: set[int] = set()
    for want_optional in (False, True):
        for gi, gp in enumerate(gold_parties):
            if bool(gp.get("optional")) != want_optional or gi in matched:
                continue
            for pi, pp in enumerate(pred["parties"]):
                if pi in used_pred:
                    continue
                if _name_match(pp["name"], [gp["name"], *gp.get("aliases", [])]):
                    matched[gi] = pp
                    used_pred.add(pi)
                    break
    for gi, gp in enumerate(gold_parties):
        if gp.get("optional"):
            continue
        if gi in matched:
            c["parties"].tp += 1
            pp = matched[gi]
            # Reporting a listed optional unit in place of its parent (the agency for the ministry)
            # is judged by that unit's kind.
            alt_kinds = {
                o["kind"]
                for o in gold_parties
                if o.get("optional") and _name_match(pp["name"], [o["name"], *o.get("aliases", [])])
            }
            if pp["kind"] == gp["kind"] or pp["kind"] in alt_kinds:
                c["party_kind"].tp += 1
            else:
                c["party_kind"].fp += 1
                c["party_kind"].fn += 1
                note("party_kind", f"{gp['name']}: {pp['kind']} != {gp['kind']}")
            if gp.get("region"):
                if norm(pp.get("region")) == norm(gp["region"]):
                    c["party_region"].tp += 1
                else:
                    c["party_region"].fn += 1
                    if pp.get("region"):
                        c["party_region"].fp += 1
                    note("party_region", f"{gp['name']}: {pp.get('region')} != {gp['region']}")
        else:
            c["parties"].fn += 1
            note("parties", f"missed {gp['name']}")
    for pi, pp in enumerate(pred["parties"]):
        if pi not in used_pred:
            c["parties"].fp += 1
            note("parties", f"extra {pp['name']} ({pp['kind']})")

    # -- single values
    for fieldname in ("agreement_type", "status", "signed_date", "duration_years"):
        _single(
            c[fieldname],
            pred[fieldname],
            gold[fieldname],
            lambda a, b: a == b,
            lambda msg, f=fieldname: note(f, msg),
        )
    _single(
        c["place"],
        pred["place"],
        gold["place"],
        lambda p, g: _place_match(p, g),
        lambda msg: note("place", msg),
    )

    # -- topics
    pt, gt = set(pred["topics"]), set(gold["topics"])
    c["topics"].tp += len(pt & gt)
    c["topics"].fp += len(pt - gt)
    c["topics"].fn += len(gt - pt)
    if pt != gt:
        note("topics", f"extra {sorted(pt - gt)} missed {sorted(gt - pt)}")

    # -- commitments
    used: set[int] = set()
    gold_c = gold["commitments"]
    cmatch: dict[int, dict] = {}
    for want_optional in (False, True):
        for gi, gc in enumerate(gold_c):
            if bool(gc.get("optional")) != want_optional:
                continue
            for pi, pc in enumerate(pred["commitments"]):
                if pi in used:
                    continue
                if pc["quantity"] == gc["quantity"] and norm(pc["unit"]) == norm(gc["unit"]):
                    cmatch[gi] = pc
                    used.add(pi)
                    break
    for gi, gc in enumerate(gold_c):
        if gc.get("optional"):
            continue
        if gi in cmatch:
            c["commitments"].tp += 1
            _single(
                c["commitment_deadline"],
                cmatch[gi]["deadline_years"],
                gc["deadline_years"],
                lambda a, b: a == b,
                lambda msg, g=gc: note("commitment_deadline", f"{g['text']}: {msg}"),
            )
        else:
            c["commitments"].fn += 1
            note("commitments", f"missed {gc['text']} ({gc['quantity']} {gc['unit']})")
    for pi, pc in enumerate(pred["commitments"]):
        if pi not in used:
            c["commitments"].fp += 1
            note("commitments", f"extra {pc['text']!r} ({pc['quantity']} {pc['unit']})")

    # -- people
    used = set()
    gold_people = gold["people"]
    pmatch: dict[int, dict] = {}
    for want_optional in (False, True):
        for gi, gpn in enumerate(gold_people):
            if bool(gpn.get("optional")) != want_optional:
                continue
            for pi, ppn in enumerate(pred["people"]):
                if pi not in used and _person_match(ppn["name"], gpn["name"]):
                    pmatch[gi] = ppn
                    used.add(pi)
                    break
    for gi, gpn in enumerate(gold_people):
        if gpn.get("optional"):
            continue
        if gi in pmatch:
            c["people"].tp += 1
            if norm(pmatch[gi]["position"]) == norm(gpn["position"]):
                c["people_position"].tp += 1
            else:
                c["people_position"].fp += 1
                c["people_position"].fn += 1
                note("people_position", f"{gpn['name']}: {pmatch[gi]['position']} != {gpn['position']}")
        else:
            c["people"].fn += 1
            note("people", f"missed {gpn['name']} ({gpn['position']})")
    for pi, ppn in enumerate(pred["people"]):
        if pi not in used:
            c["people"].fp += 1
            note("people", f"extra {ppn['name']} ({ppn['position']})")


def _single(counts: Counts, pred, gold, same, note) -> None:
    if gold is None and pred is None:
        return
    if gold is None:
        counts.fp += 1
        note(f"extra {pred!r}")
    elif pred is None:
        counts.fn += 1
        note(f"missed {gold!r}")
    elif same(pred, gold):
        counts.tp += 1
    else:
        counts.fp += 1
        counts.fn += 1
        note(f"{pred!r} != {gold!r}")


def evaluate(splits: set[str], verbose: bool = False) -> Report:
    rep = Report()
    start = time.perf_counter()
    for art in load_corpus():
        if art.split not in splits:
            continue
        pred = extract(art.text).to_simple_json()
        rep.articles += 1
        score_article(art, pred, rep, verbose)
    rep.seconds = time.perf_counter() - start
    return rep


def format_table(title: str, rep: Report) -> str:
    lines = [
        f"{title} — {rep.articles} articles, {rep.seconds:.2f} s",
        f"{'field':20s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'precision':>9s} {'recall':>7s}",
    ]
    for f in FIELDS:
        k = rep.counts[f]
        lines.append(f"{f:20s} {k.tp:4d} {k.fp:4d} {k.fn:4d} {k.precision:9.2f} {k.recall:7.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verbose", action="store_true", help="list every mismatch")
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    args = ap.parse_args(argv)
    groups = {"dev": ("dev (5 seeds + dev articles)", {"seed", "dev"}), "heldout": ("held-out", {"heldout"})}
    chosen = groups.values() if args.split == "all" else [groups[args.split]]
    for title, splits in chosen:
        rep = evaluate(splits, args.verbose)
        print(format_table(title, rep))
        if args.verbose:
            print("\n".join(rep.errors))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
