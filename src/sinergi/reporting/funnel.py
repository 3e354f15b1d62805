"""The training funnel: registered → eligible → offered → accepted → attended → completed → certified
→ answered the tracer → employed / business.

Definitions (one person counted once per batch at each stage):
  registered  a submitted (not withdrawn) application to the batch; counted in the programme of its
              first-choice class, in the month it was made
  eligible    such an application meeting every eligibility rule of at least one class it chose
              (the same pure engine the application form uses)
  offered     a seat offered by a published allocation (declined and expired offers included), or an
              enrolment made without an offer; counted in the programme of the class offered
  accepted    an enrolment in a class of the batch (a seat taken)
  attended    an enrolment with at least one session attended
  completed   an enrolment confirmed as lulus, in the month it was confirmed
  certified   an enrolment with a certificate that is not revoked, in the month it was issued
  responded   a graduate who answered at least one tracer round, in the month of their first answer
  employed    such a graduate working (full or part time) or self-employed by the answer of their
              latest answered round (outcomes.employed_after counts the same way)
  business    such a graduate who reported a business started or grown in any round
              (outcomes.business_started)

refresh_funnel() rebuilds FunnelCount from the records (a job, like the commitments' stored values):
the dashboards then sum a few hundred stored rows instead of grouping a million applications live.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.jobs import job_handler
from sinergi.credentials.models import Credential
from sinergi.learning.models import Attendance, Enrolment
from sinergi.outcomes import tracer_default
from sinergi.outcomes.models import TracerResponse
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import Batch, Program
from sinergi.registration.models import Application, ApplicationChoice, Participant
from sinergi.registration.selectors import person_for, program_terms
from sinergi.reporting.models import FunnelCount, FunnelRefresh
from sinergi.selection.models import COUNTED_OFFER_STATUSES, Offer

STAGES = (
    "registered",
    "eligible",
    "offered",
    "accepted",
    "attended",
    "completed",
    "certified",
    "responded",
    "employed",
    "business",
)
# The tracer stages are shares of those who answered, not of the stage drawn before them.
TRACER_STAGES = ("employed", "business")
STAGE_LABELS = {
    "registered": _("Mendaftar"),
    "eligible": _("Memenuhi syarat"),
    "offered": _("Ditawari kursi"),
    "accepted": _("Menerima kursi"),
    "attended": _("Hadir di kelas"),
    "completed": _("Lulus"),
    "certified": _("Bersertifikat"),
    "responded": _("Menjawab tracer"),
    "employed": _("Bekerja / berwirausaha"),
    "business": _("Memulai / mengembangkan usaha"),
}
# Dimensions stored per programme, and those stored per batch (split by the person's domicile).
PROGRAM_DIMENSIONS = ("", "category", "sex", "age_band", "disability", "month")
REGION_DIMENSIONS = ("region", "region_category", "region_sex")
AGE_BANDS = ("<20", "20–24", "25–29", "30–39", "40–49", "50+")

REFRESH_JOB = "reporting.refresh_funnel"


def age_band(age: int) -> str:
    if age < 20:
        return "<20"
    if age < 25:
        return "20–24"
    if age < 30:
        return "25–29"
    if age < 40:
        return "30–39"
    if age < 50:
        return "40–49"
    return "50+"


# One grouped row of a stage: (batch, programme, category, sex, birth year, disability, kab/kota, month, n)
Row = tuple[int, int, str, str, int, bool, str, date | None, int]


def _grouped(qs, prefix: str, batch: str, program: str, month: str | None) -> Iterator[Row]:
    person = f"{prefix}participant__"
    fields = {
        "b": F(batch),
        "p": F(program),
        "cat": F(f"{person}category"),
        "sex": F(f"{person}sex"),
        "born": ExtractYear(f"{person}birth_date"),
        "dis": F(f"{person}has_disability"),
        "dom": F(f"{person}domicile_id"),
    }
    if month:
        fields["m"] = TruncMonth(month)
    rows = qs.annotate(**fields).values(*fields).annotate(n=Count("pk")).order_by()
    for r in rows.iterator(chunk_size=20000):
        m = r.get("m")
        yield (
            r["b"],
            r["p"],
            r["cat"],
            r["sex"],
            r["born"],
            r["dis"],
            r["dom"],
            m.date() if m else None,
            r["n"],
        )


def _registered() -> Iterator[Row]:
    first = ApplicationChoice.objects.filter(application=OuterRef("pk")).order_by("rank")
    qs = Application.objects.filter(status=Application.Status.SUBMITTED).annotate(
        first_program=Subquery(first.values("training_class__program_id")[:1])
    )
    return _grouped(qs.exclude(first_program=None), "", "batch_id", "first_program", "created_at")


def _eligible() -> Iterator[Row]:
    """The engine judges each application's chosen classes in memory, a batch's programmes at a time."""
    counts: Counter = Counter()
    for batch in Batch.objects.all():
        programs = list(Program.objects.filter(batch=batch).select_related("batch"))
        if not programs:
            continue
        terms = program_terms(programs)
        choices: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for application_id, class_id, program_id in (
            ApplicationChoice.objects.filter(
                application__batch=batch, application__status=Application.Status.SUBMITTED
            )
            .order_by("application_id", "rank")
            .values_list("application_id", "training_class_id", "training_class__program_id")
            .iterator(chunk_size=20000)
        ):
            choices[application_id].append((class_id, program_id))
        fields = ("id", "birth_date", "category", "domicile_id", "education", "nip", "sex", "nik_hash")
        rows = (
            Application.objects.filter(batch=batch, status=Application.Status.SUBMITTED)
            .values_list(
                "pk", *(f"participant__{f}" for f in fields), "participant__has_disability", "created_at"
            )
            .iterator(chunk_size=20000)
        )
        for application_id, *values in rows:
            person_values, disability, created_at = values[: len(fields)], values[-2], values[-1]
            chosen = choices.get(application_id)
            if not chosen:
                continue
            participant = Participant(**dict(zip(fields, person_values, strict=True)))
            person = replace(
                person_for(participant, None, with_enrolments=False), enrolled_class_ids=frozenset()
            )
            if any(not reasons_not_eligible(person, terms[p], c) for c, p in chosen):
                month = timezone.localtime(created_at).date().replace(day=1)
                key = (
                    batch.pk,
                    chosen[0][1],
                    participant.category,
                    participant.sex,
                    participant.birth_date.year,
                    disability,
                    participant.domicile_id,
                    month,
                )
                counts[key] += 1
    for key, n in counts.items():
        yield (*key, n)


def _offered() -> Iterator[Row]:
    offers = Offer.objects.filter(status__in=COUNTED_OFFER_STATUSES)
    yield from _grouped(offers, "", "batch_id", "training_class__program_id", "created_at")
    without_offer = Enrolment.objects.exclude(
        Exists(
            Offer.objects.filter(
                participant=OuterRef("participant"),
                batch=OuterRef("training_class__program__batch"),
                status__in=COUNTED_OFFER_STATUSES,
            )
        )
    )
    yield from _grouped(
        without_offer, "", "training_class__program__batch_id", "training_class__program_id", "created_at"
    )


def _enrolment_stage(qs, month: str) -> Iterator[Row]:
    return _grouped(qs, "", "training_class__program__batch_id", "training_class__program_id", month)


def _certified() -> Iterator[Row]:
    valid = Credential.objects.filter(enrolment=OuterRef("pk"), revoked_at__isnull=True)
    # A subquery, not a join: an enrolment with two certificates (completion and competency) is one person.
    qs = Enrolment.objects.filter(Exists(valid)).annotate(
        issued=Subquery(valid.order_by("issued_at").values("issued_at")[:1])
    )
    return _enrolment_stage(qs, "issued")


def _tracer_stages() -> dict[str, Counter]:
    """responded / employed / business per graduate, from their tracer answers (one pass over them)."""
    person = "invitation__enrolment__participant__"
    rows = TracerResponse.objects.values_list(
        "invitation__enrolment_id",
        "invitation__round__offset_months",
        "answers__activity",
        "answers__business",
        "submitted_at",
        "invitation__enrolment__training_class__program__batch_id",
        "invitation__enrolment__training_class__program_id",
        f"{person}category",
        f"{person}sex",
        f"{person}birth_date",
        f"{person}has_disability",
        f"{person}domicile_id",
    ).iterator(chunk_size=20000)
    graduates: dict[int, dict[str, Any]] = {}
    for enrolment, offset, activity, business, submitted, *key in rows:
        seen = graduates.get(enrolment)
        if seen is None:
            born = key[4]
            seen = graduates[enrolment] = {
                "key": (key[0], key[1], key[2], key[3], born.year if born else 0, key[5], key[6]),
                "first": submitted,
                "offset": -1,
                "employed": False,
                "business": False,
            }
        seen["first"] = min(seen["first"], submitted)
        if offset > seen["offset"]:
            seen["offset"], seen["employed"] = offset, activity in tracer_default.EMPLOYED
        seen["business"] = seen["business"] or business in tracer_default.BUSINESS_STARTED_OR_GROWN
    counts: dict[str, Counter] = {"responded": Counter(), "employed": Counter(), "business": Counter()}
    for seen in graduates.values():
        key = (*seen["key"], timezone.localtime(seen["first"]).date().replace(day=1))
        counts["responded"][key] += 1
        for stage in TRACER_STAGES:
            if seen[stage]:
                counts[stage][key] += 1
    return counts


def stage_rows() -> dict[str, Iterator[Row]]:
    attended = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
    return {
        "registered": _registered(),
        "eligible": _eligible(),
        "offered": _offered(),
        "accepted": _enrolment_stage(Enrolment.objects.all(), "created_at"),
        "attended": _enrolment_stage(Enrolment.objects.filter(Exists(attended)), "created_at"),
        "completed": _enrolment_stage(
            Enrolment.objects.filter(status=Enrolment.Status.COMPLETED), "completed_at"
        ),
        "certified": _certified(),
        **{stage: ((*key, n) for key, n in counter.items()) for stage, counter in _tracer_stages().items()},
    }


def aggregate(rows_by_stage: dict[str, Iterator[Row]], reference_years: dict[int, int]) -> Counter:
    """(batch, programme or None, stage, dimension, value) → count. Pure given the rows."""
    cells: Counter = Counter()
    for stage, rows in rows_by_stage.items():
        for batch, program, category, sex, born, disability, domicile, month, n in rows:
            values = {
                "": "",
                "category": category,
                "sex": sex,
                "age_band": age_band(reference_years.get(batch, born) - born) if born else "",
                "disability": "ya" if disability else "tidak",
                "month": month.strftime("%Y-%m") if month else "",
            }
            for dimension in PROGRAM_DIMENSIONS:
                cells[(batch, program, stage, dimension, values[dimension])] += n
            domicile = domicile or ""
            cells[(batch, None, stage, "region", domicile)] += n
            cells[(batch, None, stage, "region_category", f"{domicile}|{category}")] += n
            cells[(batch, None, stage, "region_sex", f"{domicile}|{sex}")] += n
    return cells


def refresh_funnel() -> int:
    """Rebuild the stored funnel from the records; returns the number of rows stored."""
    started = time.monotonic()
    years = {
        pk: timezone.localtime(closes).year
        for pk, closes in Batch.objects.values_list("pk", "registration_closes")
    }
    cells = aggregate(stage_rows(), years)
    with transaction.atomic():
        FunnelCount.objects.all().delete()
        FunnelCount.objects.bulk_create(
            (
                FunnelCount(batch_id=b, program_id=p, stage=s, dimension=d, value=v, count=n)
                for (b, p, s, d, v), n in cells.items()
            ),
            batch_size=5000,
        )
        FunnelRefresh.objects.all().delete()
        FunnelRefresh.objects.create(
            refreshed_at=timezone.now(), seconds=time.monotonic() - started, rows=len(cells)
        )
    return len(cells)


@job_handler(REFRESH_JOB)
def refresh_job(job: Any, **params: Any) -> dict[str, Any]:
    return {"rows": refresh_funnel()}


def last_refresh() -> FunnelRefresh | None:
    return FunnelRefresh.objects.order_by("-refreshed_at").first()


def seed_demo(stdout=None) -> None:
    """The demo's last step: count what the earlier steps made, so the dashboards are not empty."""
    refresh_funnel()
