from __future__ import annotations

from sinergi.learning.models import Enrolment
from sinergi.programs.models import TrainingClass
from sinergi.registration.models import Participant


def enrol(participant: Participant, training_class: TrainingClass) -> Enrolment:
    """Called by selection when a seat offer is accepted; idempotent."""
    enrolment, _ = Enrolment.objects.get_or_create(participant=participant, training_class=training_class)
    return enrolment
