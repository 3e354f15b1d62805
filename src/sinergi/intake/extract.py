"""Draft an agreement from Indonesian news or MoU text. Pure Python: no Django import.

    result = extract(text)          # rich result: every value with a confidence and its source span
    result.to_simple_json()         # the command-line / API shape
    check_input(text)               # raises InputRejected with an Indonesian message for bad input

Region choice: `to_simple_json()` reports a party's region as a readable string ("Kota Palembang",
"Kabupaten Kotawaringin Timur", "Provinsi Sulawesi Selatan"); the rich form adds the Kemendagri code
("16.71", "62.02", "73") and level.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sinergi.core.i18n import gettext_noop

from . import dates as dates_mod
from .aliases import BY_KEY
from .dates import DateMention, find_dates
from .lexicon import (
    AGREE_RE,
    AGREEMENT_TYPE_PATTERNS,
    DISCUSSION_RE,
    EN_STOPWORDS,
    EVENT_RE,
    FUTURE_RE,
    ID_STOPWORDS,
    ORANG_FIRST,
    RELATED_RE,
    SIGN_RE,
    TOPIC_LEXICON,
    TOPIC_THRESHOLD,
    UNIT_RES,
)
from .numbers import QUANTITY_RE, as_int_if_whole, number_value, parse_digits, parse_words
from .orgs import GOV_KINDS, OrgMention, find_org_mentions, gov_key, gov_name
from .people import PersonMention, find_people
from .regions import Region, gazetteer, norm_key, resolve_place_name
from .text import Document, Sentence, Span, segment

MAX_CHARS = 200_000
MIN_CHARS = 80
# An article names a handful of organisations and people; comparing each with every other is then
# cheap. Crafted text can name thousands, so only the first ones are kept as candidates: the pairwise
# work stays bounded and extraction linear in the length of the text.
MAX_ENTITIES = 300
MAX_PEOPLE = 200


# ====================================================================== result types


@dataclass
class Value:
    """One extracted value with how sure we are and where in the text it came from."""

    value: Any
    confidence: float
    span: Span | None = None

    def rich(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 2),
            "span": self.span.as_list() if self.span else None,
        }


@dataclass
class Party:
    name: str
    kind: str
    region: Region | None
    confidence: float
    spans: list[Span]
    mentions: list[str]
    key: str
    parent: str | None = None

    def rich(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "region": self.region.as_dict() if self.region else None,
            "confidence": round(self.confidence, 2),
            "spans": [s.as_list() for s in self.spans],
            "mentions": self.mentions,
            "key": self.key,
            "parent": BY_KEY[self.parent].name if self.parent in BY_KEY else self.parent,
        }


@dataclass
class Person:
    name: str
    position: str
    organisation: str | None
    confidence: float
    span: Span
    position_span: Span

    def rich(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "position": self.position,
            "organisation": self.organisation,
            "confidence": round(self.confidence, 2),
            "span": self.span.as_list(),
            "position_span": self.position_span.as_list(),
        }


@dataclass
class Commitment:
    text: str
    quantity: int | float
    unit: str
    deadline_years: int | float | None
    confidence: float
    span: Span
    deadline_span: Span | None = None
    approximate: bool = False
    kind: str = "target"  # target / achievement
    per_year: bool = False

    def rich(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "quantity": self.quantity,
            "unit": self.unit,
            "deadline_years": self.deadline_years,
            "confidence": round(self.confidence, 2),
            "span": self.span.as_list(),
            "deadline_span": self.deadline_span.as_list() if self.deadline_span else None,
            "approximate": self.approximate,
            "kind": self.kind,
            "per_year": self.per_year,
        }


@dataclass
class Topic:
    value: str
    confidence: float
    spans: list[Span]

    def rich(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 2),
            "spans": [s.as_list() for s in self.spans],
        }


@dataclass
class Extraction:
    parties: list[Party] = field(default_factory=list)
    agreement_type: Value = field(default_factory=lambda: Value("other", 0.2))
    status: Value = field(default_factory=lambda: Value("discussion", 0.2))
    signed_date: Value = field(default_factory=lambda: Value(None, 0.0))
    event_date: Value = field(default_factory=lambda: Value(None, 0.0))
    publication_date: Value = field(default_factory=lambda: Value(None, 0.0))
    place: Value = field(default_factory=lambda: Value(None, 0.0))
    place_region: Region | None = None
    topics: list[Topic] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    duration_years: Value = field(default_factory=lambda: Value(None, 0.0))
    people: list[Person] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_simple_json(self) -> dict[str, Any]:
        return {
            "parties": [
                {"name": p.name, "kind": p.kind, "region": p.region.name if p.region else None}
                for p in self.parties
            ],
            "agreement_type": self.agreement_type.value,
            "status": self.status.value,
            "signed_date": self.signed_date.value,
            "place": self.place.value,
            "topics": [t.value for t in self.topics],
            "commitments": [
                {"text": c.text, "quantity": c.quantity, "unit": c.unit, "deadline_years": c.deadline_years}
                for c in self.commitments
            ],
            "duration_years": self.duration_years.value,
            "people": [
                {"name": p.name, "position": p.position, "organisation": p.organisation} for p in self.people
            ],
        }

    def to_rich_json(self) -> dict[str, Any]:
        place = self.place.rich()
        place["region"] = self.place_region.as_dict() if self.place_region else None
        return {
            "parties": [p.rich() for p in self.parties],
            "agreement_type": self.agreement_type.rich(),
            "status": self.status.rich(),
            "signed_date": self.signed_date.rich(),
            "event_date": self.event_date.rich(),
            "publication_date": self.publication_date.rich(),
            "place": place,
            "topics": [t.rich() for t in self.topics],
            "commitments": [c.rich() for c in self.commitments],
            "duration_years": self.duration_years.rich(),
            "people": [p.rich() for p in self.people],
            "warnings": self.warnings,
        }


# ====================================================================== input check


class InputRejected(ValueError):
    """The text cannot be used; `message` says why, in Indonesian. `template` (a catalogue text) and
    `params` are for the pages, which show it in the reader's language (see `core.i18n`)."""

    def __init__(self, code: str, template: str, params: dict[str, str] | None = None) -> None:
        self.code = code
        self.template = template
        self.params = params or {}
        self.message = template % self.params if params else template
        super().__init__(self.message)


