"""The refusal to change a published allocation is translatable: Indonesian source, English on request."""

import pytest
from django.utils import translation
from tests.factories import regional_admin

from sinergi.selection.models import PublishedRunError

pytestmark = pytest.mark.django_db


def test_a_published_run_refuses_changes_in_the_reader_s_language():
    from tests.factories import allocation_run

    run = allocation_run(regional_admin("16.71"), published=True)
    for language, expected in (
        ("id", "Alokasi yang sudah diterbitkan tidak dapat diubah."),
        ("en", "A published allocation cannot be changed."),
    ):
        with translation.override(language):
            with pytest.raises(PublishedRunError) as refused:
                run.save()
            assert str(refused.value) == expected
