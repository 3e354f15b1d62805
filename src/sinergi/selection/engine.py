"""Seat allocation engine: applicant-proposing deferred acceptance with slot-based reserved seats.

Pure Python, no Django: the same function runs inside the application, in the benchmark and in the
hands of an auditor (`sinergi allocate INPUT.json`).

Use: ``result = allocate(parse_input(json_data))`` (or build :class:`AllocationInput` from tuples), then
``result.assignment``, ``.reserved_seats``, ``.cutoffs``, ``.waitlists``, ``.explain(applicant_id)``,
``.input_sha256``, and :func:`result_to_json` for the document `sinergi allocate` prints.  The document
holds each class's outcome (blocks of seats, lowest admitted scores) instead of a text per applicant;
``explanation_message(class_id, outcomes[class_id], score, categories)`` renders the very text
``result.explain()`` gives, for any applicant, when it is needed.

Rules (issue 6)
---------------
* Priority at every class: higher score first; equal scores are ordered by a lottery number.
  The lottery number of an applicant is SHA-256( JSON text of the seed + b"\\x00" + UTF-8 applicant id ),
  read as an unsigned big-endian integer; the smaller number wins.  It depends only on the seed and
  the id, so re-ordering the input file changes nothing and any machine gets the same order.
* Seats are slots processed in the class's precedence order:
  ``open_first`` (default): the open seats, then the reserved seats of each category;
  ``reserved_first``: the reserved seats of each category, then the open seats.
  Reserved categories are processed in ascending order of their name.  An open slot takes the
  highest-priority remaining proposer; a slot reserved for category k takes the highest-priority
  remaining proposer in k, or, when there is none, the highest-priority remaining proposer at all
  (an unused reserved seat reverts to open).  So each block of slots takes the best ``size``
  proposers by its own strict order (open: priority; category k: members of k first, then priority).
* The outcome is the applicant-optimal stable assignment.  A class's choice rule built this way is
  substitutable and size-monotone (the property tests check substitutability exhaustively on small
  instances, including applicants in several categories), so deferred acceptance is stable,
  applicant-optimal, independent of the proposal order and strategy-proof for applicants
  (Hatfield & Milgrom 2005; Boston's walk-zone seats, Dur, Kominers, Pathak & Sönmez 2018, are the
  one-category case).
* ``kept`` seats (backfill): applicants who already accepted a seat keep it.  Each kept seat names the
  kind of seat it occupies (``open`` or a reserved category, as reported in ``reserved_seats`` by the
  earlier run) and removes one seat of that kind before the remaining applicants are matched, so a
  declined reserved seat is offered to the category first.
* ``input_sha256`` covers the canonical input *without the seed*, so it can be published before the
  seed is drawn.  The application must run the engine on the same (pseudonymised) input it publishes:
  the lottery depends on the ids.

Speed
-----
All classes rank by the same master order, only re-weighted by category, so applicants propose in
master-priority order (McVitie-Wilson: one proposal at a time, only the receiving class re-evaluates).
A newcomer is then the lowest-priority proposer any class has seen: a full class rejects it with one
look-up unless it belongs to a category whose reserved seat is held by a non-member.  Plain classes
hold a sorted list of integer ranks (the common path is an append); a full reserved class keeps its
slot run per block (:class:`_SlotState`), updated in O(blocks) per proposal.  Applicants bumped by a
reserved seat propose on at once.  The lottery is one SHA-256 per applicant and the priority order
one sort of bytes keys; the cyclic garbage collector is paused while millions of acyclic objects are
built.
"""

from __future__ import annotations

import gc
import hashlib
import json
from bisect import insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import InitVar, dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any, Final, NamedTuple, TypeVar

OPEN: Final = "open"
OPEN_FIRST: Final = "open_first"
RESERVED_FIRST: Final = "reserved_first"
PRECEDENCES: Final = (OPEN_FIRST, RESERVED_FIRST)
FORMAT: Final = "sinergi-allocation/1"  # of the input, and part of its canonical hashed text
# Of the document `sinergi allocate` prints. Version 2 replaced the explanation text of every applicant
# (three quarters of the document and of its cost at national size) by each class's outcome, from which
# any applicant's explanation is rendered exactly (explanation_message, `sinergi allocate --explain ID`).
RESULT_FORMAT: Final = "sinergi-allocation-result/2"

_INF = float("inf")
_T = TypeVar("_T")


class AllocationInputError(ValueError):
    """The allocation input is invalid; the message (Bahasa Indonesia) names the offending item."""


# --------------------------------------------------------------------------------------------------
# Input


class ClassSeats(NamedTuple):
    """A class (kelas) offering seats.  ``reserved`` holds (category, seats) pairs."""

    id: str
    capacity: int
    reserved: tuple[tuple[str, int], ...] = ()
    precedence: str = OPEN_FIRST


class Applicant(NamedTuple):
    """An applicant with their ranked class ids (best first), score and categories."""

    id: str
    choices: tuple[str, ...]
    score: float
    categories: tuple[str, ...] = ()


class KeptSeat(NamedTuple):
    """A seat already accepted in an earlier run; it is held, not re-matched."""

    applicant_id: str
    class_id: str
    seat: str = OPEN