def check_input(text: str | None) -> None:
    """Reject empty, tiny, huge, unreadable or non-Indonesian text with an Indonesian message."""
    if text is None or not text.strip():
        raise InputRejected(
            "empty", gettext_noop("Teks kosong. Tempelkan isi berita atau naskah kerja sama terlebih dahulu.")
        )
    if len(text) > MAX_CHARS:
        raise InputRejected(
            "too_long",
            gettext_noop(
                "Teks terlalu panjang (%(length)s karakter; batas %(limit)s). "
                "Tempelkan satu berita atau satu naskah saja."
            ),
            {"length": f"{len(text):,}".replace(",", "."), "limit": f"{MAX_CHARS:,}".replace(",", ".")},
        )
    stripped = text.strip()
    if "\x00" in text or sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t") > 5:
        raise InputRejected(
            "binary", gettext_noop("Teks tidak dapat dibaca: berkas tampaknya bukan teks biasa.")
        )
    words = re.findall(r"[A-Za-zÀ-ÿ]+", stripped)
    letters = sum(ch.isalpha() for ch in stripped)
    visible = sum(not ch.isspace() for ch in stripped)
    if len(stripped) >= MIN_CHARS and visible and letters / visible < 0.6:
        raise InputRejected("garbage", gettext_noop("Teks tidak terbaca: sebagian besar isinya bukan huruf."))
    if len(stripped) < MIN_CHARS or len(words) < 15:
        raise InputRejected(
            "too_short",
            gettext_noop(
                "Teks terlalu pendek untuk dibaca sebagai berita atau naskah kerja sama "
                "(minimal sekitar 15 kata)."
            ),
        )
    # Real words have vowels and sensible lengths; keyboard mashing and encodings do not.
    wordlike = [w for w in words if re.search(r"[aiueoAIUEO]", w) and len(w) <= 25]
    if len(wordlike) / len(words) < 0.7:
        raise InputRejected("garbage", gettext_noop("Teks tidak terbaca: kata-katanya tidak dikenali."))
    lowered = [w.lower() for w in words]
    id_ratio = sum(w in ID_STOPWORDS for w in lowered) / len(lowered)
    en_ratio = sum(w in EN_STOPWORDS for w in lowered) / len(lowered)
    if id_ratio < 0.05 or en_ratio > id_ratio:
        raise InputRejected(
            "language",
            gettext_noop(
                "Teks tampaknya tidak berbahasa Indonesia. "
                "Pengekstrak hanya membaca berita atau naskah berbahasa Indonesia."
            ),
        )


# ====================================================================== helpers

_PLACE_HEAD = re.compile(
    r"^(?i:hotel|ruang|gedung|aula|kantor|pendopo|rumah\s+jabatan|lantai)\b|^(?:Hotel|Ruang|Gedung|Gedhong|Kantor|Aula|Balai\s*[Kk]ota|Balaikota|Pendopo|Pendapa|Rumah\s+Jabatan|"
    r"Rujab|Auditorium|Graha|Wisma|Istana|Sasana|Convention|Hall|Command|Kampus|Baileo|Mal|Plaza|Pusat|"
    r"Rektorat|Kompleks|Komplek|Taman|Lapangan|Bandara|Museum|Galeri|Studio|Lobi|Lobby|Ballroom|Grand|"
    r"Swiss|Aston|Novotel|Mercure|Harper|Ibis|Santika|Sheraton|Hyatt|Four|Padma|Fave|Best\s+Western|"
    r"Kediaman|Pavilion|Paviliun|Teras|Loby|Markas|Sekretariat|Creative)\b"
)
# "di Hotel X", "di Ruang Rapat Y, Gedung Z", "bertempat di ruang Jamuan Gedung Rektorat …": a venue is a run
# of capitalised words (a lowercase venue word may open it), possibly in comma-separated parts.
_VENUE_NOUN = re.compile(
    r"\b(?:Hotel|Gedung|Aula|Ruang|Kantor|Pendopo|Auditorium|Graha|Wisma|Hall|Convention|Center|Centre|"
    r"Balai\s*Kota|Balaikota|Kampus|Rektorat|Ballroom|Resort|Resto|Restoran|Cafe|Kafe|Plaza|Mal|Mall)\b"
)
_PLACE_RE = re.compile(
    r"\b(?:di|bertempat\s+di|berlangsung\s+di|digelar\s+di)\s+"
    r"(?P<p>(?:[A-Z][\w'’\-]*|(?:lantai\s+\w+\s+)?(?:ruang(?:\s+rapat|\s+kerja|\s+pertemuan)?|gedung|aula|kantor|hotel|"
    r"pendopo|rumah\s+jabatan)(?=\s+[A-Z])|[IVX]{1,4}\b|\d+)"
    r"(?:\s+(?:[A-Z][\w'’\-]*|[IVX]{1,4}\b|\d+\b|dan|&|\([^)]{1,30}\)))*"
    r"(?:,\s+(?:[A-Z][\w'’\-]*)(?:\s+(?:[A-Z][\w'’\-]*|[IVX]{1,4}\b|\d+\b|\([^)]{1,30}\)))*)*)"
)
_DAY_OR_MONTH = re.compile(
    r"^(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
    r"September|Oktober|November|Desember|Pagi|Siang|Sore|Malam)$"
)
_DATELINE_SEP = re.compile(r"\s*(?:[-–—|]|\(\s*[\w. ]+\)\s*[-–—|])")
_YEARS_PHRASE = re.compile(
    r"(?P<pre>dalam\s+(?:waktu\s+|kurun\s+waktu\s+|jangka\s+waktu\s+)?|selama\s+|berlaku\s+(?:selama\s+)?|"
    r"(?:ber)?jangka\s+waktu\s+(?:hingga\s+|selama\s+|sampai\s+)?|masa\s+berlaku\s+)?"
    r"(?P<n>\d+|se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)\s*(?:\(\s*\w+\s*\)\s*)?"
    r"tahun(?P<post>\s+(?:ke\s*depan|mendatang|lagi|ke\s+muka))?",
    re.IGNORECASE,
)
_SETAHUN = re.compile(r"(?P<pre>dalam\s+|selama\s+)?setahun(?P<post>\s+(?:ke\s*depan|mendatang|lagi))?", re.I)
_YEAR_TARGET = re.compile(
    r"\b(?:hingga|sampai|pada|paling\s+lambat|tahun|target)\s+(?:akhir\s+|awal\s+|pertengahan\s+)?"
    r"(?:tahun\s+)?(?P<y>20\d\d)\b",
    re.IGNORECASE,
)
# Numbers that describe the region rather than promise something: "memiliki 189 desa dan 28 kelurahan",
# "dari sekitar 52 ribu UMKM yang terdata", "masih ada 312 desa".
_NEG_COMMITMENT = re.compile(
    r"\b(?:memiliki|mempunyai|terdapat|terdata|penduduk|dari\s+sekitar|dari\s+total|kebutuhan|masih\s+ada)\b",
    re.IGNORECASE,
)
_ADA_BEFORE = re.compile(r"\bada\s+(?:sekitar\s+|sebanyak\s+|lebih\s+dari\s+)?$", re.IGNORECASE)
_TARGET_ADA = re.compile(r"\b(?:target\w*|harap\w*|ingin|semoga)\s+ada\s+\S*$", re.IGNORECASE)
_NEG_SENTENCE = re.compile(r"\b(?:kebutuhan|terdata|jumlah\s+penduduk|berpenduduk)\b", re.IGNORECASE)
_ACHIEVED = re.compile(r"\b(?:telah|sudah|tercatat|berhasil|baru-baru\s+ini)\b", re.IGNORECASE)
_APPROX = re.compile(r"(?:sekitar|kurang\s+lebih|lebih\s+dari|hampir|±|kira-kira)\s*$", re.IGNORECASE)
_PROMISE_WORD = re.compile(
    r"\b(?:target\w*|menargetkan|sasaran|menyasar|kuota|sebanyak|menyediakan|disediakan|"
    r"menyiapkan|melatih|dilatih|berkomitmen|mencetak|mendampingi|akan)\b",
    re.IGNORECASE,
)
_FUTURE_OR_TARGET = re.compile(r"\b(?:akan|target)", re.IGNORECASE)
_PER_YEAR = re.compile(r"\b(?:setiap|per|tiap)\s+tahun\b", re.IGNORECASE)
_NOT_UNIT_AFTER = re.compile(
    r"\s*(?:persen|%|tahun|bulan|hari|jam|menit|minggu|pekan|semester|kali|kabupaten|kota|provinsi|"
    r"kecamatan|program|skema)\b",
    re.IGNORECASE,
)
_RUPIAH = re.compile(
    r"Rp\.?\s*(?P<d>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<s>ribu|juta|miliar|milyar|triliun)?\b",
)
_ANAPHOR_START = re.compile(
    r"^(?:Program|Target|Kegiatan|Pelatihan|Hal|Kerja\s+sama|Upaya)\s+(?:ini|tersebut)\b", re.IGNORECASE
)


