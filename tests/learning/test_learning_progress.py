"""Completion proposals and confirmation, the participant's "Kelas saya", competency results, rules."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    OrganizationFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    national_admin,
    provider_staff,
    regional_admin,
)

from sinergi.accounts.models import Organization, Role
from sinergi.core.models import Notification
from sinergi.learning import services
from sinergi.learning.models import CompetencyResult, CompetencyUnit, CompletionRule, Enrolment

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff():
    return provider_staff("16.71")


def past_class(staff, sessions=8):
    tc = TrainingClassFactory(
        provider=staff.organization,
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY - datetime.timedelta(days=2),
        hours=4 * sessions,  # the schedule holds the whole class
    )
    for n in range(1, sessions + 1):
        ClassSessionFactory(training_class=tc, number=n, date=tc.starts_on + datetime.timedelta(days=7 * n))
    return tc


def running_class(staff, held=5, upcoming=3):
    tc = TrainingClassFactory(
        provider=staff.organization,
        starts_on=TODAY - datetime.timedelta(days=40),
        ends_on=TODAY + datetime.timedelta(days=30),
        hours=4 * (held + upcoming),
    )
    for n in range(1, held + upcoming + 1):
        day = (
            TODAY - datetime.timedelta(days=7 * (held - n + 1))
            if n <= held
            else TODAY + datetime.timedelta(days=7 * (n - held))
        )
        ClassSessionFactory(training_class=tc, number=n, date=day)
    return tc


def enrol_person(tc, **kwargs):
    return EnrolmentFactory(participant=ParticipantFactory(user=UserFactory(), **kwargs), training_class=tc)


def attend(tc, enrolment, count, user=None):
    for session in tc.sessions.order_by("number")[:count]:
        present = set(session.attendances.filter(present=True).values_list("enrolment_id", flat=True))
        services.mark_attendance(session, present | {enrolment.pk}, user=user)


def test_participant_sees_exactly_what_is_missing(client, staff):
    tc = running_class(staff)
    CompletionRule.objects.create(
        program=tc.program, min_attendance_percent=80, min_final_score=Decimal("70")
    )
    enrolment = enrol_person(tc)
    attend(tc, enrolment, 5)
    client.force_login(enrolment.participant.user)
    body = client.get(reverse("learning:my_classes")).content.decode()
    assert tc.name in body
    assert "Kehadiran 62 % dari minimal 80 %: hadiri 2 sesi lagi" in body
    assert "Nilai akhir belum diisi penyelenggara (minimal 70)" in body
    assert "Hadir 5 dari 8 sesi" in body


def test_participant_sees_only_own_classes(client, staff):
    tc = running_class(staff)
    mine = enrol_person(tc)
    other = TrainingClassFactory(name="Kelas Orang Lain")
    EnrolmentFactory(training_class=other)
    client.force_login(mine.participant.user)
    body = client.get(reverse("learning:my_classes")).content.decode()
    assert "Kelas Orang Lain" not in body
    # The delivery pages are not the participant's.
    assert client.get(reverse("learning:class_detail", args=[tc.pk])).status_code == 403
    assert client.get(reverse("learning:class_list")).status_code == 403


def test_participant_without_enrolment_gets_friendly_empty_page(client):
    client.force_login(UserFactory())
    body = client.get(reverse("learning:my_classes")).content.decode()
    assert "belum terdaftar di kelas mana pun" in body


def test_bulk_confirm_completes_and_fails_and_skips_running(client, staff):
    tc = past_class(staff)
    CompletionRule.objects.create(program=tc.program, min_attendance_percent=75)
    good, weak = enrol_person(tc), enrol_person(tc)
    attend(tc, good, 7)
    attend(tc, weak, 3)
    running = running_class(staff)
    client.force_login(staff)
    body = client.post(
        reverse("learning:completion", args=[tc.pk]), {"enrolment": [good.pk, weak.pk]}, follow=True
    ).content.decode()
    assert "1 lulus, 1 tidak lulus" in body
    good.refresh_from_db()
    weak.refresh_from_db()
    assert good.status == Enrolment.Status.COMPLETED and good.completed_at and good.decided_by == staff
    assert weak.status == Enrolment.Status.NOT_COMPLETED and weak.completed_at is None
    # Audited, with the actor.
    entry = LogEntry.objects.get_for_object(good).filter(changes__icontains="completed").first()
    assert entry is not None and entry.actor == staff
    # The participant is told.
    assert Notification.objects.filter(user=good.participant.user, title__icontains="lulus").exists()

    # In a running class, a participant who still can make it is left alone.
    pending = enrol_person(running)
    attend(running, pending, 4)
    counts = services.confirm_completion(running, [pending.pk], user=staff, today=TODAY)
    assert counts["skipped"] == 1
    pending.refresh_from_db()
    assert pending.status == Enrolment.Status.ACTIVE


def test_manual_decision_overrides_the_proposal(client, staff):
    tc = past_class(staff)
    enrolment = enrol_person(tc)
    client.force_login(staff)
    url = reverse("learning:decide", args=[tc.pk, enrolment.pk])
    # Against the proposal (no attendance at all), a completion needs a reason.
    refused = client.post(url, {"status": "completed"}, follow=True).content.decode()
    assert "belum diusulkan lulus oleh aturan" in refused and "wajib disertai alasan" in refused
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    client.post(url, {"status": "completed", "alasan": "Sakit dengan surat dokter; tugas pengganti lulus"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.decision_reason == "Sakit dengan surat dokter; tugas pengganti lulus"
    entry = LogEntry.objects.get_for_object(enrolment).filter(changes__icontains="Sakit dengan").first()
    assert entry is not None and entry.actor == staff
    body = client.post(
        reverse("learning:decide", args=[tc.pk, enrolment.pk]), {"status": "withdrawn"}, follow=True
    ).content.decode()
    assert "Status kelulusan tidak dikenal" in body


def test_completion_waits_for_the_end_of_the_class_unless_decided_early_with_a_reason(client, staff):
    tc = running_class(staff, held=5, upcoming=1)
    eager = enrol_person(tc, full_name="Rina Wulandari")
    attend(tc, eager, 5)  # 5 of 6 sessions: the rule holds already
    client.force_login(staff)
    page = client.get(reverse("learning:completion", args=[tc.pk])).content.decode()
    assert "Memenuhi syarat; lulus setelah kelas berakhir" in page
    assert services.confirm_completion(tc, [eager.pk], user=staff, today=TODAY)["skipped"] == 1
    eager.refresh_from_db()
    assert eager.status == Enrolment.Status.ACTIVE
    with pytest.raises(services.DeliveryError):
        services.decide_outcome(eager, status=Enrolment.Status.COMPLETED, user=staff)
    services.decide_outcome(
        eager, status=Enrolment.Status.COMPLETED, user=staff, reason="Lulus lebih awal: diterima kerja"
    )
    eager.refresh_from_db()
    assert eager.status == Enrolment.Status.COMPLETED and eager.decision_reason.startswith("Lulus lebih awal")


def test_completion_is_not_proposed_while_scheduled_hours_are_missing(client, staff):
    tc = past_class(staff, sessions=4)
    tc.hours = 40  # four sessions of 4 JP hold 16 of them
    tc.save()
    enrolment = enrol_person(tc)
    attend(tc, enrolment, 4)
    client.force_login(staff)
    page = client.get(reverse("learning:completion", args=[tc.pk])).content.decode()
    assert "Jadwal baru berisi 16 dari 40 JP kelas" in page
    assert services.confirm_completion(tc, [enrolment.pk], user=staff, today=TODAY)["skipped"] == 1


def test_completion_page_marks_definitive_proposals(client, staff):
    tc = past_class(staff, sessions=4)
    enrolment = enrol_person(tc, full_name="Dewi Lestari")
    attend(tc, enrolment, 4)
    client.force_login(staff)
    body = client.get(reverse("learning:completion", args=[tc.pk])).content.decode()
    assert "Dewi Lestari" in body and "Memenuhi syarat lulus" in body
    assert f'value="{enrolment.pk}" form="konfirmasi" id="pilih-{enrolment.pk}" checked' in body


def test_scores_form_names_participant_on_error(client, staff):
    tc = past_class(staff)
    enrolment = enrol_person(tc, full_name="Agus Salim")
    client.force_login(staff)
    url = reverse("learning:scores", args=[tc.pk])
    body = client.post(url, {f"score_{enrolment.pk}": "101", f"passed_{enrolment.pk}": "2"}).content.decode()
    assert "Nilai akhir Agus Salim" in body
    enrolment.refresh_from_db()
    assert enrolment.final_score is None
    client.post(url, {f"score_{enrolment.pk}": "88.5", f"passed_{enrolment.pk}": "3"})
    enrolment.refresh_from_db()
    assert (enrolment.final_score, enrolment.assignments_passed) == (Decimal("88.50"), 3)


# --- completion rule and competency -----------------------------------------------------------------


def test_rule_set_by_regional_admin_and_bad_values_refused(client, staff):
    tc = past_class(staff)
    tc.program.batch.region_id = "16.71"
    tc.program.batch.save()
    admin = regional_admin("16.71")
    client.force_login(admin)
    url = reverse("learning:rule", args=[tc.pk])
    body = client.post(
        url, {"form": "rule", "min_attendance_percent": "120", "min_assignments_passed": "0"}
    ).content.decode()
    assert "Kehadiran minimal paling tinggi 100" in body
    assert not CompletionRule.objects.exists()
    client.post(
        url,
        {
            "form": "rule",
            "min_attendance_percent": "70",
            "min_assignments_passed": "2",
            "min_final_score": "65",
        },
    )
    rule = CompletionRule.objects.get(program=tc.program)
    assert (rule.min_attendance_percent, rule.min_assignments_passed, rule.min_final_score) == (70, 2, 65)
    # A provider who runs only some classes of the programme may not change it for the others.
    TrainingClassFactory(program=tc.program)
    client.force_login(staff)
    assert client.get(url).status_code == 404


def certification_class(staff):
    tc = past_class(staff, sessions=2)
    units = [
        services.add_competency_unit(tc.program, code=code, title=title, user=staff)
        for code, title in [
            ("j.620100.004.02", "Menggunakan struktur data"),
            ("J.620100.016.01", "Menulis kode"),
        ]
    ]
    return tc, units


def test_competency_sheet_records_results_with_assessor_and_lsp(client, staff):
    tc, units = certification_class(staff)
    assert units[0].code == "J.620100.004.02"
    a, b = enrol_person(tc), enrol_person(tc)
    lsp = OrganizationFactory(kind=Organization.Kind.LSP, region=None, name="LSP Uji")
    assessor = UserFactory(role=Role.ASSESSOR, organization=lsp, first_name="Rudi", last_name="Asesor")
    client.force_login(staff)
    url = reverse("learning:competency", args=[tc.pk])
    stamp = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    # Neither an assessor nor a name: refused, nothing saved.
    body = client.post(
        url, {"unit": units[0].pk, "lsp": lsp.pk, "assessed_at": stamp, f"outcome_{a.pk}": "kompeten"}
    ).content.decode()
    assert "Pilih akun asesor atau tulis nama asesor" in body
    assert not CompetencyResult.objects.exists()
    client.post(
        url,
        {
            "unit": units[0].pk,
            "assessor": assessor.pk,
            "lsp": lsp.pk,
            "assessed_at": stamp,
            f"outcome_{a.pk}": "kompeten",
            f"outcome_{b.pk}": "belum_kompeten",
        },
    )
    assert CompetencyResult.objects.get(enrolment=a).outcome == "kompeten"
    result_b = CompetencyResult.objects.get(enrolment=b)
    assert (result_b.outcome, result_b.assessor, result_b.lsp) == ("belum_kompeten", assessor, lsp)
    body = client.get(url).content.decode()
    assert "Belum Kompeten" in body and "Rudi Asesor" in body


def test_competency_in_rule_blocks_completion_until_all_units_kompeten(staff):
    tc, units = certification_class(staff)
    CompletionRule.objects.create(program=tc.program, min_attendance_percent=0, requires_competent=True)
    enrolment = enrol_person(tc)
    stamp = timezone.now()
    services.record_competency_result(
        enrolment, units[0], outcome="kompeten", assessed_at=stamp, user=staff, assessor_name="Asesor A"
    )
    counts = services.confirm_completion(tc, [enrolment.pk], user=staff, today=TODAY)
    assert counts["not_completed"] == 1
    services.record_competency_result(
        enrolment, units[1], outcome="kompeten", assessed_at=stamp, user=staff, assessor_name="Asesor A"
    )
    counts = services.confirm_completion(tc, [enrolment.pk], user=staff, today=TODAY)
    assert counts["completed"] == 1


def test_unit_outside_the_scheme_is_refused(staff):
    tc, _units = certification_class(staff)
    foreign = CompetencyUnit.objects.create(code="X.1", title="Lain")
    with pytest.raises(services.DeliveryError, match="bukan bagian dari skema"):
        services.record_competency_result(
            enrol_person(tc),
            foreign,
            outcome="kompeten",
            assessed_at=timezone.now(),
            user=staff,
            assessor_name="A",
        )


def test_assessor_of_the_provider_can_enter_results_but_not_attendance(client, staff):
    tc, _units = certification_class(staff)
    assessor = UserFactory(role=Role.ASSESSOR, organization=staff.organization)
    client.force_login(assessor)
    assert client.get(reverse("learning:competency", args=[tc.pk])).status_code == 200
    assert client.get(reverse("learning:completion", args=[tc.pk])).status_code == 403
    client.force_login(national_admin())
    assert client.get(reverse("learning:class_detail", args=[tc.pk])).status_code == 200
    assert client.get(reverse("learning:competency", args=[tc.pk])).status_code == 403
