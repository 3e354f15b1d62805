"""Reads of award cycles. Cycles and, once published, results are public; before that a nomination is
seen by the national admin, the cycle's jurors and the officers of the nominee's region."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.awards.models import AwardCycle, JuryScore, Nomination


def cycles() -> QuerySet[AwardCycle]:
    return AwardCycle.objects.all()


def cycle_for(pk: int) -> AwardCycle:
    return get_visible_or_404(cycles(), pk=pk)


def is_juror(user, cycle: AwardCycle) -> bool:
    return bool(user.is_authenticated and cycle.jurors.filter(pk=user.pk).exists())


def nominations_visible_to(user, cycle: AwardCycle) -> QuerySet[Nomination]:
    qs = Nomination.objects.filter(category__cycle=cycle).select_related("region", "category", "credential")
    if cycle.status == AwardCycle.Status.PUBLISHED:
        return qs
    scope = scope_for(user)
    if scope.is_national or is_juror(user, cycle):
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def nomination_for_juror(user, pk: int) -> Nomination:
    qs = Nomination.objects.select_related("category__cycle", "region").filter(
        Q(category__cycle__jurors=user.pk)
    )
    return get_visible_or_404(qs, pk=pk)


def nominations_scored_by(user, cycle: AwardCycle) -> set[int]:
    """Ids of the cycle's nominations the user has scored: their own scores only."""
    return set(
        JuryScore.objects.filter(juror_id=user.pk, nomination__category__cycle=cycle).values_list(
            "nomination_id", flat=True
        )
    )


def own_jury_score(user, nomination: Nomination) -> JuryScore | None:
    return JuryScore.objects.filter(nomination=nomination, juror_id=user.pk).first()