def _sent_of(doc: Document, pos: int) -> Sentence | None:
    return doc.sentence_at(pos)


def _title_case(s: str) -> str:
    return " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in s.split())


# ====================================================================== extraction


def extract(text: str, *, today: dt.date | None = None) -> Extraction:
    """Extract a draft agreement from text. Does not call check_input: callers decide."""
    today = today or dt.date.today()
    doc = segment(text)
    res = Extraction()
    usable = doc.titles + doc.body

    # ---- dates
    mentions = [d for d in find_dates(text) if not doc.is_ignored(d.start)]
    pub = _publication_date(doc, mentions, today)
    if pub is not None:
        res.publication_date = Value(
            pub[0].isoformat(),
            pub[1].confidence if pub[1] else 0.5,
            Span(pub[1].start, pub[1].end) if pub[1] else None,
        )
    reference = pub[0] if pub else _fallback_reference(mentions)
    for d in mentions:
        dates_mod.resolve(d, reference, today)

    # ---- organisations, people
    orgs, regions = find_org_mentions(text)
    orgs = [o for o in orgs if not doc.is_ignored(o.start)]
    persons = find_people(text, [(s.start, s.end) for s in usable], orgs, regions)

    entities = _build_entities(doc, orgs)
    _score_entities(doc, entities, persons)
    res.parties = _select_parties(entities)

    # ---- type and status
    res.agreement_type = _agreement_type(doc)
    res.status = _status(doc)

    # ---- date and place of signing (or of the meeting, for discussions)
    best_date = _event_date(doc, mentions, pub[1] if pub else None, reference)
    if best_date is not None:
        res.event_date = Value(
            best_date.resolved.isoformat() if best_date.resolved else None,
            best_date.confidence,
            Span(best_date.start, best_date.end),
        )
    if res.status.value == "signed":
        if best_date is not None and best_date.resolved is not None:
            res.signed_date = Value(
                best_date.resolved.isoformat(),
                best_date.confidence * res.status.confidence,
                Span(best_date.start, best_date.end),
            )
        elif pub is not None:
            res.signed_date = Value(pub[0].isoformat(), 0.3, None)
    place = _place(doc, best_date)
    if place is not None:
        res.place = Value(place[0], place[1], place[2])
        res.place_region = place[3]

    # ---- topics, commitments, duration
    res.topics = _topics(doc)
    ref_year = (
        best_date.resolved.year if best_date and best_date.resolved else reference.year if reference else None
    )
    res.commitments, used_horizons = _commitments(doc, ref_year)
    res.duration_years = _duration(doc, used_horizons)

    # ---- people
    res.people = _people(persons, entities, res.parties)
    if not res.parties:
        res.warnings.append("Tidak ada pihak kerja sama yang dikenali.")
    return res


# ---------------------------------------------------------------------- dates


def _publication_date(
    doc: Document, mentions: list[DateMention], today: dt.date
) -> tuple[dt.date, DateMention | None] | None:
    """The article's own date: a full date near the top, preferably with a time of day."""
    best: tuple[float, DateMention] | None = None
    head_limit = doc.body[1].start if len(doc.body) > 1 else len(doc.text)
    for d in mentions:
        if d.year is None or d.weekday_only:
            continue
        date = dates_mod._valid(d.year, d.month or 0, d.day or 0)
        if date is None or date > today:
            continue
        score = 0.0
        if d.start <= head_limit:
            score += 2
        if d.has_time:
            score += 2
        line = doc.line_at(d.start)
        if line and (line[1] - line[0]) < 70:
            score += 1
        if line and re.match(r"^\s*[A-Z][\w .]{1,30},\s*$", doc.text[line[0] : d.start]):
            score += 1.5  # "Ambon, 12 Oktober 2022" / "Sleman, 16 Januari 2023 –" dateline
        if score >= 2 and (best is None or score > best[0]):
            best = (score, d)
    if best is None:
        return None
    d = best[1]
    date = dates_mod._valid(d.year, d.month or 0, d.day or 0)  # type: ignore[arg-type]
    assert date is not None
    d.confidence = 0.8
    return date, d


