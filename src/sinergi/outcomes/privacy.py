"""Retention of tracer answers (UU 27/2022): answers older than the period are deleted; the
indicators of rounds that long past are no longer read from them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sinergi.core.retention import add_policy
from sinergi.outcomes.models import TracerResponse

add_policy(
    "tracer_answers",
    _("Jawaban survei pelacakan"),
    lambda cutoff: TracerResponse.objects.filter(submitted_at__lt=cutoff),
)