@dataclass(frozen=True, eq=False)
class AllocationInput:
    """A validated allocation input in normal form (float scores, sorted categories and reserved seats).

    Build it with :func:`parse_input` from the JSON shape, or directly from the tuples: construction
    validates everything and raises :class:`AllocationInputError` naming the first offending item.
    """

    seed: int | str
    classes: tuple[ClassSeats, ...]
    applicants: tuple[Applicant, ...]
    kept: tuple[KeptSeat, ...] = ()
    # parse_input has already checked (and normalised) every applicant in its single pass.
    _applicants_checked: InitVar[bool] = False

    def __post_init__(self, _applicants_checked: bool) -> None:
        with _gc_paused():
            _check_seed(self.seed)
            if not isinstance(self.classes, tuple) or not isinstance(self.applicants, tuple):
                raise AllocationInputError("classes dan applicants harus berupa daftar")
            if not isinstance(self.kept, tuple):
                raise AllocationInputError("kept harus berupa daftar")
            seats = _check_classes(self.classes)
            normal = _applicants_checked or _check_applicants(self.applicants, seats.keys())
            applicant_ids = _check_unique_ids(self.applicants)
            _check_kept(self.kept, applicant_ids, seats)
            # Normal form, so that the canonical JSON is simply these tuples however they were built.
            if any(list(cs.reserved) != sorted(cs.reserved) for cs in self.classes):
                classes = tuple(cs._replace(reserved=tuple(sorted(cs.reserved))) for cs in self.classes)
                object.__setattr__(self, "classes", classes)
            if not normal:
                applicants = tuple(
                    Applicant(a[0], a[1], float(a[2]), tuple(sorted(set(a[3])))) for a in self.applicants
                )
                object.__setattr__(self, "applicants", applicants)

    @cached_property
    def sha256(self) -> str:
        """Hash of the canonical input *without the seed*: it can be published before the seed is drawn."""
        return input_sha256(self)


def _canonical_cats(cats: tuple[str, ...]) -> bool:
    return len(cats) < 2 or all(x < y for x, y in zip(cats, cats[1:], strict=False))


def _item(kind: str, index: int, ident: object = None) -> str:
    where = {"Pelamar": "applicants", "Kelas": "classes", "Kursi tetap": "kept"}[kind]
    if isinstance(ident, str) and ident:
        return f"{kind} '{ident}' ({where}[{index}])"
    return f"{kind} ke-{index + 1} ({where}[{index}])"


def _is_text(value: object) -> bool:
    return type(value) is str and bool(value) and not value.isspace()


_FLOAT_MAX = 1.7976931348623157e308


def _is_number(value: object) -> bool:
    """A finite int or float that converts to float (so not bool, NaN, infinity or a 400-digit int)."""
    return type(value) in (int, float) and -_FLOAT_MAX <= value <= _FLOAT_MAX  # type: ignore[operator]


def _check_seed(seed: object) -> None:
    if type(seed) is str:
        if not seed:
            raise AllocationInputError("seed tidak boleh kosong")
    elif type(seed) is not int:
        raise AllocationInputError("seed wajib berupa bilangan bulat atau teks")


def _check_classes(classes: tuple[ClassSeats, ...]) -> dict[str, dict[str, int]]:
    """Validate the classes; return per class id its seats by kind (OPEN and each reserved category)."""
    seats: dict[str, dict[str, int]] = {}
    for j, cs in enumerate(classes):
        if not isinstance(cs, ClassSeats):
            raise AllocationInputError(f"{_item('Kelas', j)}: harus berupa objek kelas")
        cid = cs.id
        if not _is_text(cid):
            raise AllocationInputError(f"{_item('Kelas', j)}: id kelas wajib berupa teks yang tidak kosong")
        where = _item("Kelas", j, cid)
        if cid in seats:
            raise AllocationInputError(f"{where}: id kelas '{cid}' ganda")
        cap = cs.capacity
        if type(cap) is not int:
            raise AllocationInputError(f"{where}: kapasitas (capacity) wajib berupa bilangan bulat")
        if cap < 0:
            raise AllocationInputError(f"{where}: kapasitas (capacity) tidak boleh negatif ({cap})")
        if cs.precedence not in PRECEDENCES:
            raise AllocationInputError(
                f"{where}: urutan (precedence) '{cs.precedence}' tidak dikenal; "
                f"gunakan 'open_first' atau 'reserved_first'"
            )
        kinds: dict[str, int] = {}
        if not isinstance(cs.reserved, tuple):
            raise AllocationInputError(f"{where}: kursi cadangan (reserved) tidak valid")
        for pair in cs.reserved:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise AllocationInputError(f"{where}: kursi cadangan (reserved) tidak valid")
            cat, n = pair
            if not _is_text(cat):
                raise AllocationInputError(
                    f"{where}: nama kategori cadangan wajib berupa teks yang tidak kosong"
                )
            if cat == OPEN:
                raise AllocationInputError(f"{where}: '{OPEN}' tidak boleh dipakai sebagai nama kategori")
            if cat in kinds:
                raise AllocationInputError(f"{where}: kategori cadangan '{cat}' ganda")
            if type(n) is not int or n < 0:
                raise AllocationInputError(
                    f"{where}: jumlah kursi cadangan '{cat}' wajib berupa bilangan bulat tidak negatif"
                )
            kinds[cat] = n
        total = sum(kinds.values())
        if total > cap:
            raise AllocationInputError(f"{where}: jumlah kursi cadangan ({total}) melebihi kapasitas ({cap})")
        kinds[OPEN] = cap - total
        seats[cid] = kinds
    return seats


