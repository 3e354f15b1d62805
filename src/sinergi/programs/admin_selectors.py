"""Reads for the programme management pages: only national and regional admins manage, each within
their scope; anything else (or another region's record) is a 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.programs.models import Academy, Batch, EligibilityRule, Program, TrainingClass
from sinergi.programs.selectors import batches_visible_to


def require_manager(user) -> None:
    scope = scope_for(user)
    if not (scope.is_national or scope.is_regional):
        raise Http404


def managed_batches(user) -> QuerySet[Batch]:
    require_manager(user)
    return batches_visible_to(user).annotate(
        program_count=Count("programs", distinct=True),
        class_count=Count("programs__classes", distinct=True),
        seat_count=Sum("programs__classes__capacity"),
    )


def managed_batch(user, pk: int) -> Batch:
    return get_visible_or_404(managed_batches(user), pk=pk)


def managed_programs(user) -> QuerySet[Program]:
    require_manager(user)
    return Program.objects.filter(batch__in=batches_visible_to(user)).select_related(
        "batch", "academy", "region"
    )


def managed_program(user, pk: int) -> Program:
    return get_visible_or_404(managed_programs(user).prefetch_related("agreements"), pk=pk)


def batch_programs(user, batch: Batch) -> QuerySet[Program]:
    """The batch's programmes on its page, each with its seat total, classes, rules and agreements."""
    return (
        managed_programs(user)
        .filter(batch=batch)
        .annotate(seats=Sum("classes__capacity"))
        .prefetch_related("classes", "rules", "agreements")
    )


def managed_class(user, pk: int) -> TrainingClass:
    qs = TrainingClass.objects.filter(program__in=managed_programs(user)).select_related(
        "program__batch", "provider", "region"
    )
    return get_visible_or_404(qs, pk=pk)


def managed_rule(user, pk: int) -> EligibilityRule:
    qs = EligibilityRule.objects.filter(program__in=managed_programs(user)).select_related("program__batch")
    return get_visible_or_404(qs, pk=pk)


def academies_for(user) -> QuerySet[Academy]:
    """National academies and those of regions within the admin's scope."""
    require_manager(user)
    scope = scope_for(user)
    qs = Academy.objects.select_related("region")
    if scope.is_national:
        return qs
    return qs.filter(Q(region__isnull=True) | scope.region_q("region"))
