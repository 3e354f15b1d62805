"""Shared form templates: after a failed submit an error summary at the top links to each field, and
every id an input's aria-describedby names (…_helptext, …_error) is carried by an element."""

import re

import pytest
from django.urls import reverse
from tests.factories import ClassSessionFactory, TrainingClassFactory, provider_staff

pytestmark = pytest.mark.django_db


def described_ids_are_present(html: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for names in re.findall(r'aria-describedby="([^"]+)"', html):
        for name in names.split():
            assert name in ids, f"aria-describedby names {name}, which no element carries"


def test_a_failed_submit_shows_a_summary_linking_to_the_fields(client):
    staff = provider_staff("16.71")
    tc = TrainingClassFactory(provider=staff.organization)
    client.force_login(staff)
    url = reverse("learning:session_generate", args=[tc.pk])
    described_ids_are_present(client.get(url).content.decode())
    html = client.post(url, {"jam_mulai": "10:00", "jam_selesai": "09:00"}).content.decode()
    summary = html.split('id="ringkasan-galat"', 1)[1].split("</div>", 1)[0]
    assert "Periksa isian berikut" in summary
    assert '<a href="#id_jumlah">Jumlah sesi:' in summary
    assert '<a href="#id_jam_selesai">Jam selesai: Jam selesai harus setelah jam mulai.' in summary
    assert 'id="id_jumlah_error"' in html
    described_ids_are_present(html)


def test_registration_and_agreement_field_templates_carry_the_described_ids(client):
    staff = provider_staff("16.71")
    session = ClassSessionFactory(training_class=TrainingClassFactory(provider=staff.organization))
    client.force_login(staff)
    html = client.post(reverse("learning:session_edit", args=[session.pk]), {"topic": ""}).content.decode()
    described_ids_are_present(html)
    described_ids_are_present(client.get(reverse("registration:signup")).content.decode())