def _fallback_reference(mentions: list[DateMention]) -> dt.date | None:
    full: list[dt.date] = []
    for d in mentions:
        if d.year and not d.weekday_only:
            date = dates_mod._valid(d.year, d.month or 0, d.day or 0)
            if date is not None:
                full.append(date)
    return max(full) if full else None


def _event_date(
    doc: Document, mentions: list[DateMention], pub: DateMention | None, reference: dt.date | None
) -> DateMention | None:
    best: tuple[float, DateMention] | None = None
    for d in mentions:
        if d.resolved is None:
            continue
        s = _sent_of(doc, d.start)
        if s is None:
            continue
        score = 1.0
        if s.has(SIGN_RE):
            score += 3
        if s.has(EVENT_RE) or s.has(DISCUSSION_RE):
            score += 1
        if 0 <= s.body_index <= 2:
            score += 1
        if s.is_title:
            score += 0.3
        if pub is not None and d is pub and not s.has(SIGN_RE):
            score -= 1.5
        if reference is not None and d.resolved > reference + dt.timedelta(days=1):
            score -= 2.5
        if s.has(RELATED_RE):
            score -= 2
        if re.search(
            r"\b(?:dibuka|mulai|dijadwalkan|hingga|sampai)\b",
            doc.text[max(s.start, d.start - 30) : d.start],
            re.I,
        ):
            score -= 2
        if d.weekday_only:
            score -= 0.5
        if best is None or score > best[0]:
            best = (score, d)
    if best is None or best[0] < 1.0:
        return None
    return best[1]


# ---------------------------------------------------------------------- organisations


@dataclass
class _Entity:
    key: str
    name: str
    kind: str
    region: Region | None
    parent: str | None
    unit_type: str | None
    mentions: list[OrgMention] = field(default_factory=list)
    score: float = 0.0


def _normalise_mention(
    m: OrgMention, doc_ministry: str | None, main_region: dict[str, Region]
) -> OrgMention | None:
    """Give every mention its final key: resolve bare "Pemkot", office regions, agency ministries."""
    if m.key.startswith("gov:") and m.region is None:
        region = main_region.get(m.level or "")
        if region is None:
            return None
        return OrgMention(
            m.start,
            m.end,
            m.text,
            gov_key(region.level, region),
            gov_name(region),
            GOV_KINDS[region.level],
            region=region,
            source=m.source,
            level=region.level,
        )
    if m.key.startswith("opd:") and m.key.endswith("@?"):
        region = main_region.get("any")
        if region is None:
            return m
        office = m.name
        return OrgMention(
            m.start,
            m.end,
            m.text,
            m.key[:-1] + region.code,
            f"{office} {region.name}",
            m.kind,
            region=region,
            unit_type=m.unit_type,
            source=m.source,
        )
    entry = BY_KEY.get(m.key.split("#")[0])
    if entry is not None and entry.kind == "agency" and "@" not in m.key:
        parent = (
            entry.parent if entry.parent not in ("?", None) else doc_ministry if entry.parent == "?" else None
        )
        if parent and parent in BY_KEY:
            base, _, loc = m.key.partition("#")
            key = f"{base}@{parent}" + (f"#{loc}" if loc else "")
            name = m.name if entry.located else f"{entry.name} {BY_KEY[parent].name}"
            return OrgMention(
                m.start,
                m.end,
                m.text,
                key,
                name,
                m.kind,
                region=m.region,
                parent=parent,
                unit_type=m.unit_type,
                source=m.source,
            )
    return m


def _build_entities(doc: Document, orgs: list[OrgMention]) -> dict[str, _Entity]:
    # The ministry the article is about decides the parent of ambiguous units such as "BPSDM".
    counts: dict[str, int] = {}
    for o in orgs:
        base = o.key.split("@")[-1].split("#")[0]
        if base in ("kominfo", "komdigi", "kemnaker"):
            counts[base] = counts.get(base, 0) + 1
    doc_ministry = max(counts, key=lambda k: counts[k]) if counts else None
    gov_counts: dict[str, tuple[int, Region]] = {}
    for o in orgs:
        if o.key.startswith("gov:") and o.region is not None:
            n, _ = gov_counts.get(o.key, (0, o.region))
            gov_counts[o.key] = (n + (2 if o.source == "gov" else 1), o.region)
    main_region: dict[str, Region] = {}
    for _, (_n, region) in sorted(gov_counts.items(), key=lambda kv: -kv[1][0]):
        main_region.setdefault(region.level, region)
        main_region.setdefault("any", region)

    entities: dict[str, _Entity] = {}
    for o in orgs:
        nm = _normalise_mention(o, doc_ministry, main_region)
        if nm is None or not nm.name:
            continue
        ent = entities.get(nm.key)
        if ent is None:
            if len(entities) >= MAX_ENTITIES:
                continue
            ent = _Entity(nm.key, nm.name, nm.kind, nm.region, nm.parent, nm.unit_type)
            entities[nm.key] = ent
        ent.mentions.append(nm)
    # "BLK" alone, when the article names exactly one "BLK <place>", is that one.
    for key in list(entities):
        if "#" in key or key not in entities:
            continue
        located = [k for k in entities if k.startswith(key + "#")]
        if len(located) == 1 and BY_KEY.get(key.split("@")[0]) is not None:
            entities[located[0]].mentions.extend(entities.pop(key).mentions)
    # "DiskominfoSP Provinsi Banten" and "Dinas Komunikasi, Informatika, Statistik, dan Persandian Provinsi
    # Banten" are one office: same region, same first words; the fuller name wins.
    opds = [k for k in entities if k.startswith("opd:") and not k.endswith("@?")]
    for key_a in opds:
        for key_b in opds:
            ea, eb = entities.get(key_a), entities.get(key_b)
            if ea is None or eb is None or ea is eb or ea.region is None or eb.region is None:
                continue
            if (
                ea.region.code == eb.region.code
                and norm_key(ea.name).split()[:2] == norm_key(eb.name).split()[:2]
            ):
                keep, drop = (ea, eb) if len(ea.name) >= len(eb.name) else (eb, ea)
                keep.mentions.extend(drop.mentions)
                del entities[drop.key]
    # "PT Awan Data Nusantara Siapkan" (a headline verb glued on) is "PT Awan Data Nusantara".
    keys = sorted(entities, key=lambda k: len(entities[k].name))
    for short_key in keys:
        for long_key in keys:
            a, b = entities.get(short_key), entities.get(long_key)
            if a is None or b is None or a is b or a.kind != b.kind or a.key.startswith("gov:"):
                continue
            ta, tb = a.name.split(), b.name.split()
            if len(ta) >= 2 and len(tb) > len(ta) and tb[: len(ta)] == ta:
                a.mentions.extend(b.mentions)
                del entities[long_key]
    return entities


