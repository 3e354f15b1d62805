"""Scoped reads of credentials and of the classes a user may issue certificates for.

National admins see every credential; regional admins those of classes in their region; provider
staff (and LSP staff) those of their organisation's classes or that their organisation issued;
participants only their own; the public none (the public verifies by number instead).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.credentials.models import Credential, Issuer
from sinergi.programs.models import TrainingClass
from sinergi.programs.selectors import classes_visible_to


def credentials_visible_to(user) -> QuerySet[Credential]:
    scope = scope_for(user)
    qs = Credential.objects.select_related(
        "issuer__organization",
        "enrolment__participant",
        "enrolment__training_class__program__academy",
        "enrolment__training_class__region",
    )
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(
            scope.region_q("enrolment__training_class__region")
            | scope.region_q("enrolment__training_class__program__region")
        )
    if scope.role in ("provider_staff", "assessor") and scope.organization_id:
        return qs.filter(
            scope.organization_ids_q("enrolment__training_class__provider")
            | scope.organization_ids_q("issuer__organization")
        )
    if scope.role == "participant" and scope.user_id:
        return qs.filter(enrolment__participant__user_id=scope.user_id)
    return qs.none()


def credential_list(user, query: str = "") -> QuerySet[Credential]:
    """The officers' list /sertifikat/: newest first (index credential_newest_first), searchable by
    number or holder, without the signed documents (several KB a row that the list never shows)."""
    credentials = credentials_visible_to(user).defer("document")
    if query:
        credentials = credentials.filter(Q(number__icontains=query) | Q(holder_name__icontains=query))
    return credentials


def credential_for(user, pk: int) -> Credential:
    return get_visible_or_404(credentials_visible_to(user), pk=pk)


def my_credentials(user) -> QuerySet[Credential]:
    """A participant's own certificates, whatever their role says: scoped to the signed-in person."""
    if not getattr(user, "is_authenticated", False):
        return Credential.objects.none()
    return credentials_visible_to(user).filter(enrolment__participant__user_id=user.pk)


def wallet_credential(pk: int, holder_user_id: int) -> Credential:
    """The credential a signed wallet link names: the link stands in for the holder's session, so it is
    found only among the holder's own credentials (404 otherwise)."""
    qs = Credential.objects.filter(enrolment__participant__user_id=holder_user_id)
    return get_visible_or_404(qs, pk=pk)


def issuable_classes(user) -> QuerySet[TrainingClass]:
    """Classes whose certificates the user may issue and revoke: the provider's staff, and regional or
    national admins for classes in their scope."""
    scope = scope_for(user)
    if scope.role in ("provider_staff", "regional_admin", "national_admin"):
        return classes_visible_to(user)
    return TrainingClass.objects.none()


def can_manage(user, credential: Credential) -> bool:
    if credential.enrolment is None:  # an award: managed by the national office that grants it
        return scope_for(user).is_national
    return issuable_classes(user).filter(pk=credential.enrolment.training_class_id).exists()


def issuer_public(pk: int) -> Issuer:
    """Issuer profiles and status lists are public by design (verifiers need them)."""
    return get_visible_or_404(Issuer.objects.select_related("organization__region"), pk=pk)
