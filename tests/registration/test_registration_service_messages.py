"""Validation messages of the registration services are translatable: the same refusal in English."""

import pytest
from django.utils import translation
from tests.factories import BatchFactory

from sinergi.programs.models import Batch
from sinergi.registration import services

pytestmark = pytest.mark.django_db


def test_the_registration_window_refusal_follows_the_language():
    draft = BatchFactory(status=Batch.Status.DRAFT)
    with translation.override("id"):
        indonesian = services.registration_window_error(draft)
    with translation.override("en"):
        english = services.registration_window_error(draft)
    assert indonesian == "Pendaftaran gelombang ini belum dibuka."
    assert english == "Registration for this batch has not opened yet."