def _in_quote(text: str, s: Sentence, pos: int) -> bool:
    before = text[s.start : pos]
    opened = before.count("“") + before.count('"') - before.count("”")
    if "“" in before or "”" in before:
        return before.count("“") > before.count("”")
    return opened % 2 == 1


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether pos lies in one of the sorted, non-overlapping spans (starts: their start positions)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]


def _between_spans(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in re.finditer(r"\bantara\s+[^.;]{3,160}?\s+(?:dan|dengan)\s+[^.;,]{3,120}", text)
    ]


def _score_entities(doc: Document, entities: dict[str, _Entity], persons: list[PersonMention]) -> None:
    between = _between_spans(doc.text)
    between_starts = [a for a, _ in between]
    for ent in entities.values():
        total = 0.0
        for m in ent.mentions:
            s = _sent_of(doc, m.start)
            if s is None:
                continue
            w = 1.0
            if s.is_title:
                w += 2
            elif 0 <= s.body_index <= 1:
                w += 1.5
            if s.has(AGREE_RE):
                w += 2
            if _inside(between, between_starts, m.start):
                w += 1
            if s.has(RELATED_RE):
                w *= 0.3
            if m.source == "leader":
                w *= 0.6
            if _in_quote(doc.text, s, m.start):
                # Quoted speech often names other partners ("kerja sama dengan Kemendagri").
                w *= 0.7
            total += w
        sentences = {id(_sent_of(doc, m.start)) for m in ent.mentions}
        if len(sentences) == 1:
            total *= 0.5
        ent.score = total
    # Signatories: a person in a signing sentence lends weight to their organisation.
    by_start: dict[int, list[_Entity]] = {}
    for ent in entities.values():
        for start in dict.fromkeys(m.start for m in ent.mentions):
            by_start.setdefault(start, []).append(ent)
    for p in persons:
        s = _sent_of(doc, p.pos_start)
        if s is None or not s.has(SIGN_RE) or p.org is None:
            continue
        for ent in by_start.get(p.org.start, ()):
            ent.score += 2


def _select_parties(entities: dict[str, _Entity]) -> list[Party]:
    ents = {k: e for k, e in entities.items() if e.score > 0}
    # A unit and its ministry are one party: keep the unit unless the ministry clearly dominates.
    for key, ent in list(ents.items()):
        if ent.parent and ent.parent in ents and key in ents:
            ministry = ents[ent.parent]
            if ent.score >= 0.5 * ministry.score:
                ent.score = max(ent.score, ministry.score)
                ent.mentions.extend(ministry.mentions)
                del ents[ent.parent]
            else:
                ministry.score = max(ent.score, ministry.score)
                ministry.mentions.extend(ent.mentions)
                del ents[key]
    # Two located units of the same ministry parent (BBPVP under Kemnaker): handled by the scores.
    for key, ent in list(ents.items()):
        if ent.parent and "@" in key:
            base_parent = ent.parent
            if base_parent in ents and key in ents and ents[base_parent].score > ent.score:
                del ents[key]
    # A regional office whose own government is a party is that government's implementing unit.
    gov_codes = {e.region.code for e in ents.values() if e.key.startswith("gov:") and e.region}
    for key, ent in list(ents.items()):
        if key.startswith("opd:") and ent.region and ent.region.code in gov_codes:
            del ents[key]
    ranked = sorted(ents.values(), key=lambda e: -e.score)
    if not ranked:
        return []
    top = ranked[0].score
    chosen = [ranked[0]]
    for e in ranked[1:4]:
        if e.score >= max(3.0, 0.35 * top):
            chosen.append(e)
    if len(chosen) == 1 and len(ranked) > 1 and ranked[1].score >= 2.0:
        chosen.append(ranked[1])
    if not any(e.key.startswith("gov:") for e in chosen):
        # In this domain a regional government is nearly always a party; take the best one named.
        govs = [e for e in ranked[1:] if e.key.startswith("gov:") and e.score >= 1.0]
        if govs and len(chosen) < 4:
            chosen.append(govs[0])
    out = []
    for e in chosen:
        conf = min(0.95, 0.35 + e.score / (top + 4))
        spans = sorted({Span(m.start, m.end) for m in e.mentions}, key=lambda s: s.start)
        texts = list(dict.fromkeys(m.text for m in e.mentions))
        region = e.region
        out.append(Party(e.name, e.kind, region, conf, spans, texts, e.key, e.parent))
    return out


# ---------------------------------------------------------------------- type and status


