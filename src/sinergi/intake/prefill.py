"""Turn the extractor's rich result into a proposed agreement for the review form.

Everything here is a proposal the officer corrects: each value keeps its confidence and the id of the
mark that shows where it came from, so the page can say "yakin" or "perlu dicek" and link to the text.
Values the text does not give (an end date without a stated duration, a commitment deadline) are
proposed from conventions and marked as guesses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization
from sinergi.partnerships.models import Topic

from .highlight import Mark

SURE = 0.7  # at or above: "yakin"; below: "perlu dicek"
DEFAULT_TERM_YEARS = 5  # MoUs between regions and ministries usually run at most five years

# The agreement statuses an officer can create from a text (later ones come through the lifecycle).
STATUS_OF = {"signed": "berlaku", "discussion": "pembahasan"}
# Extractor types the agreement model knows; anything else is proposed as an MoU to be checked.
KNOWN_TYPES = ("mou", "nota_kesepakatan", "pks", "addendum")
# The extractor's organisation kinds → the platform's Organization.Kind.
ORG_KIND = {
    "ministry": "ministry",
    "agency": "agency",
    "province_gov": "province_gov",
    "regency_gov": "regency_gov",
    "city_gov": "city_gov",
    "university": "university",
    "company": "company",
    "opd": "opd",
    "other": "community",
}
# Used in proposed titles ("Nota Kesepahaman antara … dan …"): the names of the documents themselves.
TYPE_LABEL = {
    "mou": "Nota Kesepahaman",
    "nota_kesepakatan": "Nota Kesepakatan",
    "pks": "Perjanjian Kerja Sama",
    "addendum": "Addendum",
}
# Who signs for an organisation, most senior first: the first person found in this order is proposed.
_SIGNING_RANK = (
    "Menteri",
    "Gubernur",
    "Wali Kota",
    "Bupati",
    "Rektor",
    "Direktur Utama",
    "Kepala Badan",
    "Direktur Jenderal",
    "Wakil Menteri",
    "Wakil Gubernur",
    "Wakil Wali Kota",
    "Wakil Bupati",
    "Sekda",
    "Plh Sekda",
    "Kepala Dinas",
)
_REGION_HEADS = ("Gubernur", "Wali Kota", "Bupati", "Wakil Gubernur", "Wakil Wali Kota", "Wakil Bupati")


@dataclass
class Proposed:
    value: Any
    confidence: float = 0.0
    mark: str | None = None
    note: str = ""  # why the value is a guess, shown beside it

    @property
    def sure(self) -> bool:
        return self.value not in (None, "", []) and self.confidence >= SURE and not self.note

    @property
    def found(self) -> bool:
        return self.value not in (None, "", [])


@dataclass
class PartyProposal:
    name: str
    kind: str  # Organization.Kind value
    region_code: str | None
    region_name: str | None
    mentions: list[str]
    confidence: float
    mark: str
    role: str
    signatory_name: str = ""
    signatory_position: str = ""
    signatory_mark: str | None = None

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE

    @property
    def kind_label(self) -> str:
        return str(dict(Organization.Kind.choices).get(self.kind, self.kind))


@dataclass
class CommitmentProposal:
    title: str
    quantity: float | int
    unit: str
    deadline_years: float | int | None
    deadline: dt.date
    confidence: float
    mark: str
    deadline_mark: str | None
    include: bool
    note: str = ""

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE and not self.note


@dataclass
class PersonProposal:
    name: str
    position: str
    organisation: str | None
    mark: str


@dataclass
class Proposal:
    title: Proposed
    type: Proposed
    status: Proposed
    signed_date: Proposed
    place: Proposed
    start_date: Proposed
    end_date: Proposed
    duration_years: Proposed
    topics: list[Proposed]
    parties: list[PartyProposal]
    commitments: list[CommitmentProposal]
    people: list[PersonProposal]
    marks: list[Mark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _span(data: dict[str, Any] | None, key: str = "span") -> list[tuple[int, int]]:
    if not data or not data.get(key):
        return []
    a, b = data[key]
    return [(int(a), int(b))]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def add_years(day: dt.date, years: float) -> dt.date:
    whole = int(years)
    try:
        moved = day.replace(year=day.year + whole)
    except ValueError:  # 29 February
        moved = day.replace(year=day.year + whole, day=28)
    return moved + dt.timedelta(days=round((years - whole) * 365.25))


def _quantity_label(q: float | int) -> str:
    return f"{q:,.0f}".replace(",", ".") if float(q).is_integer() else f"{q}"


def propose(rich: dict[str, Any], text: str, *, today: dt.date, headline: str = "") -> Proposal:
    marks: list[Mark] = []
    topic_labels = {k: str(v) for k, v in Topic.choices}

    def mark(mid: str, kind: str, label: str, spans: list[tuple[int, int]]) -> str | None:
        if not spans:
            return None
        marks.append(Mark(mid, kind, label, spans))
        return mid

    # ---- type and status
    t = rich.get("agreement_type") or {}
    raw_type = t.get("value")
    type_value = raw_type if raw_type in KNOWN_TYPES else "mou"
    type_p = Proposed(
        type_value,
        float(t.get("confidence") or 0),
        mark("type", "type", _("Jenis: %s") % TYPE_LABEL.get(type_value, type_value), _span(t)),
        "" if raw_type in KNOWN_TYPES else _("Jenis naskah tidak disebut jelas; diusulkan MoU."),
    )
    s = rich.get("status") or {}
    status_value = STATUS_OF.get(s.get("value") or "", "usulan")
    status_p = Proposed(
        status_value,
        float(s.get("confidence") or 0),
        mark(
            "status",
            "status",
            _("Status: sudah ditandatangani") if s.get("value") == "signed" else _("Status: masih dibahas"),
            _span(s),
        ),
    )

    # ---- dates
    sd = rich.get("signed_date") or {}
    ev = rich.get("event_date") or {}
    pub = rich.get("publication_date") or {}
    signed = _date(sd.get("value")) if status_value == "berlaku" else None
    signed_p = Proposed(
        signed.isoformat() if signed else None,
        float(sd.get("confidence") or 0) if signed else 0.0,
        mark("date", "date", _("Tanggal: %s") % f"{signed:%d-%m-%Y}", _span(sd)) if signed else None,
    )
    start = signed or _date(ev.get("value")) or _date(pub.get("value"))
    if signed:
        start_p = Proposed(start.isoformat() if start else None, signed_p.confidence, signed_p.mark)
    elif start is not None:
        event_mark = mark(
            "event-date", "date", _("Tanggal pertemuan: %s") % f"{start:%d-%m-%Y}", _span(ev) or _span(pub)
        )
        start_p = Proposed(
            start.isoformat(), 0.4, event_mark, _("Belum ditandatangani: diusulkan tanggal pertemuan/berita.")
        )
    else:
        start = today
        start_p = Proposed(
            today.isoformat(), 0.0, None, _("Tanggal tidak ditemukan di teks: diisi hari ini.")
        )
    assert start is not None
    dur = rich.get("duration_years") or {}
    years = dur.get("value")
    duration_p = Proposed(
        years,
        float(dur.get("confidence") or 0),
        mark("duration", "duration", _("Jangka waktu: %s tahun") % years, _span(dur)) if years else None,
    )
    end = add_years(start, float(years or DEFAULT_TERM_YEARS)) - dt.timedelta(days=1)
    end_p = Proposed(
        end.isoformat(),
        duration_p.confidence if years else 0.0,
        duration_p.mark,
        "" if years else _("Jangka waktu tidak disebut: diusulkan %s tahun.") % DEFAULT_TERM_YEARS,
    )

    # ---- place
    pl = rich.get("place") or {}
    place_p = Proposed(
        pl.get("value") or "",
        float(pl.get("confidence") or 0),
        mark("place", "place", _("Tempat: %s") % pl.get("value"), _span(pl)) if pl.get("value") else None,
    )

    # ---- topics
    topics = []
    for i, tp in enumerate(rich.get("topics") or []):
        if tp.get("value") not in Topic.values:  # the extractor knows more topics than agreements
            continue
        spans = [tuple(x) for x in tp.get("spans") or []]
        topics.append(
            Proposed(
                tp["value"],
                float(tp.get("confidence") or 0),
                mark(
                    f"topic-{i}", "topic", _("Topik: %s") % topic_labels.get(tp["value"], tp["value"]), spans
                ),  # type: ignore[arg-type]
            )
        )

    # ---- people (marks first: parties link their signatory to them)
    people: list[PersonProposal] = []
    for i, p in enumerate(rich.get("people") or []):
        spans = _span(p) + _span(p, "position_span")
        mid = (
            mark(
                f"person-{i}",
                "person",
                _("Tokoh: %(name)s (%(position)s)") % {"name": p["name"], "position": p["position"]},
                spans,
            )
            or ""
        )
        people.append(PersonProposal(p["name"], p["position"], p.get("organisation"), mid))

    # ---- parties: regional governments first, they usually sign as the first party
    raw_parties = list(rich.get("parties") or [])
    order = sorted(range(len(raw_parties)), key=lambda i: (not raw_parties[i]["kind"].endswith("_gov"), i))
    parties: list[PartyProposal] = []
    for n, i in enumerate(order):
        p = raw_parties[i]
        region = p.get("region") or {}
        spans = [tuple(x) for x in p.get("spans") or []]
        mid = mark(f"party-{i}", "party", _("Pihak: %s") % p["name"], spans) or f"party-{i}"  # type: ignore[arg-type]
        role = "pihak_pertama" if n == 0 else "pihak_kedua" if n == 1 else "pihak_lain"
        proposal = PartyProposal(
            name=p["name"],
            kind=ORG_KIND.get(p.get("kind", ""), "community"),
            region_code=region.get("code"),
            region_name=region.get("name"),
            mentions=list(p.get("mentions") or []),
            confidence=float(p.get("confidence") or 0),
            mark=mid,
            role=role,
        )
        signer = _signatory(p["name"], people)
        if signer is not None:
            proposal.signatory_name = signer.name
            position = signer.position
            if position in _REGION_HEADS and region.get("short"):
                position = f"{position} {region['short']}"
            proposal.signatory_position = position
            proposal.signatory_mark = signer.mark
        parties.append(proposal)

    # ---- commitments
    commitments: list[CommitmentProposal] = []
    for i, c in enumerate(rich.get("commitments") or []):
        dy = c.get("deadline_years")
        deadline = add_years(start, float(dy)) if dy else end
        cm = mark(f"commitment-{i}", "commitment", _("Komitmen: %s") % c["text"], _span(c))
        dm = mark(f"deadline-{i}", "deadline", _("Tenggat: %s tahun") % dy, _span(c, "deadline_span"))
        achieved = c.get("kind") == "achievement"
        note = (
            _("Angka ini tampaknya capaian, bukan target.")
            if achieved
            else ""
            if dy
            else _("Tenggat tidak disebut: diusulkan tanggal berakhir kerja sama.")
        )
        commitments.append(
            CommitmentProposal(
                title=_commitment_title(c),
                quantity=c["quantity"],
                unit=c["unit"],
                deadline_years=dy,
                deadline=deadline,
                confidence=float(c.get("confidence") or 0),
                mark=cm or f"commitment-{i}",
                deadline_mark=dm,
                include=not achieved and c.get("unit") != "rupiah",
                note=note,
            )
        )

    # ---- title: the type and the parties read better than a news headline
    names = [p.name for p in parties[:2]]
    if len(names) == 2:
        title = _("%(type)s antara %(first)s dan %(second)s") % {
            "type": TYPE_LABEL[type_value],
            "first": names[0],
            "second": names[1],
        }
    else:
        title = headline or TYPE_LABEL[type_value]
    title_p = Proposed(
        title[:300], 0.5, None, _("Judul disusun dari jenis dan para pihak; sesuaikan dengan naskah.")
    )

    return Proposal(
        title=title_p,
        type=type_p,
        status=status_p,
        signed_date=signed_p,
        place=place_p,
        start_date=start_p,
        end_date=end_p,
        duration_years=duration_p,
        topics=topics,
        parties=parties,
        commitments=commitments,
        people=people,
        marks=marks,
        warnings=list(rich.get("warnings") or []),
    )


def _commitment_title(c: dict[str, Any]) -> str:
    unit = c.get("unit") or ""
    qty = _quantity_label(c["quantity"])
    if unit == "rupiah":
        return _("Anggaran Rp%s") % qty
    return (_("Target %(quantity)s %(unit)s") % {"quantity": qty, "unit": unit}).strip()


def _signatory(party_name: str, people: list[PersonProposal]) -> PersonProposal | None:
    own = [p for p in people if p.organisation == party_name]
    if not own:
        return None

    def rank(p: PersonProposal) -> int:
        return _SIGNING_RANK.index(p.position) if p.position in _SIGNING_RANK else len(_SIGNING_RANK)

    return min(own, key=rank)
