"""Scoped reads of participants and applications."""

from __future__ import annotations

from django.db.models import QuerySet

from sinergi.accounts.scoping import scope_for
from sinergi.registration.models import Application, Participant


def participants_visible_to(user) -> QuerySet[Participant]:
    """National: all. Regional: domiciled in the region or applying to one of its batches.
    Provider staff: enrolled in one of their organisation's classes. Participant: themself."""
    scope = scope_for(user)
    qs = Participant.objects.select_related("domicile")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(
            scope.region_q("domicile") | scope.region_q("applications__batch__region")
        ).distinct()
    if scope.role == "provider_staff" and scope.organization_id:
        return qs.filter(scope.organization_ids_q("enrolments__training_class__provider")).distinct()
    if scope.user_id is not None:
        return qs.filter(user_id=scope.user_id)
    return qs.none()


def applications_visible_to(user) -> QuerySet[Application]:
    scope = scope_for(user)
    qs = Application.objects.select_related("participant", "batch")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("batch__region"))
    if scope.role == "provider_staff" and scope.organization_id:
        return qs.filter(scope.organization_ids_q("choices__training_class__provider")).distinct()
    if scope.user_id is not None:
        return qs.filter(participant__user_id=scope.user_id)
    return qs.none()