def _agreement_type(doc: Document) -> Value:
    scores: dict[str, float] = {}
    first_span: dict[str, Span] = {}
    for s in doc.titles + doc.body:
        # One vote per document type per sentence: "perjanjian kerja sama (PKS)" is one mention, and
        # "Nota Kesepakatan (MoU)" names a nota kesepakatan, glossed as an MoU.
        best: dict[str, tuple[float, Span]] = {}
        glossed: list[tuple[int, int]] = []
        for pattern, kind, base in AGREEMENT_TYPE_PATTERNS:
            for m in re.finditer(pattern, s.text, re.IGNORECASE):
                if any(a <= m.start() < b for a, b in glossed):
                    continue
                gloss = re.match(r"\s*[(\[]\s*(?:MoU|MOU|PKS)\s*[)\]]", s.text[m.end() :])
                if gloss and kind != "mou" or (gloss and kind == "mou" and "MoU" not in m.group(0).upper()):
                    glossed.append((m.end(), m.end() + gloss.end()))
                w = base
                if s.is_title:
                    w += 2
                if s.has(SIGN_RE):
                    w += 2
                after = s.text[m.end() : m.end() + 12]
                if re.match(r"\s+(?:ini|tersebut|itu)\b", after, re.IGNORECASE):
                    w += 1
                before = s.text[max(0, m.start() - 45) : m.start()]
                if re.search(
                    r"(?:tindak\s*lanjut(?:\s+dari)?|turunan(?:\s+dari)?|melengkapi|ditindaklanjuti\s+"
                    r"dengan|lanjutan\s+dari|dilanjutkan\s+dengan|berdasarkan|mengacu\s+pada|"
                    r"payung\s+bagi)\s+(?:\S+\s+){0,2}$",
                    before,
                    re.IGNORECASE,
                ) or re.search(r"\b(?:lalu|kemudian|selanjutnya)\s+$", before, re.IGNORECASE):
                    w = 0.0
                elif FUTURE_RE.search(s.text[: m.start()]):
                    w *= 0.5
                span = Span(s.start + m.start(), s.start + m.end())
                if kind not in best or w > best[kind][0]:
                    best[kind] = (w, span)
        if "pks" in best and ("mou" in best or "nota_kesepakatan" in best):
            # "MoU dan PKS" signed together: the MoU is the framework agreement being drafted.
            best["pks"] = (best["pks"][0] * 0.5, best["pks"][1])
        for kind, (w, span) in best.items():
            scores[kind] = scores.get(kind, 0.0) + w
            first_span.setdefault(kind, span)
    if not scores or max(scores.values()) <= 0:
        return Value("other", 0.4)
    # Ties go to the framework document: an MoU and a PKS signed together make an MoU event.
    order = {"nota_kesepakatan": 0, "mou": 1, "pks": 2, "other": 3}
    kind = max(scores, key=lambda k: (round(scores[k], 3), -order[k]))
    total = sum(scores.values())
    return Value(kind, round(min(0.95, 0.5 + 0.45 * scores[kind] / total), 2), first_span.get(kind))


def _status(doc: Document) -> Value:
    signed: list[tuple[float, Span]] = []
    future = 0
    for s in doc.titles + doc.body:
        for m in SIGN_RE.finditer(s.text):
            before = s.text[max(0, m.start() - 60) : m.start()]
            after = s.text[m.end() : m.end() + 45]
            if FUTURE_RE.search(before) or re.search(
                r"\b(?:akan|dijadwalkan|direncanakan|rencananya)\b", after, re.I
            ):
                future += 1
                continue
            # "… yang telah ditandatangani tahun lalu": about an earlier document.
            if re.search(r"\byang\s+(?:sudah\s+|telah\s+)?$", before) and re.search(
                r"(?:tahun\s+lalu|pada\s+(?:\w+\s+)?20\d\d|sebelumnya)", after, re.I
            ):
                continue
            if re.match(r"dituangkan", m.group(0), re.I) and FUTURE_RE.search(before):
                continue
            signed.append((2.0 if s.is_title else 1.0, Span(s.start + m.start(), s.start + m.end())))
    if signed:
        weight = sum(w for w, _ in signed)
        return Value("signed", min(0.95, 0.6 + 0.1 * weight - 0.05 * future), signed[0][1])
    disc = sum(1 for s in doc.titles + doc.body if s.has(DISCUSSION_RE))
    if disc or future:
        return Value("discussion", 0.8 if future or disc > 1 else 0.65, None)
    return Value("discussion", 0.4, None)


# ---------------------------------------------------------------------- place


def _dateline(doc: Document) -> tuple[str, Span, Region | None] | None:
    for a, b in doc.lines[:12]:
        line = doc.text[a:b]
        m = _DATELINE_SEP.search(line[:70])
        if not m or m.start() == 0:
            continue
        prefix = line[: m.start()]
        segments = [seg.strip() for seg in re.split(r"[,(]", prefix) if seg.strip()]
        if not segments or len(prefix.split()) > 6:
            continue
        for seg in segments:
            seg_clean = seg.rstrip(")").strip()
            if re.search(r"\d", seg_clean) or "." in seg_clean:
                continue
            if not re.fullmatch(r"[A-Za-z' ]{3,30}", seg_clean):
                continue
            if not (seg_clean.isupper() or seg_clean.istitle()):
                continue
            name = seg_clean.title() if seg_clean.isupper() else seg_clean
            region = resolve_place_name(name)
            if region is None:
                continue  # media names sit in the same slot ("JURNAL SOREANG-")
            if _DAY_OR_MONTH.match(name):
                continue
            start = a + line.find(seg_clean)
            return name, Span(start, start + len(seg_clean)), region
    return None


def _region_in(part: str) -> Region | None:
    """A region named by a place part: the whole part ("Kota Bandung") or its last words ("Aula Kantor
    Bupati Sleman" → Sleman)."""
    region = resolve_place_name(part)
    if region is not None:
        return region
    words = part.split()
    for n in (2, 1):
        if len(words) > n and words[-n][:1].isupper():
            region = gazetteer().lookup(" ".join(words[-n:]))
            if region is not None:
                return region
    return None