def _check_applicants(apps: tuple[Applicant, ...], known: Iterable[str]) -> bool:
    """Validate typed applicants; return whether they are already in normal form."""
    known_set = set(known)
    normal = True
    for i, a in enumerate(apps):
        if type(a) is not Applicant and not isinstance(a, Applicant):
            raise AllocationInputError(f"{_item('Pelamar', i)}: harus berupa objek pelamar")
        aid, choices, score, cats = a
        if type(score) is not float:
            normal = False
        if (
            type(aid) is not str
            or not aid
            or aid.isspace()
            or not (_is_number(score))
            or type(choices) is not tuple
            or (choices and not _good_choices(choices, known_set))
            or (cats and not _good_categories(cats))
        ):
            _raise_for_applicant(i, a, known_set)
        if len(cats) > 1 and not _canonical_cats(cats):
            normal = False
    return normal


def _good_choices(choices: tuple[str, ...], known: set[str]) -> bool:
    try:
        chosen = set(choices)
    except TypeError:
        return False
    return len(chosen) == len(choices) and chosen <= known


def _good_categories(cats: object) -> bool:
    return type(cats) is tuple and all(_is_text(k) for k in cats)


def _raise_for_applicant(i: int, a: Applicant, known: set[str]) -> None:
    """Raise the precise message for an applicant that failed the quick checks."""
    aid, choices, score, cats = a
    if not _is_text(aid):
        raise AllocationInputError(f"{_item('Pelamar', i)}: id pelamar wajib berupa teks yang tidak kosong")
    where = _item("Pelamar", i, aid)
    if score is None:
        raise AllocationInputError(f"{where}: nilai (score) wajib diisi")
    if not _is_number(score):
        raise AllocationInputError(f"{where}: nilai (score) wajib berupa angka, bukan {score!r}")
    if type(choices) is not tuple:
        raise AllocationInputError(f"{where}: pilihan (choices) wajib berupa daftar")
    seen: set[object] = set()
    for cid in choices:
        if type(cid) is not str or cid not in known:
            raise AllocationInputError(f"{where}: pilihan kelas '{cid}' tidak dikenal")
        if cid in seen:
            raise AllocationInputError(f"{where}: kelas '{cid}' dipilih lebih dari sekali")
        seen.add(cid)
    if cats and not _good_categories(cats):
        raise AllocationInputError(f"{where}: kategori (categories) wajib berupa daftar teks")
    raise AssertionError("applicant failed a check but no message matched")  # pragma: no cover


def _check_unique_ids(apps: tuple[Applicant, ...]) -> set[str]:
    ids = [a[0] for a in apps]
    unique = set(ids)
    if len(unique) != len(ids):
        seen: set[str] = set()
        for i, aid in enumerate(ids):
            if aid in seen:
                raise AllocationInputError(f"{_item('Pelamar', i, aid)}: id pelamar '{aid}' ganda")
            seen.add(aid)
    return unique


def _check_kept(
    kept: tuple[KeptSeat, ...], applicant_ids: set[str], seats: Mapping[str, Mapping[str, int]]
) -> None:
    used: dict[tuple[str, str], int] = {}
    kept_ids: set[str] = set()
    for i, ks in enumerate(kept):
        if not isinstance(ks, KeptSeat):
            raise AllocationInputError(f"{_item('Kursi tetap', i)}: harus berupa objek kursi tetap")
        aid, cid, seat = ks
        if not _is_text(aid):
            raise AllocationInputError(
                f"{_item('Kursi tetap', i)}: id pelamar wajib berupa teks yang tidak kosong"
            )
        where = _item("Kursi tetap", i, aid)
        if aid in kept_ids:
            raise AllocationInputError(f"{where}: pelamar '{aid}' muncul lebih dari sekali di kept")
        if aid in applicant_ids:
            raise AllocationInputError(
                f"{where}: pelamar '{aid}' sudah memegang kursi dan tidak boleh juga ada di applicants"
            )
        kept_ids.add(aid)
        if type(cid) is not str or cid not in seats:
            raise AllocationInputError(f"{where}: kelas '{cid}' tidak dikenal")
        if type(seat) is not str or seat not in seats[cid]:
            raise AllocationInputError(
                f"{where}: jenis kursi '{seat}' tidak ada di kelas '{cid}' "
                "(gunakan 'open' atau salah satu kategori cadangannya)"
            )
        limit = seats[cid][seat]
        count = used.get((cid, seat), 0) + 1
        if count > limit:
            label = "kursi umum" if seat == OPEN else f"kursi cadangan '{seat}'"
            raise AllocationInputError(
                f"{where}: kelas '{cid}' hanya punya {limit} {label}, tetapi kept memakai lebih dari itu"
            )
        used[(cid, seat)] = count


_TOP_KEYS = frozenset({"seed", "classes", "applicants", "kept"})
_CLASS_KEYS = frozenset({"id", "capacity", "reserved", "precedence"})
_APPLICANT_KEYS = frozenset({"id", "choices", "score", "categories"})
_KEPT_KEYS = frozenset({"applicant", "class", "seat"})


