"""Scoped reads of batches, programmes and classes."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from sinergi.accounts.scoping import scope_for
from sinergi.programs.models import Batch, Program, TrainingClass

_PUBLISHED = (Batch.Status.OPEN, Batch.Status.CLOSED, Batch.Status.ALLOCATED)


def batches_visible_to(user) -> QuerySet[Batch]:
    scope = scope_for(user)
    qs = Batch.objects.select_related("region", "organizer")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    if scope.role == "provider_staff" and scope.organization_id:
        return qs.filter(
            Q(programs__classes__provider=scope.organization_id)
            | Q(programs__classes__provider__parent=scope.organization_id)
        ).distinct()
    # Participants and the public see what has been announced.
    return qs.filter(status__in=_PUBLISHED)


def programs_visible_to(user) -> QuerySet[Program]:
    return Program.objects.filter(batch__in=batches_visible_to(user)).select_related("batch", "academy")


def classes_visible_to(user) -> QuerySet[TrainingClass]:
    scope = scope_for(user)
    qs = TrainingClass.objects.select_related("program__batch", "program__academy", "provider", "region")
    if scope.role == "provider_staff":
        assert scope.organization_id is not None
        return qs.filter(scope.organization_ids_q("provider"))
    return qs.filter(program__batch__in=batches_visible_to(user))


def open_batches_with_classes(user, *, mode: str = "") -> list[Batch]:
    """The catalogue: batches open for registration, with their programmes and classes (of one mode)."""
    return list(
        batches_visible_to(user)
        .filter(status=Batch.Status.OPEN)
        .order_by("registration_closes", "pk")
        .prefetch_related(
            Prefetch(
                "programs",
                queryset=Program.objects.select_related("academy").prefetch_related(
                    Prefetch(
                        "classes",
                        queryset=TrainingClass.objects.select_related("region", "provider").filter(
                            **({"mode": mode} if mode in TrainingClass.Mode.values else {})
                        ),
                    )
                ),
            )
        )
    )