def _place(
    doc: Document, best_date: DateMention | None
) -> tuple[str, float, Span | None, Region | None] | None:
    best: tuple[float, str, Span, Region | None] | None = None
    date_sentence = _sent_of(doc, best_date.start) if best_date else None
    for s in doc.body:
        for m in _PLACE_RE.finditer(s.text):
            raw = m.group("p")
            parts = [p.strip() for p in raw.split(",")]
            kept: list[str] = []
            for p in parts:
                words = p.split()
                cut = [w for w in words]
                for i, w in enumerate(words):
                    if _DAY_OR_MONTH.match(w.strip("()")):
                        cut = words[:i]
                        break
                if not cut:
                    break
                kept.append(" ".join(cut))
                if len(cut) < len(words):
                    break
            if not kept:
                continue
            # Connectors at the end ("Tenggarong dan") are not part of a place.
            while kept and kept[-1].split()[-1] in ("dan", "&"):
                kept[-1] = " ".join(kept[-1].split()[:-1])
                if not kept[-1]:
                    kept.pop()
            if not kept:
                continue
            place = ", ".join(kept)
            # A venue noun anywhere in the first part ("Trans Luxuri Hotel", "Grand Avira Hotel").
            head = _PLACE_HEAD.match(place) or _VENUE_NOUN.search(kept[0])
            # The most specific part that names a region ("BLK Lombok Timur, NTB" → Lombok Timur).
            regions_found = [r for r in (_region_in(part) for part in kept) if r is not None]
            region = next((r for r in regions_found if r.level != "province"), None) or (
                regions_found[0] if regions_found else None
            )
            if head is None and region is None:
                continue
            score = 0.0
            if head:
                score += 2
            if s.has(SIGN_RE):
                score += 3
            if s.has(EVENT_RE) or s.has(DISCUSSION_RE):
                score += 1.5
            if date_sentence is not None and date_sentence is s:
                score += 2
            if 0 <= s.body_index <= 2:
                score += 0.5
            if s.has(RELATED_RE):
                score *= 0.3
            if date_sentence is not s and re.search(
                r"\b(?:akan|rencana|direncanakan)\b", s.text[max(0, m.start() - 50) : m.start()], re.I
            ):
                score -= 2
            if head is None and score < 3:
                continue
            date_follows = re.match(
                r"\s*,?\s*(?:pada\s+)?(?:\(|\[|Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|\d{1,2}\s+\w+\s+\d{4})",
                s.text[m.start("p") + len(place) :],
            )
            event_before = re.search(
                r"(?:berlangsung|dilaksanakan|digelar|bertempat|dilakukan|ditandatangani|diteken|bertemu|"
                r"menandatangani\s+\S+(?:\s+\S+)?)\s+(?:di\s+)?$",
                s.text[max(0, m.start() - 40) : m.start() + 3],
            )
            if head is None and not date_follows and not event_before:
                continue  # "kampus … di Kabupaten Majalengka": where something is, not where it was signed
            if (
                head is None
                and len(kept) == 1
                and region is not None
                and region.level == "province"
                and region.code != "31"  # Jakarta is named like a city
                and not re.search(
                    r"(?:berlangsung|dilaksanakan|digelar|bertempat|dilakukan|ditandatangani|diteken)\s+$",
                    s.text[max(0, m.start() - 30) : m.start()],
                )
            ):
                continue  # "literasi digital di Provinsi Banten" is the scope, not the venue
            start = s.start + m.start("p")
            span = Span(start, start + len(place))
            if best is None or score > best[0]:
                best = (score, place, span, region)
    if best is not None and best[0] >= 2.5:
        return best[1], min(0.9, 0.3 + best[0] / 10), best[2], best[3]
    dl = _dateline(doc)
    if dl is not None:
        return dl[0], 0.4, dl[1], dl[2]
    return None


# ---------------------------------------------------------------------- topics


def _topics(doc: Document) -> list[Topic]:
    out = []
    for topic, patterns in TOPIC_LEXICON.items():
        score = 0.0
        spans: list[Span] = []
        for pattern, weight in patterns:
            hits = 0
            for s in doc.titles + doc.body:
                for m in re.finditer(pattern, s.text, re.IGNORECASE):
                    hits += 1
                    if hits <= 2:
                        score += weight
                        spans.append(Span(s.start + m.start(), s.start + m.end()))
        if score >= TOPIC_THRESHOLD:
            out.append(Topic(topic, min(0.95, 0.4 + score / 10), sorted(spans, key=lambda x: x.start)))
    if not out:
        out.append(Topic("other", 0.3, []))
    return out


# ---------------------------------------------------------------------- commitments


def _years_in(text: str, offset: int, ref_year: int | None) -> list[tuple[float, Span, bool, str]]:
    """Horizon phrases in a sentence: (years, span, is_term, kind) where is_term marks "berlaku N tahun"."""
    out: list[tuple[float, Span, bool, str]] = []
    for m in _YEARS_PHRASE.finditer(text):
        if re.match(r"\s+(?:lalu|silam|yang\s+lalu)\b", text[m.end() :]):
            continue
        pre, post = (m.group("pre") or "").lower(), (m.group("post") or "").lower()
        if not pre and not post:
            continue
        value = number_value(m.group("n"))
        if value is None or not 0 < value <= 30:
            continue
        is_term = pre.startswith(("berlaku", "jangka", "berjangka", "masa"))
        kind = "term" if is_term else "horizon" if post or pre.startswith("dalam") else "span"
        out.append((value, Span(offset + m.start(), offset + m.end()), is_term, kind))
    for m in _SETAHUN.finditer(text):
        if m.group("pre") or m.group("post"):
            out.append((1.0, Span(offset + m.start(), offset + m.end()), False, "horizon"))
    if ref_year:
        for m in _YEAR_TARGET.finditer(text):
            y = int(m.group("y"))
            if m.group(0).lower().startswith("tahun") or m.group(0).lower().startswith("pada 20"):
                continue
            if ref_year < y <= ref_year + 30:
                out.append((float(y - ref_year), Span(offset + m.start(), offset + m.end()), False, "year"))
    return out