def _unknown_keys(where: str, obj: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise AllocationInputError(f"{where}: kunci tidak dikenal: {', '.join(repr(k) for k in extra)}")


def parse_input(data: object) -> AllocationInput:
    """Turn the JSON input of `sinergi allocate` into a validated :class:`AllocationInput`.

    Shape: ``{"seed": 42, "classes": [{"id", "capacity", "reserved"?, "precedence"?}],
    "applicants": [{"id", "choices", "score", "categories"?}], "kept"?: [{"applicant", "class", "seat"?}]}``.
    Unknown keys are refused, so a typo cannot silently change a published run.
    """
    with _gc_paused():
        return _parse_input(data)


def _parse_input(data: object) -> AllocationInput:
    if not isinstance(data, Mapping):
        raise AllocationInputError("masukan harus berupa objek JSON")
    _unknown_keys("masukan", data, _TOP_KEYS)
    if "seed" not in data:
        raise AllocationInputError("seed wajib diisi")
    seed = data["seed"]
    _check_seed(seed)
    raw_classes: Any = data.get("classes")
    raw_apps: Any = data.get("applicants")
    if not isinstance(raw_classes, list):
        raise AllocationInputError("classes wajib berupa daftar")
    if not isinstance(raw_apps, list):
        raise AllocationInputError("applicants wajib berupa daftar")

    classes: list[ClassSeats] = []
    for j, rc in enumerate(raw_classes):
        if not isinstance(rc, dict):
            raise AllocationInputError(f"{_item('Kelas', j)}: harus berupa objek")
        where = _item("Kelas", j, rc.get("id"))
        _unknown_keys(where, rc, _CLASS_KEYS)
        if "capacity" not in rc:
            raise AllocationInputError(f"{where}: kapasitas (capacity) wajib diisi")
        raw_res = rc.get("reserved") or {}
        if not isinstance(raw_res, dict):
            raise AllocationInputError(
                f"{where}: kursi cadangan (reserved) wajib berupa objek kategori: jumlah"
            )
        reserved = tuple(sorted(raw_res.items()))
        precedence = rc.get("precedence", OPEN_FIRST)
        classes.append(ClassSeats(rc.get("id"), rc["capacity"], reserved, precedence))  # type: ignore[arg-type]
    class_tuple = tuple(classes)
    seats = _check_classes(class_tuple)
    known = set(seats)
    # Share one string object per class id: less memory, and dict look-ups then hit on identity.
    canon = {cid: cid for cid in seats}.get

    # One pass converts and checks each applicant (the slow, precise message only on failure).
    apps: list[Applicant] = []
    append = apps.append
    new_applicant = tuple.__new__
    for i, ra in enumerate(raw_apps):
        if type(ra) is not dict:
            raise AllocationInputError(f"{_item('Pelamar', i)}: harus berupa objek")
        aid = ra.get("id")
        choices = ra.get("choices")
        score = ra.get("score")
        cats = ra.get("categories") or ()
        # Three required keys plus the optional one: a different count means a missing or unknown key.
        if len(ra) != 3 + ("categories" in ra):
            _unknown_keys(_item("Pelamar", i, aid), ra, _APPLICANT_KEYS)
        if type(choices) is not list:
            where = _item("Pelamar", i, aid)
            if choices is None:
                raise AllocationInputError(f"{where}: pilihan (choices) wajib diisi")
            raise AllocationInputError(f"{where}: pilihan (choices) wajib berupa daftar")
        ch: tuple[Any, ...]
        try:
            ch = tuple(map(canon, choices, choices))
            # Known and distinct, in one C call.
            good_choices = not ch or len(known.intersection(ch)) == len(ch)
        except TypeError:  # an unhashable choice
            ch = tuple(choices)
            good_choices = False
        if type(score) is int and -_FLOAT_MAX <= score <= _FLOAT_MAX:
            score = float(score)
        if cats:
            if type(cats) is not list:
                raise AllocationInputError(
                    f"{_item('Pelamar', i, aid)}: kategori (categories) wajib berupa daftar"
                )
            cats = (
                tuple(cats)
                if len(cats) == 1 or not all(type(k) is str for k in cats)
                else tuple(sorted(set(cats)))
            )
        applicant = new_applicant(Applicant, (aid, ch, score, cats))
        if (
            type(aid) is not str
            or not aid
            or aid.isspace()
            or type(score) is not float
            or not -_INF < score < _INF
            or not good_choices
            or (cats and not _good_categories(cats))
        ):
            _raise_for_applicant(i, applicant, known)
        append(applicant)

    raw_kept: Any = data.get("kept") or []
    if not isinstance(raw_kept, list):
        raise AllocationInputError("kept wajib berupa daftar")
    kept: list[KeptSeat] = []
    for i, rk in enumerate(raw_kept):
        if not isinstance(rk, dict):
            raise AllocationInputError(f"{_item('Kursi tetap', i)}: harus berupa objek")
        _unknown_keys(_item("Kursi tetap", i, rk.get("applicant")), rk, _KEPT_KEYS)
        kept.append(KeptSeat(rk.get("applicant"), rk.get("class"), rk.get("seat", OPEN)))  # type: ignore[arg-type]

    return AllocationInput(seed, class_tuple, tuple(apps), tuple(kept), _applicants_checked=True)


def canonical_json(inp: AllocationInput) -> str:
    """The canonical text hashed by :func:`input_sha256` (everything except the seed).

    ``{"format": "sinergi-allocation/1", "classes": [[id, capacity, [[category, seats], ...],
    precedence], ...], "applicants": [[id, [choices...], score, [categories...]], ...],
    "kept": [[applicant, class, seat], ...]}`` serialised with ``sort_keys``, separators ``,`` and ``:``,
    ASCII escapes; lists keep the input order, categories and reserved pairs are sorted, scores are floats.
    """
    # AllocationInput keeps its tuples in normal form, and JSON writes tuples as arrays.
    doc = {"format": FORMAT, "classes": inp.classes, "applicants": inp.applicants, "kept": inp.kept}
    with _gc_paused():
        return json.dumps(doc, sort_keys=True, separators=(",", ":"))


def input_sha256(inp: AllocationInput) -> str:
    return hashlib.sha256(canonical_json(inp).encode("ascii")).hexdigest()


def _seed_prefix(seed: int | str) -> bytes:
    return json.dumps(seed).encode("ascii") + b"\x00"


def lottery_number(seed: int | str, applicant_id: str) -> int:
    """The applicant's lottery number for this seed (smaller wins a tie on score)."""
    return int.from_bytes(hashlib.sha256(_seed_prefix(seed) + applicant_id.encode("utf-8")).digest(), "big")


def priority_order(seed: int | str, applicants: tuple[Applicant, ...]) -> list[int]:
    """Indices of ``applicants`` from highest to lowest priority (score desc, lottery number asc)."""
    n = len(applicants)
    if n == 0:
        return []
    ids = [a[0] for a in applicants]
    scores = [a[2] for a in applicants]
    prefix = _seed_prefix(seed)
    # Build every hash input (prefix + id) with one join/replace/split in C rather than a bytes
    # concatenation per applicant.  \x01 cannot occur in the prefix (JSON escapes control
    # characters); if an id contains it, fall back to the plain loop.
    joined = "\x01".join(ids).encode("utf-8")
    messages = (prefix + joined.replace(b"\x01", b"\x01" + prefix)).split(b"\x01")
    if len(messages) != n:
        messages = [prefix + s.encode("utf-8") for s in ids]
    del joined, ids
    sha = hashlib.sha256
    digests = [sha(m).digest() for m in messages]
    del messages
    distinct = sorted(set(scores), reverse=True)
    if len(distinct) * 4 > n:
        # Mostly distinct scores: one sort of bytes keys (a fixed-width prefix per score, so that
        # higher scores sort first, then the digest).
        width = max(1, (len(distinct).bit_length() + 7) // 8)
        score_prefix = {s: k.to_bytes(width, "big") for k, s in enumerate(distinct)}
        keys = [score_prefix[s] + d for s, d in zip(scores, digests, strict=True)]
        return sorted(range(n), key=keys.__getitem__)
    # Many ties (the usual case: scores with one decimal): group by score, then sort each group by
    # digest.  Fewer comparisons than one big sort, and no key to build.
    groups: dict[float, list[int]] = {}
    for i, s in enumerate(scores):
        group = groups.get(s)
        if group is None:
            groups[s] = [i]
        else:
            group.append(i)
    order: list[int] = []
    by_digest = digests.__getitem__
    for s in distinct:
        group = groups[s]
        group.sort(key=by_digest)
        order += group
    return order


# --------------------------------------------------------------------------------------------------
# The slot rule

Block = tuple[str | None, int]  # (None for open seats | reserved category, number of seats)


def _slot_run(held: list[int], blocks: list[Block], cats: Sequence[tuple[str, ...]]) -> list[int]:
    """Process the slots over ``held`` (ranks, best first); return the block index taking each, or -1."""
    size_all = len(held)
    taken = [-1] * size_all
    first_free = 0
    for b, (cat, size) in enumerate(blocks):
        if cat is not None:
            for i in range(first_free, size_all):
                if taken[i] < 0 and cat in cats[held[i]]:
                    taken[i] = b
                    size -= 1
                    if not size:
                        break
        if size:
            for i in range(first_free, size_all):
                if taken[i] < 0:
                    taken[i] = b
                    size -= 1
                    if not size:
                        break
        while first_free < size_all and taken[first_free] >= 0:
            first_free += 1
    return taken


class _SlotState:
    """The slot run of a reserved class, kept up to date as proposers arrive.

    Per block: ``inside`` holds the picks that belong to the block's category (all picks for open
    seats) and ``outside`` the non-members on reserved seats; both are ascending ranks.  A block takes
    the top ``size`` proposers by its own order (members first, then priority), so when a class is
    full and proposer z arrives, each block in turn takes the best ``size`` of (its picks + z) and
    passes the one it drops on as the new z.  Whoever is left after the last block is rejected.
    (Induction over blocks: the remaining pool before each block differs from the old run's by
    exactly that z.)  That is O(blocks) per proposal instead of re-running every slot.
    """

    __slots__ = ("cats", "inside", "outside")

    def __init__(self, held: list[int], blocks: list[Block], cats: Sequence[tuple[str, ...]]) -> None:
        self.cats = [cat for cat, _ in blocks]
        self.inside: list[list[int]] = [[] for _ in blocks]
        self.outside: list[list[int]] = [[] for _ in blocks]
        for x, b in zip(held, _slot_run(held, blocks, cats), strict=True):
            cat = blocks[b][0]
            (self.inside if cat is None or cat in cats[x] else self.outside)[b].append(x)

    def offer(self, x: int, cats: Sequence[tuple[str, ...]]) -> int:
        """Propose ``x`` to this full class; return the proposer left out (``x`` itself if rejected)."""
        z = x
        for cat, inside, outside in zip(self.cats, self.inside, self.outside, strict=True):
            if cat is None:
                if z < inside[-1]:
                    insort(inside, z)
                    z = inside.pop()
            elif cat in cats[z]:
                if outside:  # a member always beats a non-member on a reserved seat
                    insort(inside, z)
                    z = outside.pop()
                elif z < inside[-1]:
                    insort(inside, z)
                    z = inside.pop()
            elif outside and z < outside[-1]:
                insort(outside, z)
                z = outside.pop()
        return z


def _blocks_for(cs: ClassSeats, kept: Mapping[str, int]) -> list[Block]:
    reserved = sorted(cs.reserved)
    n_open = cs.capacity - sum(n for _, n in reserved) - kept.get(OPEN, 0)
    res_blocks: list[Block] = [(cat, n - kept.get(cat, 0)) for cat, n in reserved]
    ordered = [(None, n_open), *res_blocks] if cs.precedence == OPEN_FIRST else [*res_blocks, (None, n_open)]
    return [(cat, n) for cat, n in ordered if n > 0]


# --------------------------------------------------------------------------------------------------
# Output


class Cutoff(NamedTuple):
    """Lowest-priority admitted applicant on one kind of seat of a class."""

    applicant: str
    score: float
    admitted: int
    reverted: int = 0  # reserved seats of this category given to non-members


class Explanation(NamedTuple):
    class_id: str
    choice: int  # 1 = first choice
    message: str


class _Lowest(NamedTuple):
    """Scores of the lowest-priority admits on one kind of seat (None when there is none)."""

    any: float | None
    member: float | None  # reserved seats: lowest admit who belongs to the category
    other: float | None  # reserved seats: lowest non-member (the seat reverted to open)


@dataclass(frozen=True, eq=False)
class _ClassOutcome:
    blocks: list[Block]
    lowest: dict[str | None, _Lowest]  # per seat kind, None = open
    kept_full: bool


@dataclass(frozen=True, eq=False)
class AllocationResult:
    """The outcome.  ``assignment`` lists applicants in priority order, then kept seats; an applicant
    missing from ``reserved_seats`` holds an open seat.  Waitlists are in priority order."""

    seed: int | str
    assignment: dict[str, str | None]
    reserved_seats: dict[str, str]
    cutoffs: dict[str, dict[str, Cutoff | None]]
    waitlists: dict[str, tuple[str, ...]]
    _input: AllocationInput = field(repr=False)
    _outcomes: dict[str, _ClassOutcome] = field(repr=False)

    @property
    def input_sha256(self) -> str:
        """Hash of the input without the seed (computed once per input, when first asked for)."""
        return self._input.sha256

    @cached_property
    def _by_id(self) -> dict[str, Applicant]:
        return {a[0]: a for a in self._input.applicants}

    def explain(self, applicant_id: str) -> list[Explanation]:
        """Why the applicant did not get each choice ranked above the one they got (empty if none)."""
        applicant = self._by_id.get(applicant_id)
        return [] if applicant is None else self._explain(applicant)

    def explanations(self) -> dict[str, list[Explanation]]:
        """Explanations for every applicant, in input order."""
        return self._all_explanations(Explanation)

    def _all_explanations(self, make: Callable[[str, int, str], _T]) -> dict[str, list[_T]]:
        # A message depends only on (class, score, categories), so thousands of applicants share each
        # one: build every distinct entry once.
        cache: dict[tuple[str, int, float, tuple[str, ...]], _T] = {}
        assignment = self.assignment
        out: dict[str, list[_T]] = {}
        with _gc_paused():
            for a in self._input.applicants:
                aid, choices, score, cats = a
                got = assignment[aid]
                lines: list[_T] = []
                for pos, cid in enumerate(choices, start=1):
                    if cid == got:
                        break
                    key = (cid, pos, score, cats)
                    entry = cache.get(key)
                    if entry is None:
                        entry = cache[key] = make(cid, pos, self._message(a, cid))
                    lines.append(entry)
                out[aid] = lines
        return out

    def _explain(self, applicant: Applicant) -> list[Explanation]:
        got = self.assignment[applicant[0]]
        out: list[Explanation] = []
        for pos, cid in enumerate(applicant[1], start=1):
            if cid == got:
                break
            out.append(Explanation(cid, pos, self._message(applicant, cid)))
        return out

    def _message(self, applicant: Applicant, cid: str) -> str:
        oc = self._outcomes[cid]
        return _render_message(cid, oc.blocks, oc.lowest, oc.kept_full, applicant[2], applicant[3])

    def class_outcome(self, class_id: str) -> dict[str, Any]:
        """What explaining a rejection at this class needs, as JSON-able data: the blocks of seats and
        the lowest admitted scores per block.  Stored once per class, it lets an application render any
        applicant's explanation when it is shown (:func:`explanation_message`) instead of storing text
        for every applicant up front."""
        oc = self._outcomes[class_id]
        return {
            "blocks": [[cat, size] for cat, size in oc.blocks],
            "lowest": [list(oc.lowest[cat]) for cat, _ in oc.blocks],
            "kept_full": oc.kept_full,
        }


def explanation_message(
    class_id: str, outcome: Mapping[str, Any], score: float, categories: Iterable[str]
) -> str:
    """The explanation (the same text as :meth:`AllocationResult.explain`) for an applicant with this
    score and these categories who was rejected at the class whose :meth:`class_outcome` is given."""
    blocks: list[Block] = [(cat, size) for cat, size in outcome["blocks"]]
    lowest = {cat: _Lowest(*low) for (cat, _), low in zip(blocks, outcome["lowest"], strict=True)}
    return _render_message(
        class_id, blocks, lowest, bool(outcome["kept_full"]), float(score), tuple(categories)
    )


def _render_message(
    cid: str,
    blocks: Sequence[Block],
    lowest: Mapping[str | None, _Lowest],
    kept_full: bool,
    score: float,
    mine: tuple[str, ...],
) -> str:
    # The applicant lost at every slot of this class (that is what rejection means under the slot
    # rule), so comparing with the lowest admit of each kind of seat is an honest account; with an
    # equal score the lottery decided.
    if not blocks:
        if kept_full:
            return f"Semua kursi kelas {cid} sudah ditempati peserta yang lebih dulu menerima tawaran"
        return f"Kelas {cid} tidak memiliki kursi"
    clauses: list[str] = []
    not_member: list[str] = []
    for cat, _size in blocks:
        low = lowest[cat]
        if cat is None:
            clauses.append(_compare(score, low.any, "kursi umum"))
        elif cat in mine:
            clauses.append(_compare(score, low.member, f"kursi cadangan {cat}"))
        elif low.other is not None:
            clauses.append(_compare(score, low.other, f"kursi cadangan {cat} yang dialihkan ke umum"))
        else:
            not_member.append(cat)
    text = f"Nilai Anda {_fmt(score)} " + " dan ".join(clauses) if clauses else ""
    if not_member:
        tail = f"Anda tidak termasuk kategori yang dicadangkan ({', '.join(not_member)})"
        text = f"{text} dan {tail}" if text else tail
    return text


def _compare(score: float, cut: float | None, label: str) -> str:
    if cut is None:  # cannot happen for a rejected applicant; say something true anyway
        return f"tidak mendapat {label}"
    if score == cut:
        return f"sama dengan batas {_fmt(cut)} untuk {label}, tetapi kalah dalam undian"
    return f"di bawah batas {_fmt(cut)} untuk {label}"


@lru_cache(maxsize=1 << 16)  # a batch has few distinct scores; formatting each once is enough
def _fmt(score: float) -> str:
    """Indonesian decimal comma, shortest exact digits, at least one decimal (74.0 -> '74,0')."""
    return repr(float(score)).replace(".", ",")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector.  The engine builds millions of acyclic objects; collections
    triggered by their allocation would otherwise take about half of the run time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _gather(seq: Sequence[_T], positions: Sequence[int]) -> tuple[_T, ...]:
    """``tuple(seq[i] for i in positions)`` at C speed."""
    if len(positions) > 1:
        return itemgetter(*positions)(seq)  # type: ignore[no-any-return]
    return tuple([seq[i] for i in positions])


# --------------------------------------------------------------------------------------------------
# The algorithm


def allocate(inp: AllocationInput) -> AllocationResult:
    """Run applicant-proposing deferred acceptance under the slot rule; see the module docstring."""
    with _gc_paused():
        return _allocate(inp)


def _allocate(inp: AllocationInput) -> AllocationResult:
    classes = inp.classes
    kept_by_class: dict[str, dict[str, int]] = {}
    for ks in inp.kept:
        per = kept_by_class.setdefault(ks.class_id, {})
        per[ks.seat] = per.get(ks.seat, 0) + 1

    cap: dict[str, int] = {}
    plans: dict[str, list[Block]] = {}  # only classes whose remaining seats include reserved ones
    all_blocks: dict[str, list[Block]] = {}
    for cs in classes:
        blocks = _blocks_for(cs, kept_by_class.get(cs.id, {}))
        all_blocks[cs.id] = blocks
        cap[cs.id] = sum(size for _, size in blocks)
        if any(cat is not None for cat, _ in blocks):
            plans[cs.id] = blocks

    # Columns in priority order: rank r (0 = highest priority) indexes all of them.  One pass over
    # the ranked applicants (scattered in memory) is cheaper than reaching through them later.
    ranked = _gather(inp.applicants, priority_order(inp.seed, inp.applicants))
    ids: Sequence[str] = ()
    prefs: Sequence[tuple[str, ...]] = ()
    scores: Sequence[float] = ()
    cats: Sequence[tuple[str, ...]] = ()
    if ranked:
        ids, prefs, scores, cats = zip(*ranked, strict=True)
    del ranked

    # Plain classes (and reserved ones until they fill up) hold a sorted list of ranks; a full
    # reserved class keeps its slot run in a _SlotState instead.
    held: dict[str, list[int]] = {cid: [] for cid in cap}
    states: dict[str, _SlotState] = {}
    waiting: dict[str, list[int]] = {cid: [] for cid in cap}
    room = dict(cap)  # free seats per class; 0 = full
    assigned: list[str | None] = [None] * len(ids)
    unsorted: set[str] = set()  # waitlists that received an out-of-order rank

    def displace_chain(x: int, start: str) -> None:
        """Applicant ``x`` was just rejected by ``start``: let them (and whoever they bump) propose on."""
        while True:
            assigned[x] = None
            waiting[start].append(x)
            unsorted.add(start)
            choices = prefs[x]
            nxt: tuple[int, str] | None = None
            for cid in choices[choices.index(start) + 1 :]:
                left = room[cid]
                if left:
                    h = held[cid]
                    insort(h, x)
                    assigned[x] = cid
                    room[cid] = left - 1
                    if left == 1 and cid in plans:
                        states[cid] = _SlotState(h, plans[cid], cats)
                    break
                state = states.get(cid)
                if state is not None:
                    out = state.offer(x, cats)
                    if out != x:
                        nxt = (out, cid)
                        assigned[x] = cid
                        break
                else:
                    h = held[cid]
                    if h and x < h[-1]:
                        insort(h, x)
                        nxt = (h.pop(), cid)
                        assigned[x] = cid
                        break
                waiting[cid].append(x)
                unsorted.add(cid)
            if nxt is None:
                return
            x, start = nxt

    # Main pass in priority order: every newcomer ranks below everyone already held anywhere, so a
    # full class rejects it outright unless it belongs to a category whose reserved seat is held by
    # a non-member.  Dict look-ups keyed by the shared class-id strings are the cheapest state access.
    for r, choices in enumerate(prefs):
        for cid in choices:
            left = room[cid]
            if left:
                held[cid].append(r)
                assigned[r] = cid
                room[cid] = left - 1
                if left == 1 and cid in plans:
                    states[cid] = _SlotState(held[cid], plans[cid], cats)
                break
            if cats[r] and cid in states:
                out = states[cid].offer(r, cats)
                if out != r:
                    assigned[r] = cid
                    displace_chain(out, cid)
                    break
            waiting[cid].append(r)

    for cid in unsorted:
        waiting[cid].sort()

    # Outcomes per class: seat kinds, cut-offs.
    reserved_seats: dict[str, str] = {}
    cutoffs: dict[str, dict[str, Cutoff | None]] = {}
    outcomes: dict[str, _ClassOutcome] = {}
    none = _Lowest(None, None, None)
    for cs in classes:
        cid = cs.id
        h = held[cid]
        blocks = all_blocks[cid]
        lowest: dict[str | None, _Lowest] = {}
        per_kind: dict[str, Cutoff | None] = {}
        kept_full = not blocks and cs.capacity > 0
        if cid not in plans:
            if h:
                score = scores[h[-1]]
                lowest[None] = _Lowest(score, score, None)
                per_kind[OPEN] = Cutoff(ids[h[-1]], score, len(h))
            elif blocks:
                lowest[None] = none
                per_kind[OPEN] = None
            cutoffs[cid] = per_kind
            outcomes[cid] = _ClassOutcome(blocks, lowest, kept_full)
            continue
        state = states.get(cid) or _SlotState(h, blocks, cats)
        for cat, inside, outside in zip(state.cats, state.inside, state.outside, strict=True):
            low_in = scores[inside[-1]] if inside else None
            low_out = scores[outside[-1]] if outside else None
            worst = max(inside[-1] if inside else -1, outside[-1] if outside else -1)
            count = len(inside) + len(outside)
            cut = Cutoff(ids[worst], scores[worst], count, len(outside)) if count else None
            if cat is None:
                lowest[cat] = _Lowest(low_in, low_in, None)
                per_kind[OPEN] = cut
                continue
            lowest[cat] = _Lowest(scores[worst] if count else None, low_in, low_out)
            per_kind[cat] = cut
            for x in inside:
                reserved_seats[ids[x]] = cat
            for x in outside:
                reserved_seats[ids[x]] = cat
        cutoffs[cid] = per_kind
        outcomes[cid] = _ClassOutcome(blocks, lowest, kept_full)

    assignment: dict[str, str | None] = dict(zip(ids, assigned, strict=True))
    for ks in inp.kept:
        assignment[ks.applicant_id] = ks.class_id
        if ks.seat != OPEN:
            reserved_seats[ks.applicant_id] = ks.seat
    waitlists = {cid: _gather(ids, w) for cid, w in waiting.items()}

    return AllocationResult(
        seed=inp.seed,
        assignment=assignment,
        reserved_seats=reserved_seats,
        cutoffs=cutoffs,
        waitlists=waitlists,
        _input=inp,
        _outcomes=outcomes,
    )


def result_to_json(result: AllocationResult) -> dict[str, Any]:
    """The JSON document printed by `sinergi allocate`."""

    def cut(c: Cutoff | None) -> dict[str, Any] | None:
        if c is None:
            return None
        doc: dict[str, Any] = {"applicant": c.applicant, "score": c.score, "admitted": c.admitted}
        if c.reverted:
            doc["reverted"] = c.reverted
        return doc

    return {
        "format": RESULT_FORMAT,
        "seed": result.seed,
        "input_sha256": result.input_sha256,
        "assignment": result.assignment,
        "reserved_seats": result.reserved_seats,
        "cutoffs": {cid: {k: cut(c) for k, c in kinds.items()} for cid, kinds in result.cutoffs.items()},
        "waitlists": result.waitlists,
        "outcomes": {cs.id: result.class_outcome(cs.id) for cs in result._input.classes},
    }
