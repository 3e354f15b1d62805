"""Retention of applications withdrawn long ago (UU 27/2022): deleted, unless an allocation run
snapshotted them (a published run stays reproducible from its inputs)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from sinergi.core.retention import add_policy
from sinergi.registration.models import Application
from sinergi.selection.models import RunEntry


def _withdrawn(cutoff):
    in_a_run = RunEntry.objects.filter(application=OuterRef("pk"))
    return Application.objects.filter(status=Application.Status.WITHDRAWN, updated_at__lt=cutoff).exclude(
        Exists(in_a_run)
    )


add_policy("withdrawn_applications", _("Pendaftaran yang ditarik"), _withdrawn)