def _commitments(doc: Document, ref_year: int | None) -> tuple[list[Commitment], set[Span]]:
    found: list[tuple[Commitment, Sentence]] = []
    used: set[Span] = set()
    sentences = doc.titles + doc.body
    for idx, s in enumerate(sentences):
        text = s.text
        candidates: list[tuple[int, int, float, str, int]] = []  # start, end, value, unit, unit_end
        for m in _RUPIAH.finditer(text):
            value = parse_digits(m.group("d"), m.group("s"))
            candidates.append((m.start(), m.end(), value, "rupiah", m.end()))
        for m in QUANTITY_RE.finditer(text):
            if any(a <= m.start() < b for a, b, *_ in candidates):
                continue
            if m.group("digits"):
                value = parse_digits(m.group("digits"), m.group("scale"))
                if re.fullmatch(r"(?:19|20)\d\d", m.group("digits")) and not m.group("scale"):
                    continue  # a year
            else:
                parsed = parse_words(m.group("words"))
                if parsed is None:
                    continue
                value = parsed
            if text[m.end() : m.end() + 1] in ("/", ":") or text[max(0, m.start() - 1) : m.start()] in (
                "/",
                ":",
            ):
                continue
            rest = text[m.end() :]
            if _NOT_UNIT_AFTER.match(rest):
                continue
            unit = None
            unit_end = m.end()
            om = ORANG_FIRST.match(rest)
            for rx, canonical in UNIT_RES:
                um = rx.match(rest)
                if um:
                    unit, unit_end = canonical, m.end() + um.end()
                    break
            if om and unit not in (None, "orang"):
                # "800 orang calon PMI": the counted thing is people.
                unit, unit_end = "orang", m.end() + om.end()
            if unit is None:
                continue
            candidates.append((m.start(), m.end(), value, unit, unit_end))
        if not candidates:
            continue
        horizons = _years_in(text, s.start, ref_year)
        for start, _end, value, unit, unit_end in candidates:
            before = text[max(0, start - 60) : start]
            if _NEG_COMMITMENT.search(before) or s.has(_NEG_SENTENCE):
                continue
            if _ADA_BEFORE.search(before) and not _TARGET_ADA.search(before):
                continue
            conf = 0.75
            if s.has(_PROMISE_WORD):
                conf = 0.85
            if s.is_title:
                conf -= 0.2
            approx = bool(_APPROX.search(before))
            achieved = bool(_ACHIEVED.search(text, 0, start)) and not s.has(_FUTURE_OR_TARGET)
            deadline: tuple[float, Span] | None = None
            cand_h = [h for h in horizons if not h[2]]
            if cand_h:
                pos = s.start + start
                h = min(cand_h, key=lambda h: abs(h[1].start - pos))
                deadline = (h[0], h[1])
            elif idx + 1 < len(sentences):
                nxt = sentences[idx + 1]
                if _ANAPHOR_START.match(nxt.text) and not QUANTITY_RE.search(
                    nxt.text.split(" ", 2)[-1][:0] or ""
                ):
                    nh = [h for h in _years_in(nxt.text, nxt.start, ref_year) if not h[2]]
                    if nh:
                        deadline = (nh[0][0], nh[0][1])
            if deadline is not None:
                used.add(deadline[1])
            a, b = s.start + start, s.start + unit_end
            com = Commitment(
                text=doc.text[a:b],
                quantity=as_int_if_whole(value),
                unit=unit,
                deadline_years=as_int_if_whole(deadline[0]) if deadline else None,
                confidence=conf,
                span=Span(a, b),
                deadline_span=deadline[1] if deadline else None,
                approximate=approx,
                kind="achievement" if achieved else "target",
                per_year=s.has(_PER_YEAR),
            )
            found.append((com, s))
    # Keep one commitment per (quantity, unit); a headline figure repeats the body's.
    out: list[Commitment] = []
    body_quantities = {c.quantity for c, s in found if not s.is_title}
    seen: set[tuple[Any, str]] = set()
    for c, s in found:
        if s.is_title and c.quantity in body_quantities:
            continue
        key = (c.quantity, c.unit)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    out.sort(key=lambda c: c.span.start)
    return out, used


def _duration(doc: Document, used: set[Span]) -> Value:
    best: tuple[float, float, Span] | None = None
    for s in doc.titles + doc.body:
        for years, span, is_term, kind in _years_in(s.text, s.start, None):
            if span in used or kind == "year":
                continue
            if is_term:
                score = 3.0
            elif kind == "horizon" and re.search(
                r"(?:ke\s*depan|lagi|mendatang|ke\s+muka)$", doc.text[span.start : span.end]
            ):
                # A bare "dalam dua tahun" is usually some other goal; "enam tahun ke depan" is a horizon.
                score = 1.5
            else:
                continue
            if s.has(RELATED_RE):
                score -= 1
            if best is None or score > best[0]:
                best = (score, years, span)
    if best is None:
        return Value(None, 0.0)
    return Value(as_int_if_whole(best[1]), 0.85 if best[0] >= 3 else 0.55, best[2])


# ---------------------------------------------------------------------- people

_GOV_POSITIONS = (
    "Wali Kota",
    "Wakil Wali Kota",
    "Bupati",
    "Wakil Bupati",
    "Gubernur",
    "Wakil Gubernur",
    "Sekda",
    "Asisten",
    "Staf Ahli",
)
_LEVEL_OF_POSITION = {
    "Wali Kota": "city",
    "Wakil Wali Kota": "city",
    "Bupati": "regency",
    "Wakil Bupati": "regency",
    "Gubernur": "province",
    "Wakil Gubernur": "province",
}
_UNIV_POSITIONS = ("Rektor", "Wakil Rektor", "Dekan", "Wakil Dekan")


def _people(persons: list[PersonMention], entities: dict[str, _Entity], parties: list[Party]) -> list[Person]:
    by_mention: dict[int, _Entity] = {}
    for ent in entities.values():
        for m in ent.mentions:
            by_mention[m.start] = ent
    groups: list[list[PersonMention]] = []
    group_tokens: list[set[str]] = []
    for p in persons:
        toks = set(norm_key(p.name).split())
        for g, gt in zip(groups, group_tokens, strict=True):
            if toks <= gt or gt <= toks:
                g.append(p)
                break
        else:
            if len(groups) < MAX_PEOPLE:
                groups.append([p])
                group_tokens.append(toks)
    out: list[Person] = []
    # The President and Vice-President are cited, never parties to a regional agreement.
    groups = [g for g in groups if not all(p.position in ("Presiden", "Wakil Presiden") for p in g)]
    for g in groups:
        g.sort(key=lambda p: (-len(p.name.split()), p.name_start))
        name = g[0].name
        # The most specific position wins ("Kepala Badan" over a bare "Kepala").
        positions = [p for p in g if p.position != "Kepala"] or g
        first = min(positions, key=lambda p: (-p.confidence, p.pos_start))
        position = first.position
        org_name = _person_org(first, position, by_mention, parties)
        conf = min(0.95, max(p.confidence for p in g) + 0.05 * (len(g) - 1))
        out.append(
            Person(
                name,
                position,
                org_name,
                conf,
                Span(first.name_start, first.name_end),
                Span(first.pos_start, first.pos_end),
            )
        )
    out.sort(key=lambda p: p.span.start)
    return out


def _person_org(
    p: PersonMention, position: str, by_mention: dict[int, _Entity], parties: list[Party]
) -> str | None:
    base = position.split(" ", 1)[1] if position.split(" ", 1)[0] in ("Plh", "Plt", "Pj") else position
    if p.org is not None:
        ent = by_mention.get(p.org.start)
        if ent is not None:
            return ent.name
    if p.region is not None and base in _GOV_POSITIONS:
        level = _LEVEL_OF_POSITION.get(base)
        region = p.region
        if level and region.level != level:
            alt = gazetteer().lookup(region.short, level)
            region = alt or region
        return gov_name(region)
    level = _LEVEL_OF_POSITION.get(base)
    if level:
        for party in parties:
            if party.kind == GOV_KINDS[level]:
                return party.name
    if base in _UNIV_POSITIONS:
        unis = [pt for pt in parties if pt.kind == "university"]
        if len(unis) == 1:
            return unis[0].name
    if base in ("Sekda",):
        govs = [pt for pt in parties if pt.kind.endswith("_gov")]
        if len(govs) == 1:
            return govs[0].name
    return None
