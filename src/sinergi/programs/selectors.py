"""Scoped reads of batches, programmes and classes, and of the programme management pages: only
national and regional admins manage, each within their scope; anything else (or another region's
record) is a 404."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.programs.models import Academy, Batch, EligibilityRule, Level, Program, TrainingClass
from sinergi.regions.models import Region

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


def open_batches(user) -> QuerySet[Batch]:
    return batches_visible_to(user).filter(status=Batch.Status.OPEN)


def open_classes(user) -> QuerySet[TrainingClass]:
    """Every class of a batch open for registration that the user may see."""
    return TrainingClass.objects.filter(program__batch__in=open_batches(user).values("pk"))


def catalogue_classes(
    user, *, mode: str = "", level: str = "", academy: str = "", region_code: str = "", query: str = ""
) -> QuerySet[TrainingClass]:
    """The catalogue's classes, filtered and in the order the page lists them (closing first)."""
    classes = open_classes(user)
    if mode in TrainingClass.Mode.values:
        classes = classes.filter(mode=mode)
    if level in Level.values:
        classes = classes.filter(program__level=level)
    if academy:
        classes = classes.filter(program__academy__code=academy)
    if region_code:
        # A province includes its kab/kota.
        classes = classes.filter(Q(region__code=region_code) | Q(region__code__startswith=f"{region_code}."))
    if query:
        classes = classes.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(program__name__icontains=query)
        )
    return classes.select_related(
        "program__batch__region", "program__academy", "region", "provider"
    ).order_by(
        "program__batch__registration_closes", "program__batch_id", "program__name", "program_id", "code"
    )


def catalogue_academies(user) -> QuerySet:
    """(code, name) of the academies with a programme in an open batch: the catalogue's filter."""
    return (
        Academy.objects.filter(programs__batch__in=open_batches(user).values("pk"))
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )


def catalogue_regions(user) -> QuerySet:
    """(code, name) of the regions where an open class is held: the catalogue's filter."""
    held_in = open_classes(user).exclude(region=None).values("region_id").distinct()
    return Region.objects.filter(code__in=held_in).order_by("code").values_list("code", "name")


# --- programme management (national and regional admins) ---------------------------------------------


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
