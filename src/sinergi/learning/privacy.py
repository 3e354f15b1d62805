"""Retention of rejected applicants (UU 27/2022): a person who was never enrolled in any class, whose
last application is to a batch that closed longer ago than the period, and who has not signed in
since, is pseudonymised as an erasure would (registration.privacy.erase). Their applications stay,
as the published allocation runs that ranked them refer to them, but no longer name anyone."""

from __future__ import annotations

from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.retention import add_policy
from sinergi.learning.models import Enrolment
from sinergi.registration.models import Participant
from sinergi.registration.privacy import erase_many


def _rejected(cutoff):
    enrolled = Enrolment.objects.filter(participant=OuterRef("pk"))
    return (
        Participant.objects.filter(erased_at__isnull=True, applications__isnull=False)
        .annotate(last_closed=Max("applications__batch__registration_closes"))
        .filter(last_closed__lt=cutoff)
        .filter(Q(user__isnull=True) | Q(user__last_login__isnull=True) | Q(user__last_login__lt=cutoff))
        .exclude(Exists(enrolled))
    )


add_policy("rejected_applications", _("Pendaftar yang tidak pernah mendapat kelas"), _rejected, erase_many)
