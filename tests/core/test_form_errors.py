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


def summary_of(html: str) -> str:
    return html.split('id="ringkasan-galat"', 1)[1].split("</div>", 1)[0]


def title_of(html: str) -> str:
    return html.split("<title>", 1)[1].split("</title>", 1)[0]


def test_a_refused_profile_has_a_linked_summary_and_an_error_title(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="warga.baru"))
    page = client.get(reverse("registration:profile")).content.decode()
    assert 'id="ringkasan-galat"' not in page
    assert not title_of(page).startswith("Kesalahan")
    html = client.post(reverse("registration:profile"), {"full_name": "Dewi", "sex": ""}).content.decode()
    assert title_of(html) == "Kesalahan: Profil peserta · Sinergi"
    summary = summary_of(html)
    assert '<a href="#id_birth_date">Tanggal lahir:' in summary
    assert '<a href="#id_sex_0">Jenis kelamin:' in summary  # a group of radios: its first option
    assert '<a href="#id_consent">Persetujuan: Centang persetujuan pemberitahuan privasi' in summary
    assert 'aria-describedby="id_sex_error"' in html  # the radios' fieldset names its error
    described_ids_are_present(html)


def test_a_refused_agreement_links_each_row_error_to_its_field(client):
    from tests.factories import regional_admin
    from tests.partnerships.test_partnerships_workflow_forms import CREATE, palembang_post, seats

    from sinergi.core.demo import seed_foundation

    seed_foundation()
    client.force_login(regional_admin("16.71"))
    described_ids_are_present(client.get(CREATE).content.decode())
    html = client.post(
        CREATE, palembang_post(title="", commitments=[seats(target_value="")])
    ).content.decode()
    assert title_of(html).startswith("Kesalahan: ")
    summary = summary_of(html)
    assert '<a href="#id_title">Judul' in summary
    assert '<a href="#id_komitmen-0-target_value">Komitmen 1 — Target: ' in summary
    described_ids_are_present(html)


def test_a_refused_status_change_on_the_agreement_page_gets_the_summary(client):
    from tests.factories import regional_admin
    from tests.partnerships.test_partnerships_workflow_forms import CREATE, palembang_post

    from sinergi.core.demo import seed_foundation
    from sinergi.partnerships.models import Agreement

    seed_foundation()
    client.force_login(regional_admin("16.71"))
    client.post(CREATE, palembang_post())
    agreement = Agreement.objects.get()
    url = reverse("partnerships:manage_transition", args=[agreement.pk])
    html = client.post(url, {"to_status": "pembahasan", "reason": ""}).content.decode()
    assert title_of(html).startswith("Kesalahan: Kelola: ")
    assert '<a href="#id_reason">Alasan: Alasan wajib diisi untuk mengubah status.</a>' in summary_of(html)
    described_ids_are_present(html)


def test_a_refused_duplicate_decision_names_the_radio_group(client):
    from datetime import date

    from tests.factories import ParticipantFactory, regional_admin

    from sinergi.registration.services import flag_duplicates

    ParticipantFactory(full_name="Muhammad Rizki Pratama", birth_date=date(1995, 3, 9))
    other = ParticipantFactory(full_name="Muhamad Rizky Pratama", birth_date=date(1995, 3, 9))
    (flag,) = flag_duplicates(other)
    client.force_login(regional_admin(other.domicile_id))
    html = client.post(
        reverse("registration:duplicate_detail", args=[flag.pk]), {"note": ""}
    ).content.decode()
    assert '<a href="#id_decision_0">' in summary_of(html)
    described_ids_are_present(html)
