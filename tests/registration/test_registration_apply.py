"""Applying: the catalogue says who may apply and why not; ranked choices, reorder, withdraw, the window."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    BatchFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    region,
)

from sinergi.programs.models import Batch, EligibilityRule
from sinergi.registration.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """An open Palembang batch with four open classes and one for ASN only."""
    batch = BatchFactory(max_choices=3)
    program = ProgramFactory(batch=batch, name="Literasi Digital")
    classes = [TrainingClassFactory(program=program, name=f"Kelas {i}") for i in "ABCD"]
    asn_program = ProgramFactory(batch=batch, name="Pelatihan TI ASN", target_categories=["asn"])
    EligibilityRule.objects.create(program=asn_program, kind="asn_only", params={})
    asn_class = TrainingClassFactory(program=asn_program, name="Kelas ASN")
    user = UserFactory(role="participant")
    participant = ParticipantFactory(user=user, consent_version="2026-11", consented_at=timezone.now())
    return batch, classes, asn_class, user, participant


def post_ranking(client, batch, classes):
    return client.post(
        reverse("registration:apply_submit", args=[batch.pk]), {"kelas": [c.pk for c in classes]}
    )


def ranking(participant, batch):
    application = Application.objects.get(participant=participant, batch=batch)
    return application.status, [c.training_class.name for c in application.choices.order_by("rank")]


def test_catalogue_is_public_and_shows_seats(client, setting):
    batch, classes, asn_class, *_ = setting
    body = client.get(reverse("registration:catalogue")).content.decode()
    assert batch.name in body and "Kelas A" in body and "30 kursi" in body
    assert "✓ Anda memenuhi syarat" not in body


def test_catalogue_tells_a_participant_why_not(client, setting):
    _batch, _classes, _asn_class, user, _participant = setting
    client.force_login(user)
    body = client.get(reverse("registration:catalogue")).content.decode()
    assert "Anda memenuhi syarat" in body
    assert "Program ini untuk kategori ASN; kategori Anda Umum." in body
    assert "Khusus ASN; kategori Anda Umum." in body


def test_draft_rank_reorder_and_submit(client, setting):
    batch, classes, _asn, user, participant = setting
    client.force_login(user)
    edit = reverse("registration:apply_edit", args=[batch.pk])
    for c in classes[:3]:
        client.post(edit, {"aksi": f"tambah:{c.pk}"})
    client.post(edit, {"aksi": f"naik:{classes[2].pk}"})  # C above B
    page = client.get(reverse("registration:apply", args=[batch.pk]))
    assert [c.name for c in page.context["draft"]] == ["Kelas A", "Kelas C", "Kelas B"]
    assert "belum dikirim" in page.content.decode()
    # A fourth is refused: the batch allows three.
    response = client.post(edit, {"aksi": f"tambah:{classes[3].pk}"}, follow=True)
    assert "Paling banyak 3 pilihan kelas" in response.content.decode()
    response = post_ranking(client, batch, page.context["draft"])
    assert response.status_code == 302
    assert ranking(participant, batch) == ("submitted", ["Kelas A", "Kelas C", "Kelas B"])
    # Reorder after submitting, then save again: still one application.
    client.post(edit, {"aksi": f"turun:{classes[0].pk}"})
    page = client.get(reverse("registration:apply", args=[batch.pk]))
    post_ranking(client, batch, page.context["draft"])
    assert ranking(participant, batch) == ("submitted", ["Kelas C", "Kelas A", "Kelas B"])
    assert Application.objects.count() == 1
    body = client.get(reverse("registration:my_applications")).content.decode()
    assert "Terkirim" in body and "Kelas C" in body


def test_double_submit_is_harmless(client, setting):
    batch, classes, _asn, user, participant = setting
    client.force_login(user)
    post_ranking(client, batch, classes[:2])
    post_ranking(client, batch, classes[:2])
    assert Application.objects.filter(participant=participant).count() == 1
    assert ranking(participant, batch)[1] == ["Kelas A", "Kelas B"]


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        (
            lambda classes, asn: classes[:4],
            "Paling banyak 3 pilihan kelas pada gelombang ini; Anda memilih 4.",
        ),
        (lambda classes, asn: [classes[0], classes[0]], "Kelas yang sama dipilih lebih dari sekali."),
        (lambda classes, asn: [asn], "Anda belum memenuhi syarat kelas Kelas ASN"),
        (lambda classes, asn: [], "Pilih minimal satu kelas."),
    ],
)
def test_bad_rankings_are_refused(client, setting, pick, message):
    batch, classes, asn_class, user, participant = setting
    client.force_login(user)
    response = client.post(
        reverse("registration:apply_submit", args=[batch.pk]),
        {"kelas": [c.pk for c in pick(classes, asn_class)]},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_class_of_another_batch_is_refused(client, setting):
    batch, classes, _asn, user, _participant = setting
    elsewhere = TrainingClassFactory()
    client.force_login(user)
    response = post_ranking(client, batch, [classes[0], elsewhere])
    assert not Application.objects.exists() and response.status_code == 302


def test_withdraw_then_apply_again(client, setting):
    batch, classes, _asn, user, participant = setting
    client.force_login(user)
    post_ranking(client, batch, classes[:1])
    client.post(reverse("registration:apply_withdraw", args=[batch.pk]))
    assert ranking(participant, batch)[0] == "withdrawn"
    post_ranking(client, batch, classes[1:2])
    assert ranking(participant, batch) == ("submitted", ["Kelas B"])


def test_nothing_changes_after_the_window_closes(client, setting):
    batch, classes, _asn, user, participant = setting
    client.force_login(user)
    post_ranking(client, batch, classes[:1])
    Batch.objects.filter(pk=batch.pk).update(registration_closes=timezone.now() - timedelta(minutes=1))
    response = post_ranking(client, batch, classes[1:2])
    follow = client.get(response.url).content.decode()
    assert "sudah ditutup" in follow
    assert ranking(participant, batch) == ("submitted", ["Kelas A"])
    client.post(reverse("registration:apply_withdraw", args=[batch.pk]))
    assert ranking(participant, batch)[0] == "submitted"


def test_status_closed_is_enforced_even_inside_the_dates(client, setting):
    batch, classes, _asn, user, participant = setting
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.CLOSED)
    client.force_login(user)
    post_ranking(client, batch, classes[:1])
    assert not Application.objects.exists()


def test_draft_batch_is_not_found(client, setting):
    _batch, _classes, _asn, user, _participant = setting
    draft = BatchFactory(status=Batch.Status.DRAFT)
    client.force_login(user)
    assert client.get(reverse("registration:apply", args=[draft.pk])).status_code == 404


def test_enrolled_elsewhere_in_the_batch(client, setting):
    batch, classes, _asn, user, participant = setting
    program = classes[0].program
    EligibilityRule.objects.create(program=program, kind="not_enrolled_in_batch", params={})
    EnrolmentFactory(participant=participant, training_class=classes[3])
    client.force_login(user)
    page = client.get(reverse("registration:apply", args=[batch.pk]))
    reasons = dict((c.name, r) for c, r in page.context["ineligible"])
    assert reasons["Kelas A"] == ["Anda sudah terdaftar sebagai peserta kelas lain pada gelombang ini."]
    assert "Kelas D" not in reasons  # the class they are in is not "another" class


def test_age_and_domicile_rules_on_the_apply_page(client, setting):
    batch, classes, _asn, user, participant = setting
    program = ProgramFactory(batch=batch, name="Talenta Muda")
    EligibilityRule.objects.create(program=program, kind="age", params={"max": 24})
    EligibilityRule.objects.create(program=program, kind="domicile", params={"regions": ["64"]})
    TrainingClassFactory(program=program, name="Kelas Muda", region=region("64.72"))
    client.force_login(user)
    page = client.get(reverse("registration:apply", args=[batch.pk]))
    reasons = dict((c.name, r) for c, r in page.context["ineligible"])
    closes = timezone.localtime(batch.registration_closes).date()
    age = closes.year - 1998 - ((closes.month, closes.day) < (5, 17))
    assert reasons["Kelas Muda"] == [
        f"Usia maksimal 24 tahun pada {closes:%d-%m-%Y}; usia Anda saat itu {age} tahun.",
        "Khusus penduduk berdomisili di Provinsi Kalimantan Timur; domisili Anda Kota Palembang.",
    ]


def test_without_profile_the_apply_page_sends_to_the_profile(client, setting):
    batch, *_ = setting
    client.force_login(UserFactory(role="participant"))
    response = client.get(reverse("registration:apply", args=[batch.pk]))
    assert response.url.startswith(reverse("registration:profile"))


def test_participant_sees_only_own_application(client, setting):
    batch, classes, _asn, user, participant = setting
    other = ParticipantFactory(user=UserFactory(role="participant"), birth_date=date(1990, 1, 1))
    from tests.factories import apply_to

    apply_to(other, [classes[3]])
    client.force_login(user)
    page = client.get(reverse("registration:apply", args=[batch.pk]))
    assert page.context["application"] is None


def test_bench_baseline_view_does_not_exist_in_normal_runs(client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("registration:bench_insert")
    assert client.post("/bench/sisip-satu-baris/").status_code == 404
